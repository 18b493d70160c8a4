/**
 * Auth API parameters: collected from the query and the form or JSON body, then validated per endpoint
 * with zod. A missing required parameter is 40001 and a bad one 40002, each naming the parameter (§2.2).
 */
import { isIP } from "node:net";
import { z } from "zod";
import { duoFail, duoOk, type DuoResult } from "../core/duo-errors";
import type { UserRef } from "../core/preauth";
import type { BodyKind } from "./verify";

export type Params = Readonly<Record<string, string>>;

/**
 * Query parameters plus the body's. JSON values may be strings, numbers or booleans (PHP sends numbers;
 * §1: accept "1", 1 and true); anything nested is refused. A repeated name is refused rather than
 * guessed at, so a client and the emulator can never read different values.
 */
export function collectParams(query: ReadonlyArray<readonly [string, string]>, form: ReadonlyArray<readonly [string, string]>, body: Buffer, bodyKind: BodyKind): DuoResult<Params> {
  const out: Record<string, string> = {};
  const add = (key: string, value: string): string | null => {
    if (Object.hasOwn(out, key)) return key;
    out[key] = value;
    return null;
  };
  for (const [key, value] of [...query, ...form]) {
    const repeated = add(key, value);
    if (repeated !== null) return duoFail(40002, repeated);
  }
  if (bodyKind === "other") return duoFail(40002, "Content-Type");
  if (bodyKind === "json") {
    let data: unknown;
    try {
      data = JSON.parse(body.toString("utf8"));
    } catch {
      return duoFail(40002, "body");
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) return duoFail(40002, "body");
    for (const [key, value] of Object.entries(data)) {
      let text: string;
      if (typeof value === "string") text = value;
      else if (typeof value === "number" && Number.isFinite(value)) text = String(value);
      else if (typeof value === "boolean") text = value ? "1" : "0";
      else return duoFail(40002, key);
      const repeated = add(key, text);
      if (repeated !== null) return duoFail(40002, repeated);
    }
  }
  return duoOk(out);
}

/** Validates params against a schema; the first missing parameter wins over the first invalid one. */
export function validate<S extends z.ZodType>(schema: S, params: Params): DuoResult<z.output<S>> {
  const result = schema.safeParse(params);
  if (result.success) return duoOk(result.data);
  const names = result.error.issues.map((issue) => String(issue.path[0] ?? ""));
  const missing = names.find((name) => name !== "" && params[name] === undefined);
  if (missing !== undefined) return duoFail(40001, missing);
  return duoFail(40002, names[0] || undefined);
}

/** Exactly one of user_id and username (§4.6). Neither: 40001; both: 40002 (both UNCONFIRMED). */
export function userRef(params: Params): DuoResult<UserRef> {
  const userId = params.user_id;
  const username = params.username;
  if (userId !== undefined && username !== undefined) return duoFail(40002, "user_id");
  if (userId !== undefined) return userId.length > 0 && userId.length <= 64 ? duoOk({ user_id: userId }) : duoFail(40002, "user_id");
  if (username !== undefined) return username.trim().length > 0 && username.length <= USERNAME_MAX_LENGTH ? duoOk({ username }) : duoFail(40002, "username");
  return duoFail(40001, "username");
}

/** Username length limit. UNCONFIRMED (§11 item 4). */
export const USERNAME_MAX_LENGTH = 256;
/** Free-text parameters (hostname, type, display_username): a generous cap of the emulator's own. */
const TEXT_MAX_LENGTH = 1024;

export const text = z.string().max(TEXT_MAX_LENGTH);
/** Booleans as Duo's clients send them: "1"/"0" (also "true"/"false"). */
export const flag = z.enum(["1", "0", "true", "false"]).transform((value) => value === "1" || value === "true");
export const positiveInteger = (max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(max));
/** "Dotted quad" in the docs; IPv6 is accepted too (UNCONFIRMED, §11 item 4). */
export const ipaddr = z.string().refine((value) => isIP(value) !== 0);
