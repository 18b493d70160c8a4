/**
 * Every rate limit the app applies, in one place. Windows are fixed (rate-limiter-flexible's model):
 * `points` actions per `durationSeconds`, counted in the database or in Redis so that they hold across
 * server instances.
 */
export interface LimitRule {
  /** Also the key prefix in the store. */
  name: string;
  points: number;
  durationSeconds: number;
}

const MINUTE = 60;

export const LIMITS = {
  /** Sign-in attempts from one address, right or wrong. */
  signInPerIp: { name: "sign-in-ip", points: 30, durationSeconds: 10 * MINUTE },
  /** Failed sign-ins for one email address, whoever tries (slows password guessing on one account). */
  signInFailuresPerAccount: { name: "sign-in-fail-account", points: 10, durationSeconds: 15 * MINUTE },
  /** Password changes tried by one account (each checks the current password, a guessing surface). */
  passwordChangesPerAccount: { name: "password-change-account", points: 5, durationSeconds: 15 * MINUTE },
  /** New accounts from one address. */
  signUpPerIp: { name: "sign-up-ip", points: 10, durationSeconds: 60 * MINUTE },
  /** Second-factor actions (send a push, place a call, send SMS, check a code) by one account. */
  mfaActionsPerAccount: { name: "mfa-action-account", points: 30, durationSeconds: 10 * MINUTE },
  /** Second-factor actions from one address, across accounts. */
  mfaActionsPerIp: { name: "mfa-action-ip", points: 100, durationSeconds: 10 * MINUTE },
  /** Status polls by one account (a waiting page polls about every 20 s, plus retries). */
  mfaStatusPerAccount: { name: "mfa-status-account", points: 240, durationSeconds: 10 * MINUTE },
} as const satisfies Record<string, LimitRule>;
