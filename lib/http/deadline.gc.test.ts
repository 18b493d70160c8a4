/**
 * A deadline still fires after garbage collections (Node 20's AbortSignal.any() composite of a timeout
 * does not), and a source's abort still goes through.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { expect, it, vi } from "vitest";
import { deadlineSignal } from "./deadline";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Waits like a held long-poll: until the signal aborts, or `ms` at most. Returns whether it aborted. */
async function heldUntilAborted(signal: AbortSignal, ms: number): Promise<boolean> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return signal.aborted;
}

it("fires on time for every one of 50 concurrent waits, garbage collections or not", async () => {
  const request = new AbortController();
  const started = Date.now();
  const waits = Array.from({ length: 50 }, async () => {
    const deadline = deadlineSignal(300, request.signal);
    try {
      return await heldUntilAborted(deadline.signal, 3_000);
    } finally {
      deadline.dispose();
    }
  });
  setTimeout(gc, 50);
  setTimeout(gc, 150);
  expect(await Promise.all(waits)).toEqual(Array(50).fill(true));
  expect(Date.now() - started).toBeLessThan(2_000);
});

it("aborts when a source aborts, with its reason, and at once when one already has", async () => {
  const request = new AbortController();
  const deadline = deadlineSignal(60_000, undefined, request.signal);
  request.abort(new Error("client went away"));
  expect(deadline.signal.aborted).toBe(true);
  expect((deadline.signal.reason as Error).message).toBe("client went away");

  vi.useFakeTimers();
  try {
    const already = deadlineSignal(60_000, AbortSignal.abort("gone"));
    expect(already.signal.aborted).toBe(true);
    expect(already.signal.reason).toBe("gone");
    expect(vi.getTimerCount(), "an already-aborted source leaves no timer behind").toBe(0);
  } finally {
    vi.useRealTimers();
  }
});

it("dispose stops the timer: the signal never aborts afterwards", async () => {
  const deadline = deadlineSignal(50);
  deadline.dispose();
  expect(await heldUntilAborted(deadline.signal, 200)).toBe(false);
});
