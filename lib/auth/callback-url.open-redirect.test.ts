/** After sign-in, only same-origin relative paths are followed; every off-site trick lands on "/". */
import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";

const HOSTILE = [
  "https://evil.example",
  "http://evil.example/account",
  "//evil.example",
  "//evil.example/account",
  "///evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "%2F%2Fevil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/%5Cevil.example",
  "/%255C%255Cevil.example",
  "/%252F%252Fevil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "/javascript:alert(1)//\n",
  "data:text/html,<script>alert(1)</script>",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n//evil.example",
  " //evil.example",
  "evil.example",
  "https:evil.example",
  "/%09/evil.example",
  "/%00//evil.example",
  "/sign-in?callbackUrl=//evil.example",
  "/api/auth/signout",
  "/mfa",
  `/${"a".repeat(5000)}`,
];

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
