/**
 * The signing primitives reproduce, byte for byte, the worked vectors of shared/duo-auth-api.md §3.8
 * (computed with and cross-checked against duo_client_python).
 */
import { describe, expect, it } from "vitest";
import {
  authorizationHeader,
  canonicalize,
  canonicalParams,
  parseRequestDate,
  signCanonical,
} from "./signing";

const IKEY = "DIXXXXXXXXXXXXXXXXXX";
const SKEY = "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef";
const HOST = "api-xxxxxxxx.duosecurity.com";
const DATE = "Tue, 21 Aug 2012 17:29:18 -0000";

const authParams = {
  username: "root",
  factor: "push",
  device: "auto",
  ipaddr: "1.2.3.4",
  pushinfo: "from=login portal&domain=example.com",
};

describe("Duo signature vectors", () => {
  it("A: v2 HMAC-SHA1 POST /auth/v2/auth", () => {
    const canonical = canonicalize(2, { date: DATE, method: "POST", host: HOST, path: "/auth/v2/auth", params: authParams });
    expect(canonical).toBe(
      [
        DATE,
        "POST",
        HOST,
        "/auth/v2/auth",
        "device=auto&factor=push&ipaddr=1.2.3.4&pushinfo=from%3Dlogin%20portal%26domain%3Dexample.com&username=root",
      ].join("\n"),
    );
    const sig = signCanonical(SKEY, canonical, "sha1");
    expect(sig).toBe("e80f8cc6a74307d242bcc57d106c13c1f8a0f36b");
    expect(authorizationHeader(IKEY, sig)).toBe(
      "Basic RElYWFhYWFhYWFhYWFhYWFhYWFg6ZTgwZjhjYzZhNzQzMDdkMjQyYmNjNTdkMTA2YzEzYzFmOGEwZjM2Yg==",
    );
  });

  it("B: v2 HMAC-SHA512 over the same canonical request", () => {
    const canonical = canonicalize(2, { date: DATE, method: "POST", host: HOST, path: "/auth/v2/auth", params: authParams });
    expect(signCanonical(SKEY, canonical, "sha512")).toBe(
      "f58458029aa792a6ba8086faa9841657cfb7bf61f592bd2c8a6c002264595c26ea5e245c1a86ccf8f685926e9bcf8b2496ba0235acc61b9229357dd09f2eed6d",
    );
  });

  it("C: v5 POST /auth/v2/preauth with a JSON body", () => {
    const body = JSON.stringify({ ipaddr: "1.2.3.4", username: "root" });
    const canonical = canonicalize(5, { date: DATE, method: "POST", host: HOST, path: "/auth/v2/preauth", params: {}, body });
    expect(canonical.split("\n").slice(4)).toEqual([
      "",
      "ccbfd71171affc8c99c76f032b320c5628480978e1abbf9f25840c2479d4bebf01c590dc67209edb53313b315d77ec4334a0f0e02258be40b38a2f2b65eab439",
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    ]);
    expect(signCanonical(SKEY, canonical, "sha512")).toBe(
      "c433ec8fde917454fa952a56f3f7d9d1dd4b879eb7d981357e95ae81fb73f8595487bf1947cacd6212f0a7998b239f2885f7969ebe4ca4ca3680d4d1382012cd",
    );
  });

  it("D: v5 GET /auth/v2/auth_status with a query", () => {
    const canonical = canonicalize(5, {
      date: DATE,
      method: "GET",
      host: HOST,
      path: "/auth/v2/auth_status",
      params: { txid: "45f7c92b-f45f-4862-8545-e0f58e78075a" },
    });
    expect(signCanonical(SKEY, canonical, "sha512")).toBe(
      "c3d2c91eaba8d1e9641cfd6f038249dd25b3922b408c6785394431bb5530572c4c1f91f1c6a3fc4b6b646d48b1bc92d8e370b1a8073e4cc467c49b44e66f97e5",
    );
  });

  it("E: v2 HMAC-SHA1 GET /auth/v2/check with no parameters ends in an empty params line", () => {
    const canonical = canonicalize(2, { date: DATE, method: "GET", host: HOST, path: "/auth/v2/check", params: {} });
    expect(canonical).toBe(`${DATE}\nGET\n${HOST}\n/auth/v2/check\n`);
    expect(signCanonical(SKEY, canonical, "sha1")).toBe("d967b6fb7404b4271ee361ec0acc50d37e128210");
  });
});

describe("parameter canonicalisation (§3.2)", () => {
  it("encodes punctuation like duo_client_python", () => {
    expect(canonicalParams({ punctuation: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" })).toBe(
      "punctuation=%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E_%60%7B%7C%7D~",
    );
  });

  it("encodes whitespace, never as +", () => {
    expect(canonicalParams({ whitespace: "\t\n\x0b\x0c\r " })).toBe("whitespace=%09%0A%0B%0C%0D%20");
  });

  it("sorts by encoded key, then repeated keys by encoded value", () => {
    expect(canonicalParams({ foo_bar: "2", foo: "1" })).toBe("foo=1&foo_bar=2");
    expect(canonicalParams([["k", "b"], ["k", "a"], ["a", ""]])).toBe("a=&k=a&k=b");
  });

  it("encodes the UTF-8 bytes of unicode keys and values in upper-case hex", () => {
    expect(canonicalParams({ "bâz": "☃ snow" })).toBe("b%C3%A2z=%E2%98%83%20snow");
  });
});

describe("request dates", () => {
  it("reads the forms official clients send", () => {
    const expected = Date.UTC(2012, 7, 21, 17, 29, 18);
    for (const value of [
      "Tue, 21 Aug 2012 17:29:18 GMT",
      "Tue, 21 Aug 2012 17:29:18 -0000",
      "Tue, 21 Aug 2012 17:29:18 +0000",
      "Tue, 21 Aug 2012 13:29:18 -0400",
      "21 Aug 2012 17:29:18 UT",
    ]) {
      expect(parseRequestDate(value)?.getTime(), value).toBe(expected);
    }
  });

  it("refuses non-English names, impossible dates and other formats", () => {
    for (const value of [
      "Di, 21 Aug 2012 17:29:18 GMT",
      "Wed, 21 Aug 2012 17:29:18 GMT",
      "Tue, 31 Feb 2012 17:29:18 GMT",
      "2012-08-21T17:29:18Z",
      "",
    ]) {
      expect(parseRequestDate(value), value).toBeNull();
    }
  });
});
