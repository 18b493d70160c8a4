/** Enrollment as a user does it, with the emulator's control API playing Duo Mobile. */
import { expect, type Page } from "@playwright/test";
import type { DuoFixture } from "./test";

export interface Enrolled {
  duoUserId: string;
  device: string;
  backupCodes: string[];
}

/** The activation code, read from the QR image's address (Duo puts it in the `value` parameter). */
export async function activationCodeOnPage(page: Page): Promise<string> {
  const qr = page.getByRole("img", { name: "QR code to scan with Duo Mobile" });
  await expect(qr).toBeVisible();
  const src = await qr.getAttribute("src");
  const code = src ? new URL(src).searchParams.get("value") : null;
  if (!code) throw new Error(`no activation code in the QR image address ${src}`);
  return code;
}

/**
 * Sends a push from the second-factor step on the page and approves it on the "phone", typing the Verified
 * Push code shown on the page when Duo asks for one.
 */
export async function approvePush(page: Page, duo: DuoFixture, duoUser: string): Promise<void> {
  const scope = (await page.getByRole("dialog").count()) > 0 ? page.getByRole("dialog") : page.getByRole("main");
  await scope.getByRole("button", { name: "Send Duo Push" }).click();
  const push = await duo.control.waitingTransaction(duoUser);
  const code = push.verified_push ? await scope.getByTestId("verification-code").textContent() : null;
  await duo.control.answer(push.txid, "approve", code ?? undefined);
}

/** From the QR code on screen to 2FA on: scan, approve the first push, save the backup codes, finish. */
export async function completeEnrollment(page: Page, duo: DuoFixture, finishLabel = "Turn on two-factor authentication"): Promise<Enrolled> {
  const { user_id, device } = await duo.control.activate(await activationCodeOnPage(page));
  await expect(page.getByText("Duo Mobile is set up.")).toBeVisible();
  await approvePush(page, duo, user_id);
  const sheet = page.getByTestId("backup-codes-sheet");
  await expect(sheet).toBeVisible();
  const backupCodes = await page.getByTestId("backup-codes").getByRole("listitem").allTextContents();
  const finish = sheet.getByRole("button", { name: finishLabel });
  await expect(finish).toBeDisabled();
  await page.getByLabel("I saved these codes somewhere safe").check();
  await finish.click();
  return { duoUserId: user_id, device, backupCodes };
}
