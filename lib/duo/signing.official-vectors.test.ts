/**
 * Duo's own published test vectors, byte for byte:
 * - duosecurity/duo_client_python `tests/test_client.py` (canon_params, canonicalize v2/v5, sign SHA-1/SHA-512);
 * - duosecurity/duo_hmac_python `test/test_hmac.py` (complete v5 Authorization headers with x-duo-date)
 *   and `test/test_canonicalization.py` (body hashes).
 * Inputs and expected values are copied verbatim from those files; nothing here was computed by our code.
 */
import { describe, expect, it } from "vitest";
import {
  authorizationHeader,
  canonicalDuoHeaders,
  canonicalize,
  canonicalParams,
  sha512Hex,
  signCanonical,
} from "./signing";

/** The four unicode key/value pairs duo_client_python uses in its canonicalize and sign tests. */
const UNICODE_PARAMS: Record<string, string> = {
  "\u469a\u287b\u35d0\u8ef3\u6727\u502a\u0810\ud091\xc8\uc170": "\u0f45\u1a76\u341a\u654c\uc23f\u9b09\uabe2\u8343\u1b27\u60d0",
  "\u7449\u7e4b\uccfb\u59ff\ufe5f\u83b7\uadcc\u900c\ucfd1\u7813": "\u8db7\u5022\u92d3\u42ef\u207d\u8730\uacfe\u5617\u0946\u4e30",
  "\u7470\u9314\u901c\u9eae\u40d8\u4201\u82d8\u8c70\u1d31\ua042": "\u17d9\u0ba8\u9358\uaadf\ua42a\u48be\ufb96\u6fe9\ub7ff\u32f3",
  "\uc2c5\u2c1d\u2620\u3617\u96b3F\u8605\u20e8\uac21\u5934": "\ufba9\u41aa\ubd83\u840b\u2615\u3e6e\u652d\ua8b5\ud56bU",
};
const UNICODE_CANONICAL =
  "%E4%9A%9A%E2%A1%BB%E3%97%90%E8%BB%B3%E6%9C%A7%E5%80%AA%E0%A0%90%ED%82%91%C3%88%EC%85%B0=%E0%BD%85%E1%A9%B6%E3%90%9A%E6%95%8C%EC%88%BF%E9%AC%89%EA%AF%A2%E8%8D%83%E1%AC%A7%E6%83%90&%E7%91%89%E7%B9%8B%EC%B3%BB%E5%A7%BF%EF%B9%9F%E8%8E%B7%EA%B7%8C%E9%80%8C%EC%BF%91%E7%A0%93=%E8%B6%B7%E5%80%A2%E9%8B%93%E4%8B%AF%E2%81%BD%E8%9C%B0%EA%B3%BE%E5%98%97%E0%A5%86%E4%B8%B0&%E7%91%B0%E9%8C%94%E9%80%9C%E9%BA%AE%E4%83%98%E4%88%81%E8%8B%98%E8%B1%B0%E1%B4%B1%EA%81%82=%E1%9F%99%E0%AE%A8%E9%8D%98%EA%AB%9F%EA%90%AA%E4%A2%BE%EF%AE%96%E6%BF%A9%EB%9F%BF%E3%8B%B3&%EC%8B%85%E2%B0%9D%E2%98%A0%E3%98%97%E9%9A%B3F%E8%98%85%E2%83%A8%EA%B0%A1%E5%A4%B4=%EF%AE%A9%E4%86%AA%EB%B6%83%E8%90%8B%E2%98%95%E3%B9%AE%E6%94%AD%EA%A2%B5%ED%95%ABU";

