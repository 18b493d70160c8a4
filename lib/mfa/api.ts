/**
 * The JSON the second-factor routes answer, shared by the routes and the UI (types only, no server code).
 */
import type { ChallengeLimits, MfaView, WaitView } from "./second-factor";

export type { ChallengeLimits, DeviceView, MfaView, WaitView } from "./second-factor";

/** The challenge passed. `done`: the session is upgraded; `backup-codes`: enrollment continues. */
export type PassedResponse = { status: "passed"; next: "done" | "backup-codes" };

export type SendResponse = {
  status: "pushed" | "calling" | "sent";
  /** Verified Duo Push: type this into Duo Mobile. */
  verificationCode: string | null;
  smsNextcode: string | null;
  limits: ChallengeLimits;
};

export type CodeFailureResponse = { error: { code: string; message: string }; attemptsLeft: number };

export type StatusResponse = Exclude<WaitView, { status: "passed" }> | PassedResponse;

export type OpenResponse = Exclude<MfaView, { status: "passed" }> | PassedResponse;
