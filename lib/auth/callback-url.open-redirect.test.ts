/** After sign-in, only same-origin relative paths are followed; every off-site trick lands on "/". */
import { describe, expect, it } from "vitest";
import { isReadableByAuthJs, safeCallbackUrl, unreadableAuthJsCallbacks } from "./callback-url";
import { HOSTILE_CALLBACK_URLS as HOSTILE } from "./callback-url.payloads";


describe("callbackUrl", () => {
  it.each(HOSTILE)("refuses %j", (payload) => {
    expect(safeCallbackUrl(payload)).toBe("/");
  });

  it("refuses non-strings", () => {
    for (const value of [undefined, null, 42, ["/account"], { url: "/account" }]) expect(safeCallbackUrl(value)).toBe("/");
  });

  it.each([
    ["/account", "/account"],
    ["/account?tab=security#devices", "/account?tab=security#devices"],
    ["/account/../account", "/account"],
    ["/a%20b", "/a%20b"],
  ])("keeps the same-origin path %j", (input, expected) => {
    expect(safeCallbackUrl(input)).toBe(expected);
  });

  it("has at least 20 hostile payloads", () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(20);
  });
});

describe("callbackUrl values Auth.js cannot read (the gate answers 400 before Auth.js answers 500)", () => {
  const origin = "https://app.example";
  it.each(["/account", "/", "https://app.example/account", "http://elsewhere.example/"])("%s is readable", (value) => {
    expect(isReadableByAuthJs(value, origin)).toBe(true);
  });
  it.each(["account", "\uFFFD%A", "javascript:alert(1)", "data:text/html,x", "%", "//"])("%s is not", (value) => {
    expect(isReadableByAuthJs(value, origin)).toBe(false);
  });
  it("names the query and each unreadable cookie, and nothing for clean requests", () => {
    const url = new URL("https://app.example/api/auth/session?callbackUrl=javascript%3Ax");
    expect(unreadableAuthJsCallbacks(url, new Map([["authjs.callback-url", "%E0"]]))).toEqual(["query", "authjs.callback-url"]);
    expect(unreadableAuthJsCallbacks(new URL("https://app.example/api/auth/session?callbackUrl=%2Fa"), new Map([["authjs.callback-url", "/b"]]))).toEqual([]);
  });
});