describe("duo_client_python TestQueryParameters", () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ["zero params", {}, ""],
    ["one param", { realname: "First Last" }, "realname=First%20Last"],
    ["two params", { realname: "First Last", username: "root" }, "realname=First%20Last&username=root"],
    // Python turns True/5 into "true"/"5" before encoding; our parameters are strings already.
    ["boolean, int and string", { words: "First Last", success: "true", digit: "5" }, "digit=5&success=true&words=First%20Last"],
    [
      "printable ASCII",
      {
        digits: "0123456789",
        letters: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
        punctuation: "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
        whitespace: "\t\n\x0b\x0c\r ",
      },
      "digits=0123456789&letters=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ&punctuation=%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E_%60%7B%7C%7D~&whitespace=%09%0A%0B%0C%0D%20",
    ],
    [
      "unicode fuzz values",
      {
        bar: "\u2815\uaaa3\u37cf\u4bb7\u36e9\ucc05\u668e\u8162\uc2bd\ua1f1",
        baz: "\u0df3\u84bd\u5669\u9985\ub8a4\uac3a\u7be7\u6f69\u934a\ub91c",
        foo: "\ud4ce\ud6d6\u7938\u50c0\u8a20\u8f15\ufd0b\u8024\u5cb3\uc655",
        qux: "\u8b97\uc846-\u828e\u831a\uccca\ua2d4\u8c3e\ub8b2\u99be",
      },
      "bar=%E2%A0%95%EA%AA%A3%E3%9F%8F%E4%AE%B7%E3%9B%A9%EC%B0%85%E6%9A%8E%E8%85%A2%EC%8A%BD%EA%87%B1&baz=%E0%B7%B3%E8%92%BD%E5%99%A9%E9%A6%85%EB%A2%A4%EA%B0%BA%E7%AF%A7%E6%BD%A9%E9%8D%8A%EB%A4%9C&foo=%ED%93%8E%ED%9B%96%E7%A4%B8%E5%83%80%E8%A8%A0%E8%BC%95%EF%B4%8B%E8%80%A4%E5%B2%B3%EC%99%95&qux=%E8%AE%97%EC%A1%86-%E8%8A%8E%E8%8C%9A%EC%B3%8A%EA%8B%94%E8%B0%BE%EB%A2%B2%E9%A6%BE",
    ],
    ["unicode fuzz keys and values", UNICODE_PARAMS, UNICODE_CANONICAL],
    ["sort order with a common prefix", { foo_bar: "2", foo: "1" }, "foo=1&foo_bar=2"],
  ];

  for (const [name, params, expected] of cases) {
    it(name, () => {
      expect(canonicalParams(params)).toBe(expected);
    });
  }
});

describe("duo_client_python TestCanonicalize", () => {
  it("v2: date, upper-cased method, lower-cased host, path as given, unicode params", () => {
    expect(
      canonicalize(2, {
        date: "Fri, 07 Dec 2012 17:18:00 -0000",
        host: "foO.BAr52.cOm",
        method: "PoSt",
        params: UNICODE_PARAMS,
        path: "/Foo/BaR2/qux",
      }),
    ).toBe(`Fri, 07 Dec 2012 17:18:00 -0000\nPOST\nfoo.bar52.com\n/Foo/BaR2/qux\n${UNICODE_CANONICAL}`);
  });

  // Client.canon_json(JSON_BODY): sorted keys, compact separators.
  const JSON_STRING = '{"alpha":["a","b","c","d"],"data":"abc123","info":{"another":2,"test":1}}';

  it("v5 with a JSON body and one x-duo header", () => {
    const canonical = canonicalize(5, {
      date: "Tue, 17 Nov 2020 14:12:00",
      method: "POST",
      host: "foO.BaR52.cOm",
      path: "/Foo/BaR2/qux",
      params: {},
      body: JSON_STRING,
      duoHeaders: { "X-Duo-Header-1": "header_value_1" },
    });
    expect(canonical).toBe(
      "Tue, 17 Nov 2020 14:12:00\nPOST\nfoo.bar52.com\n/Foo/BaR2/qux\n\n" +
        sha512Hex(JSON_STRING) +
        "\n630b4bfe7e9abd03da2eee8f0a5d4e60a254ec880a839bcc2223bb5b9443e8ef24d58f0254f1f5934bf8c017ebd0fd5b1acf86766bdbe74185e712a4092df3ed",
    );
  });

  it("v5 lower-cases and then sorts the x-duo headers", () => {
    const canonical = canonicalize(5, {
      date: "Tue, 17 Nov 2020 14:12:00",
      method: "POST",
      host: "foO.BaR52.cOm",
      path: "/Foo/BaR2/qux",
      params: {},
      body: JSON_STRING,
      duoHeaders: { "x-duo-A": "header_value_1", "X-Duo-B": "header_value_2" },
    });
    expect(canonical.split("\n")[6]).toBe(
      "60be11a30e0756f2ee2afdce1db849b987dcf86c1133394bd7bbbc9877920330c4d78aceacbb377ab8cbd9a8efe6a410fed4047376635ac71226ab46ca10d2b1",
    );
  });
});

