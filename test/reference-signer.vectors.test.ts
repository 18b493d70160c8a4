/** The tests' independent signer agrees with the published vectors before anything relies on it. */
import { describe, expect, it } from "vitest";
import { referenceAuthorization } from "./support/reference-signer";

const common = { ikey: "DIXXXXXXXXXXXXXXXXXX", skey: "deadbeefdeadbeefdeadbeefdeadbeefdeadbeef", date: "Tue, 21 Aug 2012 17:29:18 -0000", host: "api-xxxxxxxx.duosecurity.com" };
const sig = (header: string) => Buffer.from(header.slice("Basic ".length), "base64").toString().split(":")[1];

describe("reference signer", () => {
  it("matches vector A (v2, SHA-1)", () => {
    const header = referenceAuthorization({
      ...common,
      version: 2,
      digest: "sha1",
      method: "POST",
      path: "/auth/v2/auth",
      params: [["username", "root"], ["factor", "push"], ["device", "auto"], ["ipaddr", "1.2.3.4"], ["pushinfo", "from=login portal&domain=example.com"]],
    });
    expect(sig(header)).toBe("e80f8cc6a74307d242bcc57d106c13c1f8a0f36b");
  });

  it("matches vector C (v5, JSON body)", () => {
    const header = referenceAuthorization({ ...common, version: 5, method: "POST", path: "/auth/v2/preauth", params: [], body: '{"ipaddr":"1.2.3.4","username":"root"}' });
    expect(sig(header)).toBe(
      "c433ec8fde917454fa952a56f3f7d9d1dd4b879eb7d981357e95ae81fb73f8595487bf1947cacd6212f0a7998b239f2885f7969ebe4ca4ca3680d4d1382012cd",
    );
  });
});
