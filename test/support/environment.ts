/**
 * Runs before each test file: points every embedded default (data folder, emulator state) at a fresh
 * temporary folder, so tests never read or write the developer's own data/ folder.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dir = mkdtempSync(path.join(tmpdir(), "duo2fa-test-"));
process.env.DATA_DIR = dir;
process.env.DUO_EMULATOR_DATA = path.join(dir, "duo-emulator");
process.env.NEXT_TELEMETRY_DISABLED = "1";
