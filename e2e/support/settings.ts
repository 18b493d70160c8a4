import path from "node:path";

/** Where the end-to-end server listens; `localhost` so that Chromium treats it as a secure context. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
/** The Duo emulator the end-to-end server talks to. */
export const E2E_EMULATOR_PORT = Number(process.env.E2E_EMULATOR_PORT ?? 3211);
export const E2E_EMULATOR_URL = `http://127.0.0.1:${E2E_EMULATOR_PORT}`;
/** What the server wrote for the tests: its database URL. */
export const E2E_CONTEXT_FILE = path.resolve(import.meta.dirname, "../../test-results/e2e-context.json");
