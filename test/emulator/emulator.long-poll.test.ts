/**
 * /auth_status long-polls (§4.8, §8.4): a version the caller has not seen comes back at once, otherwise
 * the request is held until the transaction changes or the long-poll limit passes; a final state comes
 * back at once on every later poll. Many held polls all wake when their pushes are answered.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../lib/emulator/server";
import { control, duoRequest, okResponse, startTestEmulator, userWithPhone } from "./helpers";

interface Status {
  result: string;
  status: string;
}

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ policy: { longPollSeconds: 20 } });
});
afterAll(() => emulator.close());

const poll = async (txid: string) => okResponse<Status>(await duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }));
const push = async (username: string) => okResponse<{ txid: string }>(await duoRequest(emulator, "POST", "/auth/v2/auth", { username, factor: "push", device: "auto", async: "1" })).txid;

/** Resolves to "pending" if the promise has not settled after a short while. */
async function stillPending(promise: Promise<unknown>, ms = 150): Promise<boolean> {
  return Promise.race([promise.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), ms))]);
}

describe("auth_status", () => {
  it("returns the unseen `pushed` at once, then holds until the answer, then repeats the final state", async () => {
    await userWithPhone(emulator, "poller");
    const txid = await push("poller");
    expect(await poll(txid)).toMatchObject({ result: "waiting", status: "pushed" });

    const held = poll(txid);
    expect(await stillPending(held)).toBe(true);
    await control(emulator, "POST", `/transactions/${txid}`, { answer: "deny" });
    expect(await held).toMatchObject({ result: "deny", status: "deny" });
    expect(await poll(txid)).toMatchObject({ result: "deny", status: "deny" });
    expect(await poll(txid)).toMatchObject({ result: "deny", status: "deny" });
  });

  it("after the long-poll limit, returns the current `waiting` state", async () => {
    const quick = await startTestEmulator({ policy: { longPollSeconds: 0.2 } });
    try {
      await userWithPhone(quick, "patient");
      const txid = okResponse<{ txid: string }>(await duoRequest(quick, "POST", "/auth/v2/auth", { username: "patient", factor: "push", device: "auto", async: "1" })).txid;
      const get = async () => okResponse<Status>(await duoRequest(quick, "GET", "/auth/v2/auth_status", { txid }));
      expect(await get()).toMatchObject({ result: "waiting", status: "pushed" });
      expect(await get()).toMatchObject({ result: "waiting", status: "pushed" });
      expect(await get()).toMatchObject({ result: "waiting", status: "pushed" });
    } finally {
      await quick.close();
    }
  });

  it("100 simultaneous long-polls on different transactions all return when their pushes are answered", async () => {
    const count = 100;
    const names = Array.from({ length: count }, (_, i) => `crowd-${i}`);
    await Promise.all(names.map((name) => userWithPhone(emulator, name)));
    const txids = await Promise.all(names.map((name) => push(name)));
    // Take the `pushed` update first, so the next polls have nothing new and must wait.
    await Promise.all(txids.map((txid) => poll(txid)));

    const held = txids.map((txid) => poll(txid));
    expect(await stillPending(Promise.race(held))).toBe(true);

    await Promise.all(txids.map((txid, i) => control(emulator, "POST", `/transactions/${txid}`, { answer: i % 2 === 0 ? "approve" : "deny" })));
    const results = await Promise.all(held);
    results.forEach((status, i) => expect(status.result).toBe(i % 2 === 0 ? "allow" : "deny"));
  });

  it("a client that goes away while held does not disturb the transaction", async () => {
    await userWithPhone(emulator, "leaver");
    const txid = await push("leaver");
    await poll(txid);
    const controller = new AbortController();
    const gone = duoRequest(emulator, "GET", "/auth/v2/auth_status", { txid }, { tamper: (r) => ({ ...r, signal: controller.signal }) }).catch(() => "aborted");
    expect(await stillPending(gone)).toBe(true);
    controller.abort();
    expect(await gone).toBe("aborted");
    await control(emulator, "POST", `/transactions/${txid}`, { answer: "approve" });
    expect(await poll(txid)).toMatchObject({ result: "allow" });
  });
});
