/**
 * The virtual Duo Mobile, rendered on the server: pending requests (push and calls) with their context,
 * accounts with their current passcode and received SMS, and recent outcomes. The live part is a
 * fragment of its own, which the page's script re-fetches when the event stream says something changed.
 */
import { PHONE_ACCOUNTS_SHOWN } from "../constants";
import type { EmulatorContext } from "../core/context";
import { currentStep, isFinal, type Device, type Transaction, type User } from "../core/model";
import { displayedPasscode, generatesPasscodes } from "../core/passcodes";
import { maskNumber } from "../core/users";
import { html, page, type Html } from "./html";

const RECENT_SHOWN = 8;

/** Messages after a form post (no-JS path: ?notice=…); the script shows the same texts. */
export const NOTICES = {
  added: "Account added. Pushes and calls for it appear below.",
  unknown: "That activation code is not known to this emulator.",
  expired: "That activation code has expired. Start the enrollment again.",
  claimed: "That activation code was already used.",
  approved: "Approved.",
  denied: "Denied.",
  fraud: "Reported as fraud.",
  ignored: "Left unanswered.",
  finished: "That request had already finished.",
  code_required: "Enter the code shown on the login screen to approve.",
  gone: "That request no longer exists.",
  passcode: "New passcode generated.",
  invalid: "That form was not valid.",
} as const;
export type NoticeKey = keyof typeof NOTICES;

export function isNoticeKey(value: string | null): value is NoticeKey {
  return value !== null && Object.hasOwn(NOTICES, value);
}

const time = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(11, 19)} UTC</time>`;
};

export function phonePage(context: EmulatorContext, options: { activation: string; notice: NoticeKey | null }): Html {
  // Adding an account comes first when that is what the person came for (an activation link, or no
  // account yet); otherwise requests lead, as on the real app.
  const addFirst = options.activation !== "" || phoneAccounts(context).length === 0;
  const addAccount = html`<section class="card" aria-labelledby="add-title">
    <h2 id="add-title">Add an account</h2>
    <form method="post" action="/phone/activate" class="add">
      <label for="activation_code">Activation code or link (what the QR code holds)</label>
      <input id="activation_code" name="activation_code" value="${options.activation}" required autocomplete="off" spellcheck="false" placeholder="duo://…">
      <button type="submit">Add account</button>
    </form>
  </section>`;
  return page(
    "Virtual Duo Mobile",
    html`<header class="bar">
  <img src="/favicon.ico" alt="" width="32" height="32">
  <div><h1>Virtual Duo Mobile</h1><p>Duo Auth API emulator · for development only</p></div>
</header>
<main>
  <p id="notice" class="notice" role="status">${options.notice === null ? "" : NOTICES[options.notice]}</p>
  <p id="announce" class="visually-hidden" aria-live="assertive"></p>
  ${addFirst ? addAccount : ""}
  <div id="live">${phoneFragment(context)}</div>
  ${addFirst ? "" : addAccount}
  <noscript><p class="hint">Without JavaScript this page does not update by itself: reload it to see new requests.</p></noscript>
</main>`,
    { script: true },
  );
}

export function phoneFragment(context: EmulatorContext): Html {
  const transactions = [...context.store.transactions.values()].sort((a, b) => b.created - a.created);
  const pending = transactions.filter((t) => !isFinal(t) && (t.factor === "push" || t.factor === "phone"));
  const recent = transactions.filter((t) => isFinal(t)).slice(0, RECENT_SHOWN);
  const accounts = phoneAccounts(context);
  return html`<section class="card" aria-labelledby="requests-title">
  <h2 id="requests-title">Requests <span class="count">${pending.length}</span></h2>
  ${pending.length === 0 ? html`<p class="empty">No pending requests. Sign in to the app and choose Duo Push or a phone call.</p>` : pending.map((t) => requestCard(context, t))}
</section>
<section class="card" aria-labelledby="accounts-title">
  <h2 id="accounts-title">Accounts</h2>
  ${accounts.length === 0 ? html`<p class="empty">No accounts yet. Enroll in the app, then paste the activation code above or open its link.</p>` : accounts.map(({ user, device }) => accountCard(user, device))}
</section>
<section class="card" aria-labelledby="recent-title">
  <h2 id="recent-title">Recent</h2>
  ${recent.length === 0 ? html`<p class="empty">Nothing yet.</p>` : html`<ul class="recent">${recent.map((t) => recentItem(context, t))}</ul>`}
