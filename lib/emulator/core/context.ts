/** What the domain operations share: state, the transaction book, the live policy and the clock. */
import type { Policy } from "./policy";
import type { Store } from "./store";
import type { TransactionBook } from "./transaction-book";

export interface EmulatorContext {
  store: Store;
  book: TransactionBook;
  /** The live policy; PUT /emulator/v1/policy changes it in place. */
  policy: Policy;
  /** Unix milliseconds. Injectable so tests can move time. */
  now: () => number;
  /** Call after any change: schedules the snapshot write and tells the virtual phone. */
  changed: () => void;
  /** The API hostname clients sign, also encoded into activation codes (§6). */
  apiHost: string;
  /** Where the emulator is reached, e.g. `http://127.0.0.1:3100` (known once it listens). */
  baseUrl: () => string;
  /** The integration key, for the `akey` of enroll_portal_url. */
  ikey: string;
}
