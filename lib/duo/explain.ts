/**
 * What a Duo failure means for the person who set the app up, and how to fix it. Used by the CLI, the
 * startup check and the health endpoint. Duo keeps its 401s deliberately vague (§2.2), so each text lists
 * the usual causes in the order they happen in practice.
 */
import { type DuoFailure } from "./errors";

export interface DuoProblem {
  /** One line: what went wrong. */
  summary: string;
  /** What to do about it. */
  fix: string;
}

export interface ExplainContext {
  /** Talking to the built-in emulator rather than Duo. */
  emulator: boolean;
}

const CODE_EXPLANATIONS: Record<number, DuoProblem> = {
  40101: {
    summary: "Duo received no usable credentials (40101 Missing request credentials).",
    fix: "Check that DUO_IKEY is set. If the request goes through a proxy, make sure it passes the Authorization header through unchanged.",
  },
  40102: {
    summary: "Duo does not know this integration key (40102 Invalid integration key).",
    fix: "Copy the Integration key again from your Auth API application in the Duo Admin Panel (Applications → your application) into DUO_IKEY, and check that DUO_HOST is the API hostname shown on the same page: keys only work on their own account's host.",
  },
  40103: {
    summary: "Duo knows the integration key but the signature does not match (40103 Invalid signature).",
    fix: "Usually DUO_SKEY is wrong: copy the Secret key again (40 characters, no quotes or spaces). Otherwise DUO_HOST differs from the API hostname on the application's page (the hostname is part of what is signed), or a proxy changes the request body or its Date header on the way.",
  },
  40104: {
    summary: "Duo found no readable request date (40104 Missing request timestamp).",
    fix: "Something between this server and Duo removes or rewrites the Date header. Let it through, or send the date as X-Duo-Date instead (try: npm run duo -- check --date-header X-Duo-Date).",
  },
  40105: {
    summary: "Duo refused the request date: this server's clock is too far from Duo's (40105 Bad request timestamp).",
    fix: "Synchronise the clock with NTP (for example `timedatectl set-ntp true`, or chrony/ntpd; in a container, fix the host's clock).",
  },
  40301: {
    summary: "These keys belong to another kind of Duo application (40301 Wrong integration type for this API).",
    fix: "Admin API (or Web SDK) keys do not work on the Auth API. In the Duo Admin Panel choose Applications → Protect an Application → \"Auth API\", and use that application's Integration key, Secret key and API hostname.",
  },
  42901: {
    summary: "Duo is rate-limiting these keys (42901 Too Many Requests).",
    fix: "Wait a minute and try again. If it persists, look for a loop or a health probe calling Duo too often.",
  },
  50001: {
    summary: "Duo reported an internal error (50001).",
    fix: "Try again shortly and check https://status.duo.com.",
  },
};

/** 40001 missing and 40002 invalid parameter: message_detail names the parameter or the reason. */
const PARAMETER_CODES = new Set([40001, 40002]);

/** The integrator-facing explanation of a Duo error code (40101–40105, 40301, …), or null for others. */
export function explainDuoErrorCode(code: number | string): DuoProblem | null {
  const numeric = typeof code === "number" ? code : Number(code);
  return Number.isInteger(numeric) ? (CODE_EXPLANATIONS[numeric] ?? null) : null;
}

/** An explanation for any failure, including the ones that never reached Duo. */
export function explainDuoFailure(failure: DuoFailure, context: ExplainContext): DuoProblem {
  const unreachableFix = context.emulator
    ? "Start the built-in emulator with `npm run emulator` (it listens on DUO_EMULATOR_PORT, default 3100), or set DUO_IKEY, DUO_SKEY and DUO_HOST to use Duo."
    : "Check DUO_HOST (api-xxxxxxxx.duosecurity.com, from your Auth API application), DNS, and that this server may open outbound HTTPS connections to it (firewall, egress proxy). Duo's status: https://status.duo.com.";
  switch (failure.kind) {
    case "api":
      return (
        explainDuoErrorCode(failure.code) ?? {
          summary: `Duo answered ${failure.code}: ${failure.message}${failure.messageDetail ? ` (${failure.messageDetail})` : ""}.`,
          fix: PARAMETER_CODES.has(failure.numericCode ?? 0)
            ? `Duo named the parameter it rejected${failure.messageDetail ? ` ("${failure.messageDetail}")` : ""}; check it against the endpoint's parameters in https://duo.com/docs/authapi.`
            : "See the Troubleshooting section of the README for Duo's error codes.",
        }
      );
    case "network":
      return { summary: `${failure.message}.`, fix: unreachableFix };
    case "timeout":
      return { summary: `${failure.message}.`, fix: unreachableFix };
    case "protocol":
      return {
        summary: `Something answered, but not like Duo. ${failure.message}.`,
        fix: context.emulator
          ? "Is another program listening on the emulator's port? Check DUO_EMULATOR_PORT."
          : "Check that DUO_HOST is your Auth API hostname and that no proxy or captive portal answers in Duo's place.",
      };
    case "aborted":
      return { summary: "The request was cancelled before Duo answered.", fix: "Nothing to fix unless this keeps happening." };
  }
}
