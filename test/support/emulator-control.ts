/**
 * A typed client for the emulator's control API (README → The built-in Duo emulator), for integration
 * and end-to-end tests: play the user's phone (scan, approve, deny, read passcodes) over HTTP.
 */
export interface EmulatorTransaction {
  txid: string;
  user_id: string;
  factor: string;
  device: string | null;
  state: string;
  result: "waiting" | "allow" | "deny";
  pushinfo: Record<string, string> | null;
  display_username: string | null;
  ipaddr: string | null;
  verified_push: boolean;
}

export type EmulatorFault =
  | { mode: "http500" | "fail50001"; count?: number }
  | { mode: "http429"; count?: number; retryAfter?: number }
  | { mode: "slow"; delayMs: number; count?: number };

export interface EmulatorFaultsView {
  mode: EmulatorFault["mode"] | null;
  delayMs: number | null;
  remaining: number | null;
  retryAfter: number | null;
  applied: number;
}

export type Answer = "approve" | "deny" | "fraud" | "ignore" | "pickup" | "timeout";

/** How often to look for a transaction the app is about to create. */
const POLL_INTERVAL_MS = 20;

export class EmulatorControl {
  readonly base: string;

  constructor(emulatorUrl: string) {
    this.base = `${emulatorUrl.replace(/\/$/, "")}/emulator/v1`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** What scanning the enrollment QR code with Duo Mobile does. */
  activate(activationCode: string): Promise<{ user_id: string; device: string }> {
    return this.call("POST", "/activations", { activation_code: activationCode });
  }

  /** A Duo user with one smartphone (push, phone, sms, mobile_otp), as if enrolled long ago. */
  async createUser(username: string, devices: Array<Record<string, unknown>> = [{ type: "phone" }]): Promise<{ user_id: string; device: string }> {
    const user = await this.call<{ user_id: string; devices: Array<{ device: string }> }>("POST", "/users", { username, devices });
    return { user_id: user.user_id, device: user.devices[0]?.device ?? "" };
  }

  user(user: string): Promise<{ user_id: string; username: string; status: string; devices: Array<{ device: string }> }> {
    return this.call("GET", `/users/${encodeURIComponent(user)}`);
  }

  transactions(user: string): Promise<EmulatorTransaction[]> {
    return this.call("GET", `/users/${encodeURIComponent(user)}/transactions`);
  }

  /**
   * Waits until the user has a transaction still waiting for an answer (the app just sent it). `except`:
   * txids already seen, so that a new push is told apart from an older one still waiting.
   */
  async waitingTransaction(user: string, options: { except?: string[]; timeoutMs?: number } = {}): Promise<EmulatorTransaction> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const waiting = (await this.transactions(user)).find((t) => t.result === "waiting" && !options.except?.includes(t.txid));
      if (waiting) return waiting;
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    throw new Error(`no waiting transaction for ${user} within ${timeoutMs} ms`);
  }

  answer(txid: string, answer: Answer, verificationCode?: string): Promise<EmulatorTransaction> {
    return this.call("POST", `/transactions/${encodeURIComponent(txid)}`, { answer, ...(verificationCode ? { verification_code: verificationCode } : {}) });
  }

  async passcode(device: string): Promise<string> {
    return (await this.call<{ passcode: string }>("GET", `/devices/${encodeURIComponent(device)}/passcode`)).passcode;
  }

  async sms(user: string): Promise<string[]> {
    return (await this.call<{ passcodes: string[] }>("GET", `/users/${encodeURIComponent(user)}/sms`)).passcodes;
  }

  setStatus(user: string, status: "active" | "bypass" | "disabled" | "locked_out"): Promise<unknown> {
    return this.call("PUT", `/users/${encodeURIComponent(user)}/status`, { status });
  }

  setPolicy(policy: Record<string, unknown>): Promise<unknown> {
    return this.call("PUT", "/policy", policy);
  }

  rateLimit(requests: number): Promise<unknown> {
    return this.call("POST", "/faults", { rate_limit: requests });
  }

  /**
   * Makes the emulator fail every signed Auth API request (or the next `count`) until `clearFaults()`:
   * "http500" a bare HTTP 500 page, "fail50001" Duo's 50001 FAIL envelope, "http429" 42901 (with
   * `retryAfter` seconds when given), "slow" the normal answer after `delayMs`.
   */
  setFault(fault: EmulatorFault): Promise<EmulatorFaultsView> {
    return this.call("POST", "/faults", fault);
  }

  clearFaults(): Promise<EmulatorFaultsView> {
    return this.call("DELETE", "/faults");
  }

  faults(): Promise<EmulatorFaultsView> {
    return this.call("GET", "/faults");
  }

  reset(): Promise<unknown> {
    return this.call("POST", "/reset");
  }
}
