/**
 * A signal that aborts when any of its sources does, or when a deadline passes, held by a real timer.
 *
 * Why not `AbortSignal.any([source, AbortSignal.timeout(ms)])`: on Node 20 the composite holds its sources
 * weakly, and once a garbage collection runs, the timeout inside it never fires (0 of 50 in a test run
 * with a forced GC). The status route's 20-second window then silently lasted until Duo's push expired
 * (about 60 s; found by `npm run bench` with 200 waiting users), past a serverless function's limit.
 */
export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer and drops the listeners on the sources; call it when the work is done. */
  dispose(): void;
}

export function deadlineSignal(timeoutMs: number, ...sources: Array<AbortSignal | undefined>): Deadline {
  const controller = new AbortController();
  const present = sources.filter((source): source is AbortSignal => source !== undefined);
  const timer = setTimeout(() => controller.abort(new DOMException("The deadline passed.", "TimeoutError")), timeoutMs);
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  const dispose = () => {
    clearTimeout(timer);
    for (const source of present) source.removeEventListener("abort", onAbort);
  };
  // Before the sources: one that has already aborted must tidy up too.
  controller.signal.addEventListener("abort", dispose, { once: true });
  for (const source of present) {
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    source.addEventListener("abort", onAbort, { once: true });
  }
  return { signal: controller.signal, dispose };
}