</section>`;
}

function phoneAccounts(context: EmulatorContext): Array<{ user: User; device: Device }> {
  const out: Array<{ user: User; device: Device }> = [];
  for (const user of context.store.users.values()) {
    for (const device of user.devices) if (device.onPhone) out.push({ user, device });
  }
  return out.sort((a, b) => b.device.created - a.device.created).slice(0, PHONE_ACCOUNTS_SHOWN);
}

function requestCard(context: EmulatorContext, transaction: Transaction): Html {
  const user = context.store.userById(transaction.user_id);
  const who = transaction.displayUsername ?? user?.username ?? transaction.user_id;
  const device = transaction.device === null ? undefined : context.store.deviceOwner(transaction.device)?.device;
  const id = transaction.txid;
  const isPush = transaction.factor === "push";
  const title = isPush ? (transaction.type ? `${transaction.type} request` : "Login request") : "Incoming call from Duo";
  const step = currentStep(transaction);
  const verified = isPush && transaction.verificationCode !== null;
  return html`<article class="request" data-txid="${id}" aria-labelledby="t-${id}">
  <h3 id="t-${id}">${title}</h3>
  <p class="meta">for <strong>${who}</strong>${transaction.expires === null ? "" : html` · expires ${time(transaction.expires)}`}</p>
  <dl class="context">
    ${transaction.hostname ? html`<dt>Host</dt><dd>${transaction.hostname}</dd>` : ""}
    ${transaction.ipaddr ? html`<dt>IP address</dt><dd>${transaction.ipaddr}</dd>` : ""}
    ${device ? html`<dt>Device</dt><dd>${device.name || device.platform}${device.number ? ` (${maskNumber(device.number)})` : ""}</dd>` : ""}
    ${transaction.pushinfo.map(([key, value]) => html`<dt>${key}</dt><dd>${value}</dd>`)}
    <dt>State</dt><dd>${step.status}</dd>
  </dl>
  <form method="post" action="/phone/answer" class="answer">
    <input type="hidden" name="txid" value="${id}">
    ${
      verified
        ? html`<label for="vc-${id}">Code shown on the login screen</label>
    <input id="vc-${id}" name="verification_code" inputmode="numeric" autocomplete="off" pattern="[0-9]*" maxlength="6" required data-preserve>`
        : ""
    }
    <div class="actions">
      <button type="submit" name="answer" value="approve" class="approve">${isPush ? "Approve" : "Answer and press #"}</button>
      <button type="submit" name="answer" value="deny" class="deny" formnovalidate>${isPush ? "Deny" : "Hang up"}</button>
      <button type="submit" name="answer" value="fraud" class="fraud" formnovalidate>Report fraud</button>
    </div>
  </form>
</article>`;
}

function accountCard(user: User, device: Device): Html {
  const id = device.device;
  const sms = user.sms !== null && user.sms.device === id ? user.sms : null;
  return html`<article class="account" aria-labelledby="a-${id}">
  <h3 id="a-${id}">${user.username}</h3>
  <p class="meta">${device.name || device.platform}${device.number ? ` · ${maskNumber(device.number)}` : ""} · <code>${id}</code></p>
  ${
    generatesPasscodes(device)
      ? html`<div class="passcode">
    <span id="p-${id}">Passcode</span>
    <output aria-labelledby="p-${id}">${displayedPasscode(device)}</output>
    <form method="post" action="/phone/passcode/next"><input type="hidden" name="device" value="${id}"><button type="submit">New passcode</button></form>
  </div>`
      : ""
  }
  ${
    sms
      ? html`<details class="sms" open><summary>Text message: SMS passcodes, sent ${time(sms.sent)}</summary>
    <ol>${sms.codes.map((code, i) => (i < sms.next ? html`<li class="used"><del>${code}</del> <span class="visually-hidden">(used)</span></li>` : html`<li>${code}</li>`))}</ol>
  </details>`
      : ""
  }
</article>`;
}

function recentItem(context: EmulatorContext, transaction: Transaction): Html {
  const user = context.store.userById(transaction.user_id);
  const step = currentStep(transaction);
  return html`<li class="result-${step.result}">${time(step.at)} · ${user?.username ?? transaction.user_id} · ${transaction.factor}: <strong>${step.status}</strong></li>`;
}
