/**
 * Bad input at the edge gets a clear 4xx with an error code and message: never a 500, never a stack
 * trace, never a partial write.
 */
import type { APIResponse } from "@playwright/test";
import { expect, test } from "./support/test";
import { E2E_BASE_URL } from "./support/settings";
import { newEmail, newPassword } from "./support/accounts";

const ORIGIN = { Origin: E2E_BASE_URL };

async function expectClearError(response: APIResponse, status: number, code: string): Promise<void> {
  const text = await response.text();
  expect(response.status(), text).toBe(status);
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
}

test.describe("POST /api/sign-up", () => {
  const url = "/api/sign-up";

  test("malformed JSON", async ({ request }) => {
    const response = await request.post(url, { headers: { ...ORIGIN, "Content-Type": "application/json" }, data: "{\"email\": " });
    await expectClearError(response, 400, "INVALID_INPUT");
  });

  test("missing fields", async ({ request }) => {
    await expectClearError(await request.post(url, { headers: ORIGIN, data: {} }), 400, "INVALID_INPUT");
    await expectClearError(await request.post(url, { headers: ORIGIN, data: { email: newEmail() } }), 400, "INVALID_INPUT");
  });

  test("extra fields", async ({ request }) => {
    const response = await request.post(url, { headers: ORIGIN, data: { email: newEmail(), password: newPassword(), admin: true } });
    await expectClearError(response, 400, "INVALID_INPUT");
  });

  test("wrong types", async ({ request }) => {
    for (const data of [[], "text", 42, null, { email: 42, password: newPassword() }, { email: newEmail(), password: ["a"] }, { email: { $ne: "" }, password: {} }]) {
      await expectClearError(await request.post(url, { headers: { ...ORIGIN, "Content-Type": "application/json" }, data: JSON.stringify(data) }), 400, "INVALID_INPUT");
    }
  });

  test("a 1,000-character email", async ({ request }) => {
    const email = `${"a".repeat(988)}@example.com`;
    const response = await request.post(url, { headers: ORIGIN, data: { email, password: newPassword() } });
    await expectClearError(response, 400, "INVALID_INPUT");
  });

  test("a 10 MB password is refused before it is read", async ({ request }) => {
    const response = await request.post(url, { headers: ORIGIN, data: { email: newEmail(), password: "p".repeat(10 * 1024 * 1024) } });
    await expectClearError(response, 413, "BODY_TOO_LARGE");
  });

  test("a 300-character password gets the password rule, not a crash", async ({ request }) => {
    const response = await request.post(url, { headers: ORIGIN, data: { email: newEmail(), password: "lantern meadow ".repeat(20) } });
    await expectClearError(response, 400, "PASSWORD_TOO_LONG");
  });

  test("a body that is not JSON or a form", async ({ request }) => {
    const response = await request.post(url, { headers: { ...ORIGIN, "Content-Type": "text/plain" }, data: "hello" });
    await expectClearError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  test("a cross-origin request is refused", async ({ request }) => {
    const response = await request.post(url, { headers: { Origin: "https://evil.example" }, data: { email: newEmail(), password: newPassword() } });
    await expectClearError(response, 403, "CROSS_ORIGIN");
  });

  test("an existing email is refused without a second account", async ({ request }) => {
    const email = newEmail();
    expect((await request.post(url, { headers: ORIGIN, data: { email, password: newPassword() } })).status()).toBe(201);
    await expectClearError(await request.post(url, { headers: ORIGIN, data: { email, password: newPassword() } }), 409, "EMAIL_TAKEN");
  });
});

test.describe("the sign-in endpoint", () => {
  test("a 10 MB body is refused before it is read", async ({ request }) => {
    const response = await request.post("/api/auth/callback/credentials", {
      headers: ORIGIN,
      form: { email: newEmail(), password: "p".repeat(10 * 1024 * 1024) },
    });
    await expectClearError(response, 413, "BODY_TOO_LARGE");
  });
});

test("protected API routes answer 401 JSON, not a redirect", async ({ request }) => {
  const response = await request.get("/api/not-a-route", { maxRedirects: 0 });
  await expectClearError(response, 401, "UNAUTHENTICATED");
});
