/** After sign-in, only same-origin relative paths are followed; every off-site trick lands on "/". */
import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./callback-url";
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
