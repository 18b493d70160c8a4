/**
 * A remembered-browser token skips the second factor only for its own user, before it expires, until it
 * is revoked, and once: each use rotates it.
 */
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/test/support/database";
import { browserLabel } from "./browser-label";
import {
  hashToken,
  listRememberedBrowsers,
  rememberBrowser,
  revokeAllRememberedBrowsers,
  revokeRememberedBrowser,
  redeemRememberedBrowser,
} from "./store";

const db = withTestDatabase();
const client = { ip: "198.51.100.4", userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36" };
let counter = 0;
const newUser = async () => (await db.client.user.create({ data: { email: `browser${++counter}@example.com`, passwordHash: "x" } })).id;

describe("remembered browsers", () => {
  it("store only the token's hash, with a label from the browser", async () => {
    const userId = await newUser();
    const { token } = await rememberBrowser(userId, client, 30, null);
    const [row] = await db.client.trustedBrowser.findMany({ where: { userId } });
    expect(row?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row?.label).toBe("Chrome on Linux");
    expect(token.length).toBeGreaterThanOrEqual(43);
  });

  it("skip the second factor for their own user and rotate the token", async () => {
    const userId = await newUser();
    const { token } = await rememberBrowser(userId, client, 30, "duo-token-1");
    const used = await redeemRememberedBrowser(userId, token, client);
    if (!used.ok) throw new Error(`expected success, got ${used.reason}`);
    expect(used.token).not.toBe(token);
    expect(used.duoTrustedDeviceToken).toBe("duo-token-1");
    expect(await redeemRememberedBrowser(userId, token, client)).toEqual({ ok: false, reason: "unknown" });
    expect((await redeemRememberedBrowser(userId, used.token, client)).ok).toBe(true);
  });

  it("do nothing for another user", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const { token } = await rememberBrowser(alice, client, 30, null);
    expect(await redeemRememberedBrowser(bob, token, client)).toEqual({ ok: false, reason: "other-user" });
    expect((await redeemRememberedBrowser(alice, token, client)).ok).toBe(true);
  });

  it("stop at their expiry", async () => {
    const userId = await newUser();
    const issued = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    const { token } = await rememberBrowser(userId, client, 30, null, issued);
    expect(await redeemRememberedBrowser(userId, token, client)).toEqual({ ok: false, reason: "expired" });
  });

  it("stop when revoked, one at a time or all at once", async () => {
    const userId = await newUser();
    const first = await rememberBrowser(userId, client, 30, null);
    const second = await rememberBrowser(userId, client, 30, null);
    const third = await rememberBrowser(userId, client, 30, null);
    const [listed] = await listRememberedBrowsers(userId);
    const firstRow = await db.client.trustedBrowser.findUniqueOrThrow({ where: { tokenHash: hashToken(first.token) } });
    expect(listed).toBeDefined();
    expect(await revokeRememberedBrowser(userId, firstRow.id)).toBe(true);
    expect(await redeemRememberedBrowser(userId, first.token, client)).toEqual({ ok: false, reason: "revoked" });
    expect(await revokeAllRememberedBrowsers(userId)).toBe(2);
    expect(await redeemRememberedBrowser(userId, second.token, client)).toEqual({ ok: false, reason: "revoked" });
    expect(await redeemRememberedBrowser(userId, third.token, client)).toEqual({ ok: false, reason: "revoked" });
    expect(await listRememberedBrowsers(userId)).toEqual([]);
  });

  it("cannot be revoked by another user", async () => {
    const alice = await newUser();
    const mallory = await newUser();
    const { token } = await rememberBrowser(alice, client, 30, null);
    const row = await db.client.trustedBrowser.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    expect(await revokeRememberedBrowser(mallory, row.id)).toBe(false);
    expect((await redeemRememberedBrowser(alice, token, client)).ok).toBe(true);
  });

  it("refuse a tampered token", async () => {
    const userId = await newUser();
    const { token } = await rememberBrowser(userId, client, 30, null);
    const tampered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect(await redeemRememberedBrowser(userId, tampered, client)).toEqual({ ok: false, reason: "unknown" });
  });

  it("let only one of two simultaneous uses of one token pass", async () => {
    const userId = await newUser();
    const { token } = await rememberBrowser(userId, client, 30, null);
    const results = await Promise.all(Array.from({ length: 10 }, () => redeemRememberedBrowser(userId, token, client)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });
});

describe("browser labels", () => {
  it.each([
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox on Windows"],
    ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", "Edge on Windows"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1", "Chrome on iOS"],
    ["Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", "Chrome on Android"],
    ["curl/8.5.0", "Unknown browser"],
  ])("%s → %s", (ua, label) => {
    expect(browserLabel(ua)).toBe(label);
  });
});
