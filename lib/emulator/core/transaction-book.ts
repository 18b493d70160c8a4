/**
 * Transactions in motion: each state change bumps the transaction's version (its number of steps) and
 * wakes whoever waits on it — a synchronous /auth, or an /auth_status long-poll — in the same tick.
 * Pushes and calls carry a deadline; a timer moves them to `timeout` when nobody answers.
 */
import { currentStep, isFinal, type Step, type Transaction } from "./model";
import type { Store } from "./store";

type Waker = () => void;

export class TransactionBook {
  private readonly waiters = new Map<string, Set<Waker>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Bumped by clear(), so waits begun before a reset or close end instead of waiting forever. */
  private generation = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    /** Called when a deadline passes with the transaction still waiting. */
    private readonly onExpire: (transaction: Transaction) => void,
    /** Called after every state change (persistence, the phone's event stream). */
    private readonly onChange: () => void,
  ) {}

  start(transaction: Transaction): void {
    for (const dropped of this.store.addTransaction(transaction)) this.forget(dropped.txid);
    this.armDeadline(transaction);
    this.onChange();
  }

  /** Appends a step; a final step disarms the deadline. Waiters wake in this same tick. */
  advance(transaction: Transaction, step: Omit<Step, "at">): void {
    if (isFinal(transaction)) return;
    transaction.steps.push({ ...step, at: this.now() });
    if (isFinal(transaction)) this.disarm(transaction.txid);
    const waiting = this.waiters.get(transaction.txid);
    if (waiting) for (const wake of [...waiting]) wake();
    this.onChange();
  }

  /** After a restart: re-arm the deadlines of transactions still waiting (expiring at once if past). */
  restore(): void {
    for (const transaction of this.store.transactions.values()) this.armDeadline(transaction);
  }

  /**
   * Resolves when the transaction's version passes `seenVersion`, after `limitMs`, or when `signal`
   * aborts (the client went away), whichever comes first.
   */
  waitForChange(transaction: Transaction, seenVersion: number, limitMs: number, signal: AbortSignal): Promise<void> {
    if (transaction.steps.length > seenVersion || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", finish);
        this.unwait(transaction.txid, finish);
        resolve();
      };
      const timer = setTimeout(finish, limitMs);
      signal.addEventListener("abort", finish);
      this.wait(transaction.txid, finish);
    });
  }

  /** Resolves once the transaction is final, when `signal` aborts, or when the transaction is forgotten. */
  async waitForFinal(transaction: Transaction, signal: AbortSignal): Promise<void> {
    const generation = this.generation;
    const live = () => generation === this.generation && this.store.transactions.get(transaction.txid) === transaction;
    while (!isFinal(transaction) && !signal.aborted && live()) {
      await new Promise<void>((resolve) => {
        const finish = () => {
          signal.removeEventListener("abort", finish);
          this.unwait(transaction.txid, finish);
          resolve();
        };
        signal.addEventListener("abort", finish);
        this.wait(transaction.txid, finish);
      });
    }
  }

  /** Stops every timer and releases every waiter (reset, close). */
  clear(): void {
    this.generation += 1;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    const all = [...this.waiters.values()].flatMap((set) => [...set]);
    this.waiters.clear();
    for (const wake of all) wake();
  }

  private armDeadline(transaction: Transaction): void {
    if (transaction.expires === null || isFinal(transaction)) return;
    const delay = Math.max(0, transaction.expires - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(transaction.txid);
      if (!isFinal(transaction) && currentStep(transaction).result === "waiting") this.onExpire(transaction);
    }, delay);
    timer.unref();
    this.timers.set(transaction.txid, timer);
  }

  private disarm(txid: string): void {
    const timer = this.timers.get(txid);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(txid);
  }

  private forget(txid: string): void {
    this.disarm(txid);
    const waiting = this.waiters.get(txid);
    this.waiters.delete(txid);
    if (waiting) for (const wake of waiting) wake();
  }

  private wait(txid: string, wake: Waker): void {
    const set = this.waiters.get(txid) ?? new Set<Waker>();
    set.add(wake);
    this.waiters.set(txid, set);
  }

  private unwait(txid: string, wake: Waker): void {
    const set = this.waiters.get(txid);
    if (!set) return;
    set.delete(wake);
    if (set.size === 0) this.waiters.delete(txid);
  }
}
