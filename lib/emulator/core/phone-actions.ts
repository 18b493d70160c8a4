/**
 * What a person does on the phone: answer a push (approve, deny, report fraud, or ignore it until it
 * times out) or a call (pick up, press # to approve, hang up, report fraud). `timeout` makes the request
 * time out now, as if its 60 s had passed, so tests need not wait.
 */
import { timingSafeEqual } from "node:crypto";
import { advance, expire } from "./auth";
import type { EmulatorContext } from "./context";
import { STATUS_MSG } from "./messages";
import { currentStep, isFinal, type Transaction } from "./model";

export const ANSWERS = ["approve", "deny", "fraud", "ignore", "pickup", "timeout"] as const;
export type Answer = (typeof ANSWERS)[number];

export type AnswerResult =
  | { ok: true; transaction: Transaction }
  | { ok: false; reason: "not_found" | "not_answerable" | "final" | "verification_code_required" };

export function answerTransaction(context: EmulatorContext, txid: string, answer: Answer, verificationCode: string | null): AnswerResult {
  const transaction = context.store.transactions.get(txid);
  if (!transaction) return { ok: false, reason: "not_found" };
  if (transaction.factor !== "push" && transaction.factor !== "phone") return { ok: false, reason: "not_answerable" };
  if (isFinal(transaction)) return { ok: false, reason: "final" };
  if (answer === "ignore") return { ok: true, transaction };
  if (answer === "timeout") {
    expire(context, transaction);
    return { ok: true, transaction };
  }

  if (transaction.factor === "phone") {
    if (currentStep(transaction).status === "calling") {
      advance(context, transaction, { result: "waiting", status: "answered", status_msg: STATUS_MSG.answered });
    }
    if (answer === "approve") advance(context, transaction, { result: "allow", status: "allow", status_msg: STATUS_MSG.allow });
    if (answer === "deny") advance(context, transaction, { result: "deny", status: "deny", status_msg: STATUS_MSG.denied });
    if (answer === "fraud") advance(context, transaction, { result: "deny", status: "fraud", status_msg: STATUS_MSG.fraud });
    return { ok: true, transaction };
  }

  switch (answer) {
    case "pickup":
      return { ok: false, reason: "not_answerable" };
    case "deny":
      advance(context, transaction, { result: "deny", status: "deny", status_msg: STATUS_MSG.denied });
      break;
    case "fraud":
      advance(context, transaction, { result: "deny", status: "fraud", status_msg: STATUS_MSG.fraud });
      break;
    case "approve": {
      const expected = transaction.verificationCode;
      if (expected !== null) {
        if (verificationCode === null || verificationCode === "") return { ok: false, reason: "verification_code_required" };
        // A Verified Push approved with the wrong code is denied: the person may be approving someone else's login.
        if (!sameCode(expected, verificationCode.trim())) {
          advance(context, transaction, { result: "deny", status: "deny", status_msg: STATUS_MSG.wrongVerificationCode });
          break;
        }
      }
      advance(context, transaction, { result: "allow", status: "allow", status_msg: STATUS_MSG.allow });
      break;
    }
  }
  return { ok: true, transaction };
}

function sameCode(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A transaction as the control API and the virtual phone show it. */
export function transactionView(transaction: Transaction) {
  const step = currentStep(transaction);
  return {
    txid: transaction.txid,
    user_id: transaction.user_id,
    factor: transaction.factor,
    device: transaction.device,
    state: step.status,
    result: step.result,
    status_msg: step.status_msg,
    pushinfo: Object.fromEntries(transaction.pushinfo),
    type: transaction.type,
    display_username: transaction.displayUsername,
    ipaddr: transaction.ipaddr,
    hostname: transaction.hostname,
    verified_push: transaction.verificationCode !== null,
    created: Math.floor(transaction.created / 1000),
    expires: transaction.expires === null ? null : Math.floor(transaction.expires / 1000),
    history: transaction.steps.map((s) => s.status),
  };
}