describe("duo_client_python TestSign", () => {
  const canonical = canonicalize(2, {
    date: "Fri, 07 Dec 2012 17:18:00 -0000",
    host: "foO.BAr52.cOm",
    method: "PoSt",
    params: UNICODE_PARAMS,
    path: "/Foo/BaR2/qux",
  });
  const skey = "gtdfxv9YgVBYcF6dl2Eq17KUQJN2PLM2ODVTkvoT";
  const basic = (sig: string) => `Basic ${Buffer.from(`test_ikey:${sig}`).toString("base64")}`;

  it("HMAC-SHA1", () => {
    expect(authorizationHeader("test_ikey", signCanonical(skey, canonical, "sha1"))).toBe(
      basic("f01811cbbf9561623ab45b893096267fd46a5178"),
    );
  });

  it("HMAC-SHA512", () => {
    expect(authorizationHeader("test_ikey", signCanonical(skey, canonical, "sha512"))).toBe(
      basic(
        "0508065035a03b2a1de2f453e629e791d180329e157f65df6b3e0f08299d4321e1c5c7a7c7ee6b9e5fc80d1fb6fbf3ad5eb7c44dd3b3985a02c37aca53ec3698",
      ),
    );
  });
});

describe("duo_hmac_python TestHmac (v5, date in x-duo-date, which enters the header hash)", () => {
  const IKEY = "DIABCDEFGHIJKLMNOPQR";
  const SKEY = "testtesttesttesttesttesttesttesttesttest";
  const HOST = "api-xxxxxxxx.duosecurity.com";
  const PATH = "/api/path";
  const DATE = "Fri, 24 May 2024 12:00:00 -0000";
  const EXTRA_HEADERS = { "x-duo-foo": "bar", "x-duo-bar": "foo", "non-duo-bar": "duo" };

  const cases: Array<{
    name: string;
    method: "GET" | "POST";
    params: Record<string, string>;
    body?: string;
    headers?: Record<string, string>;
    expected: string;
  }> = [
    {
      name: "GET, no params, no headers",
      method: "GET",
      params: {},
      expected:
        "Basic RElBQkNERUZHSElKS0xNTk9QUVI6YzQ1NDYzOWQ3NWI0ZTNkOTliOGIxZDVlNDFjZDdiYjJkMmQ4YmE1NWY2ODExZjc4NmRmYjBlZGQ0ZmFjZDJmM2E1ZTZkNmM4MzdmMzFmNjgyNjcwNjMyNWI0ZWQ3ZGNkYzVmMTExNjQ5NDhlNTdhNzAzMmE1MjQ5OTBlMDE1ODM=",
    },
    {
      name: "POST, no params (body {}), no headers",
      method: "POST",
      params: {},
      body: "{}",
      expected:
        "Basic RElBQkNERUZHSElKS0xNTk9QUVI6MTJhMDVkNzgzYjJlNThlMzZmMzdkZjhhNjkwNzgzNTQ5NmZiZTIwZmIzZDA0YjE1MDM2YzgyYjE2OTRmYzU4ZDFjMDQ1MWI5MzdmYjliYTZlN2MyYjQ0ZDg5YjQ3M2FmNzA4MTY2MTgzZDIxNmFlYTEzZTUyNzQyYTU3ZjIzOWY=",
    },
    {
      name: "GET, one param",
      method: "GET",
      params: { foo: "bar" },
      expected:
        "Basic RElBQkNERUZHSElKS0xNTk9QUVI6ODhmZTgwZjNiMjQyYjk5MmY0YjMwMTQwOGQ1MjRhODg2Mjc0ZDNlZDBjNGM3YmQxODRlMWI0ZmYzNzhlNjhlYTA1ZDk0MzNjMDk5MzgwNzhjNDk1MTdhNmM0MjY0Yzk1MGJlOWZmNWNjMjhhZDJkNDQ4Y2VhMjRiYzkzODg3Y2E=",
    },
    {
      name: "POST, one param",
      method: "POST",
      params: {},
      body: '{"foo":"bar"}',
      expected:
        "Basic RElBQkNERUZHSElKS0xNTk9QUVI6NjQzNzcwYWYzMTAwNmM1ODRhNzU4ZDkyNjI1MGU0NmE5MGQ3OTEwMGQyMWY3YTAzMTNjM2U3N2Q2NGZhM2M1ZDJjOTRlMmM5MDgxYTJiNjUzNDNjYzNkNWYyZWQyMWY3MzAwZWE1MGIwMDY0MGNiMTc2MGYzMjMxOTIzMDdkMzc=",
    },
    {
      // The URL carries foo=bar&one=1&bool=true unsorted; the signature uses the sorted form.
      name: "GET, several params and x-duo headers",
      method: "GET",
      params: { foo: "bar", one: "1", bool: "true" },
      headers: EXTRA_HEADERS,
      expected:
        "Basic RElBQkNERUZHSElKS0xNTk9QUVI6ZDQ2NTU2NzI2ODAwNDE1ZGM3OGNlZmMzZmI0ZTExZGNmM2VlMTM0MjkwNGYyNzZlZDVjOGUzNDI3ODc4YmQ1Mzc2ZWE2YzU1NTFiOTBiZjcwN2ZhYjUzZjZmMWQyMGExMTQ4OTg4OTg3MDVkMjgyNjg4MjRlZGQwYmU1ZjFkNTM=",
    },
    {
      name: "POST, several params and x-duo headers",
      method: "POST",
      params: {},
      body: '{"bool":"true","foo":"bar","one":"1"}',
      headers: EXTRA_HEADERS,
      expected:
        "Basic RElBQkNERUZHSElKS0xNTk9QUVI6ZGVmN2I3MzU5YjAzOTk1NDNiNjFkM2QxYTQyNTJjMTkwOGViNDg2MDM5MTY4YWE3ZDFjOTM1NDVmMDUyZTEyMTA2MmU0ZDBkM2NhZTgwZjBmMTI1ZGM0OTdjNDNjNTNiNjJjOWRiNThjYWNkMjEzOTRhM2IxN2FkOTcyZTM3OTM=",
    },
    {
      name: "POST, non-string parameter types (sent as strings)",
      method: "POST",
      params: {},
      body: '{"bool":"true","foo":"bar","one":"1"}',
      expected:
        "Basic RElBQkNERUZHSElKS0xNTk9QUVI6NjhjYWI2YTQyYmUyMTZhMGUwNTU3NzJlZDhkODg3MGIzODNmYzk4NmVlNGJkN2I5MjM0Njg5ZTIzOWJlNjc3YzhlZGY2MWUzM2VhZGRkODNlMmI5NDE0Yzk4ZmYzMGJmY2EwYmYyZTFmNDQ4MzEwNzRmNWM0NzRiZjRhZjlmZDc=",
    },
  ];

  for (const { name, method, params, body, headers, expected } of cases) {
    it(name, () => {
      const canonical = canonicalize(5, {
        date: DATE,
        method,
        host: HOST,
        path: PATH,
        params,
        body: body ?? "",
        duoHeaders: { ...headers, "x-duo-date": DATE },
      });
      expect(authorizationHeader(IKEY, signCanonical(SKEY, canonical, "sha512"))).toBe(expected);
    });
  }
});

