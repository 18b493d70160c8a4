/** Scripted failures for tests: "the next N signed requests are rate limited" (§8.5, like Duo's mock). */
export class Faults {
  private rateLimited = 0;
  private retryAfterSeconds: number | null = null;

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

  clear(): void {
    this.rateLimited = 0;
    this.retryAfterSeconds = null;
  }
}
