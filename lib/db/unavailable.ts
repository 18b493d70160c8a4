/**
 * Telling "the database could not be reached" apart from every other database error, so that callers can
 * answer SERVICE_UNAVAILABLE (try again shortly) rather than a wrong verdict or a 500.
 */
import { Prisma } from "./client";

/**
 * Prisma's codes for a database that is not there: can't reach (P1001), timed out reaching it (P1002),
 * operation timed out (P1008), server closed the connection (P1017), no pool connection in time (P2024),
 * too many connections (P2037).
 */
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);

/**
 * Driver errors Prisma passes through without a code: node-postgres losing or failing to open a connection,
 * a socket refused or reset, and SQLite waiting past its busy timeout for another writer.
 */
const UNAVAILABLE_MESSAGE = /connection terminated|timeout exceeded when trying to connect|ECONNREFUSED|ECONNRESET|EPIPE|database is locked|SQLITE_BUSY/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError) return UNAVAILABLE_CODES.has(error.code);
  if (error instanceof Error) {
    if (UNAVAILABLE_MESSAGE.test(error.message)) return true;
    return error.cause !== undefined && error.cause !== error && isDatabaseUnavailable(error.cause);
  }
  return false;
}
