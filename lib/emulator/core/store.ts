/**
 * The emulator's state in memory, with the indexes lookups need (users by id and by name, devices by id,
 * transactions per user). Everything runs on one event loop, so each operation below is atomic.
 */
import { TRANSACTIONS_KEPT_PER_USER } from "../constants";
import {
  SNAPSHOT_FORMAT,
  type Device,
  type EnrollPortal,
  type Enrollment,
  type PendingVerifiedPush,
  type Snapshot,
  type Transaction,
  type TrustedDevice,
  type User,
} from "./model";

export interface DeviceOwner {
  user: User;
  device: Device;
}

export class Store {
  readonly users = new Map<string, User>();
  private readonly names = new Map<string, string>();
  private readonly deviceOwners = new Map<string, string>();
  readonly enrollments = new Map<string, Enrollment>();
  readonly transactions = new Map<string, Transaction>();
  private readonly userTransactions = new Map<string, string[]>();
  readonly trustedDevices = new Map<string, TrustedDevice>();
  readonly verifiedPushes = new Map<string, PendingVerifiedPush>();
  readonly portals = new Map<string, EnrollPortal>();

  load(snapshot: Snapshot): void {
    this.clear();
    for (const user of snapshot.users) this.addUser(user);
    for (const enrollment of snapshot.enrollments) this.enrollments.set(enrollment.code, enrollment);
    for (const transaction of [...snapshot.transactions].sort((a, b) => a.created - b.created)) this.addTransaction(transaction);
    for (const trusted of snapshot.trustedDevices) this.trustedDevices.set(trusted.token, trusted);
    for (const pending of snapshot.verifiedPushes) this.verifiedPushes.set(pending.txid, pending);
    for (const portal of snapshot.portals) this.portals.set(portal.code, portal);
  }

  /** The snapshot to persist; expired one-time things are dropped on the way. */
  snapshot(now: number): Snapshot {
    return {
      format: SNAPSHOT_FORMAT,
      users: [...this.users.values()],
      enrollments: [...this.enrollments.values()].filter((e) => e.claimed !== null || e.expires > now),
      transactions: [...this.transactions.values()],
      trustedDevices: [...this.trustedDevices.values()].filter((t) => t.expires > now),
      verifiedPushes: [...this.verifiedPushes.values()].filter((v) => v.expires > now),
      portals: [...this.portals.values()].filter((p) => !p.used && p.expires > now),
    };
  }

  clear(): void {
    this.users.clear();
    this.names.clear();
    this.deviceOwners.clear();
    this.enrollments.clear();
    this.transactions.clear();
    this.userTransactions.clear();
    this.trustedDevices.clear();
    this.verifiedPushes.clear();
    this.portals.clear();
  }

  addUser(user: User): void {
    this.users.set(user.user_id, user);
    for (const name of [user.username, ...user.aliases]) this.names.set(normalizeName(name), user.user_id);
    for (const device of user.devices) this.deviceOwners.set(device.device, user.user_id);
  }

  /** Usernames and aliases match case-insensitively (the emulator's choice; Duo normalises by default). */
  userByName(name: string): User | undefined {
    const id = this.names.get(normalizeName(name));
    return id === undefined ? undefined : this.users.get(id);
  }

  userById(userId: string): User | undefined {
    return this.users.get(userId);
  }

  /** For the control API: a path segment that is either a user_id or a username. */
  userByRef(ref: string): User | undefined {
    return this.users.get(ref) ?? this.userByName(ref);
  }

  addDevice(user: User, device: Device): void {
    user.devices.push(device);
    this.deviceOwners.set(device.device, user.user_id);
  }

  deviceOwner(deviceId: string): DeviceOwner | undefined {
    const userId = this.deviceOwners.get(deviceId);
    const user = userId === undefined ? undefined : this.users.get(userId);
    const device = user?.devices.find((d) => d.device === deviceId);
    return user && device ? { user, device } : undefined;
  }

  /** Adds a transaction; the user's oldest finished ones beyond the cap are forgotten. */
  addTransaction(transaction: Transaction): Transaction[] {
    this.transactions.set(transaction.txid, transaction);
    const list = this.userTransactions.get(transaction.user_id) ?? [];
    list.push(transaction.txid);
    this.userTransactions.set(transaction.user_id, list);
    const dropped: Transaction[] = [];
    while (list.length > TRANSACTIONS_KEPT_PER_USER) {
      const oldest = list.shift();
      const gone = oldest === undefined ? undefined : this.transactions.get(oldest);
      if (oldest !== undefined) this.transactions.delete(oldest);
      if (gone) dropped.push(gone);
    }
    return dropped;
  }

  /** The user's transactions, newest first. */
  transactionsOf(userId: string): Transaction[] {
    const list = this.userTransactions.get(userId) ?? [];
    const out: Transaction[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const transaction = this.transactions.get(list[i] ?? "");
      if (transaction) out.push(transaction);
    }
    return out;
  }
}

export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}
