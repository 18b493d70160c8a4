/**
 * Scripted failures for tests: "the next N signed requests are rate limited" (§8.5, like Duo's mock), and
 * the outages a client must survive — Duo answering HTTP 500 (a bare error page, or its 50001 FAIL
 * envelope), rate limiting every request, or answering slowly. With no fault set the emulator is unchanged.
 */
export const FAULT_MODES = ["http500", "fail50001", "http429", "slow"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSpec {
  mode: FaultMode;
  /** "slow": how long each affected request is held before it is answered normally. */
  delayMs: number | null;
  /** How many signed requests the fault affects; null: every one until it is cleared. */
  count: number | null;
  /** "http429": the Retry-After header to send (seconds); null sends none. */
  retryAfterSeconds: number | null;
}

/** What one signed request meets: an immediate failure, a delay before the normal answer, or nothing. */
export type FaultAction =
  | { kind: "http500" }
  | { kind: "fail50001" }
  | { kind: "http429"; retryAfterSeconds: number | null }
  | { kind: "slow"; delayMs: number };

export interface FaultsView {
  mode: FaultMode | null;
  delayMs: number | null;
  /** Requests still to be affected; null: until cleared (or no fault). */
  remaining: number | null;
  retryAfter: number | null;
  /** Signed requests that met the fault since it was set. */
  applied: number;
}

export class Faults {
  private rateLimited = 0;
  private retryAfterSeconds: number | null = null;
  private fault: FaultSpec | null = null;
  private remaining: number | null = null;
  private applied = 0;

  scriptRateLimit(count: number, retryAfterSeconds: number | null): void {
    this.rateLimited = count;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Consumes one scripted 429 if any is left; returns its Retry-After (null: none sent). */
  takeRateLimit(): { retryAfterSeconds: number | null } | null {
    if (this.rateLimited <= 0) return null;
    this.rateLimited -= 1;
    return { retryAfterSeconds: this.retryAfterSeconds };
  }

  get pending(): { rate_limit: number; retry_after: number | null } {
    return { rate_limit: this.rateLimited, retry_after: this.retryAfterSeconds };
  }

  /** Replaces any fault set before. */
  set(spec: FaultSpec): void {
    this.fault = spec;
    this.remaining = spec.count;
    this.applied = 0;
  }

  /** The fault the next signed request meets, if any; counts it against `count`. */
  take(): FaultAction | null {
    const fault = this.fault;
    if (fault === null) return null;
    if (this.remaining !== null) {
      if (this.remaining <= 0) return null;
      this.remaining -= 1;
    }
    this.applied += 1;
    switch (fault.mode) {
      case "http500":
        return { kind: "http500" };
      case "fail50001":
        return { kind: "fail50001" };
      case "http429":
        return { kind: "http429", retryAfterSeconds: fault.retryAfterSeconds };
      case "slow":
        return { kind: "slow", delayMs: fault.delayMs ?? 0 };
    }
  }

  get view(): FaultsView {
    const active = this.fault !== null && (this.remaining === null || this.remaining > 0);
    return {
      mode: active ? (this.fault?.mode ?? null) : null,
      delayMs: active ? (this.fault?.delayMs ?? null) : null,
      remaining: active ? this.remaining : null,
      retryAfter: active ? (this.fault?.retryAfterSeconds ?? null) : null,
      applied: this.applied,
    };
  }

  clear(): void {
    this.rateLimited = 0;
    this.retryAfterSeconds = null;
    this.fault = null;
    this.remaining = null;
    this.applied = 0;
  }
}
