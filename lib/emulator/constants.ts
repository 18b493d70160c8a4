/**
 * The emulator's defaults, each with its unit. Where Duo publishes a value the comment cites
 * shared/duo-auth-api.md; where it does not, the value is the emulator's own choice (UNCONFIRMED).
 */

/** Where the emulator listens by default: loopback only, it is a development tool. */
export const DEFAULT_LISTEN_HOST = "127.0.0.1";

/** Duo Push expires after 60 s (§5, §7). */
export const PUSH_TIMEOUT_SECONDS = 60;
/** A phone call is given up after about one minute (§5, §7). */
export const CALL_TIMEOUT_SECONDS = 60;
/** How long one /auth_status request is held without news. UNCONFIRMED (§4.8); §8.1 suggests 30–60 s. */
export const LONG_POLL_SECONDS = 30;
/** Accepted distance between the request date and our clock. UNCONFIRMED; Duo's own mock uses 300 s (§3.1). */
export const CLOCK_SKEW_SECONDS = 300;

/** `valid_secs` default for /enroll (§4.4). */
export const ENROLL_VALID_SECONDS = 86_400;
/** Largest `valid_secs` we accept. UNCONFIRMED (§4.4): one year keeps expirations sane. */
export const ENROLL_MAX_VALID_SECONDS = 365 * 86_400;
/** `enroll_portal_url` from /preauth is valid five minutes (§4.6). */
export const ENROLL_PORTAL_SECONDS = 300;

/** Failed passcodes in a row before the user is locked out. UNCONFIRMED (§7: an admin setting). */
export const LOCKOUT_THRESHOLD = 10;

/** Passcodes per SMS batch; Duo's guide gives 10 as the maximum (§7). */
export const SMS_BATCH_SIZE = 10;
/** SMS passcode length. UNCONFIRMED (§7). */
export const SMS_PASSCODE_DIGITS = 7;
/** Duo Mobile and hardware-token passcodes: 6-digit HOTP (§7). */
export const HOTP_DIGITS = 6;
/** How many passcodes ahead of the last used one are accepted. UNCONFIRMED (§7, §11 item 9). */
export const HOTP_LOOK_AHEAD = 10;

/** Bypass codes: 9 random digits, single use, one hour by default (§7, second-hand). */
export const BYPASS_CODE_DIGITS = 9;
export const BYPASS_CODE_VALID_SECONDS = 3_600;
export const BYPASS_CODES_MAX_PER_REQUEST = 10;
/** Duo's limit of bypass codes per user (§7). */
export const BYPASS_CODES_MAX_PER_USER = 100;

/** Verified Duo Push: the txid and code expire 60 s after /preauth (§4.6); code length 3–6 (§7). */
export const VERIFIED_PUSH_SECONDS = 60;
export const VERIFIED_PUSH_DIGITS = 3;

/** Remembered Devices token lifetime when the policy is on. UNCONFIRMED (an admin setting): 7 days. */
export const REMEMBERED_DEVICE_SECONDS = 7 * 86_400;

/** `pushinfo` must be under 20,000 bytes once URL-encoded (§4.7, §7). */
export const PUSHINFO_MAX_BYTES = 20_000;
/** Auth API bodies are a handful of parameters plus pushinfo; anything larger is refused unread. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Control API and phone-page bodies are tiny. */
export const MAX_CONTROL_BODY_BYTES = 16 * 1024;

/** Transactions kept per user (for the control API and the virtual phone); older ones are dropped. */
export const TRANSACTIONS_KEPT_PER_USER = 20;
/** State is written at most this often, so a burst of requests costs one write. */
export const PERSIST_DEBOUNCE_MS = 200;
/** Accounts the virtual phone lists (a phone with thousands of accounts would not be usable). */
export const PHONE_ACCOUNTS_SHOWN = 50;
/** A comment line on the phone's event stream keeps idle proxies from closing it. */
export const EVENT_STREAM_KEEPALIVE_MS = 25_000;
/** The longest "slow" fault a test may script: longer than any client timeout, shorter than a test. */
export const MAX_FAULT_DELAY_MS = 120_000;
