/** Where the end-to-end server listens; `localhost` so that Chromium treats it as a secure context. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