describe("duo_hmac_python TestCanonicalizeBody and TestCanonicalizeXDuoHeaders", () => {
  it("hashes bodies over their UTF-8 bytes", () => {
    expect(sha512Hex("")).toBe(
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    );
    expect(sha512Hex("{}")).toBe(
      "27c74670adb75075fad058d5ceaf7b20c4e7786c83bae8a32f626f9782af34c9a33c2046ef60fd2a7878d378e29fec851806bbd9a67878f3a9f1cda4830763fd",
    );
    expect(sha512Hex("I am an ascii string")).toBe(
      "c1710f1224e4973bfbb9ca1a297e63756a4b1736ebd1b646ba3d63a392b73d24a52ac8b4afb6eafca6dfe91f09e2e75117c377398a7d2f22136b05c038b94151",
    );
    expect(sha512Hex("î ❤ ựṉịʗƠΔѤ")).toBe(
      "b713c8cc2bfe672cf55133d81ca6fa802628c7c8968d444c186434146bcd0275a510d3fd725b0a8132882c4a60d8457420f252f84e4edd00fcf12aa7c4eb2246",
    );
    // Python's json.dumps default separators (", " and ": "), insertion order.
    expect(sha512Hex('{"foo": "bar", "baz": 1, "nested": {"objects": {"are": {"neat": true}}}}')).toBe(
      "cd97c6ef2f1db6a660f2b7b71235d16902d532e3a4b54afc07acebbf34a265d8f77c344706f3222bcb28009d8c4c5259daa388bddb7dcc1b163982dce6a0c1ec",
    );
  });

  it("hashes no x-duo headers as the empty string, and header names case-insensitively", () => {
    expect(canonicalDuoHeaders({})).toBe(sha512Hex(""));
    expect(canonicalDuoHeaders({ "x-duo-A": "header_value_1", "X-Duo-B": "header_value_2" })).toBe(
      "60be11a30e0756f2ee2afdce1db849b987dcf86c1133394bd7bbbc9877920330c4d78aceacbb377ab8cbd9a8efe6a410fed4047376635ac71226ab46ca10d2b1",
    );
  });
});
