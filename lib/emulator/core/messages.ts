/**
 * `status_msg` texts. [OBS] ones are what Duo sent in published responses (§4.7, §5); [MOCK] ones come
 * from Duo's own test double; the rest are the emulator's wording (UNCONFIRMED, §11 item 10).
 */
export const STATUS_MSG = {
  accountActive: "Account is active", // [OBS]
  enroll: "Enroll an authentication device to proceed", // [MOCK]
  allowBypassUser: "Allowing user in bypass mode", // UNCONFIRMED
  allowRememberedDevice: "Remembered device. Logging you in...", // UNCONFIRMED
  allowUnknownUser: "Allowing unknown user", // UNCONFIRMED
  denyUnknownUser: "Login denied: unknown user", // UNCONFIRMED
  denyDisabled: "Your account is disabled.", // UNCONFIRMED
  denyLockedOut: "Your account has been locked out due to excessive authentication failures.", // UNCONFIRMED
  allow: "Success. Logging you in...", // [OBS]
  pushed: "Pushed a login request to your device...", // [OBS]
  verifiedPushed: (code: string) => `Please enter verification code ${code} into Duo Mobile...`, // [MOCK]
  denied: "Login request denied.", // [OBS]
  timeout: "Login timed out.", // [OBS]
  fraud: "Login request reported as fraudulent.", // UNCONFIRMED
  wrongVerificationCode: "Incorrect verification code. Login request denied.", // UNCONFIRMED
  incorrectPasscode: "Incorrect passcode. Please try again.", // [OBS]
  smsSent: "New SMS passcodes sent.", // [OBS]
  calling: (maskedNumber: string) => `Dialing ${maskedNumber}...`, // [MOCK]
  answered: "Answered. Press '#' on your phone to log in.", // [MOCK]
} as const;
