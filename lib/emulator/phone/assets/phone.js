// The virtual Duo Mobile's only script (served from /phone/phone.js; the page has no inline code).
// It re-fetches the live part of the page whenever the emulator's event stream reports a change,
// announces new requests to screen readers, and sends the page's forms with fetch so nothing reloads.
const live = document.getElementById("live");
const notice = document.getElementById("notice");
const announce = document.getElementById("announce");
/** Polling interval when the browser has no EventSource. */
const POLL_MS = 3000;

let refreshing = false;
let again = false;

function txids(root) {
  return new Set(Array.from(root.querySelectorAll("[data-txid]"), (element) => element.dataset.txid));
}

async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    const response = await fetch("/phone/fragment", { cache: "no-store" });
    if (!response.ok) return;
    const markup = await response.text();
    const before = txids(live);
    // Keep what the person is typing (a Verified Push code) and where the focus is.
    const typed = new Map(Array.from(live.querySelectorAll("input[data-preserve]"), (input) => [input.id, input.value]));
    const focused = document.activeElement && live.contains(document.activeElement) ? document.activeElement.id : "";
    const template = document.createElement("template");
    // Markup from our own server, where every value is escaped; it holds no scripts.
    template.innerHTML = markup;
    live.replaceChildren(template.content);
    for (const [id, value] of typed) {
      const input = document.getElementById(id);
      if (input) input.value = value;
    }
    if (focused) document.getElementById(focused)?.focus();
    const fresh = Array.from(txids(live)).filter((id) => !before.has(id));
    if (fresh.length > 0) {
      const title = live.querySelector(`[data-txid="${CSS.escape(fresh[0])}"] h3`);
      announce.textContent = `New: ${title ? title.textContent : "request"}`;
    }
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !new URL(form.action).pathname.startsWith("/phone/")) return;
  event.preventDefault();
  const data = new URLSearchParams(new FormData(form));
  const submitter = event.submitter;
  if (submitter && submitter.name) data.set(submitter.name, submitter.value);
  for (const button of form.querySelectorAll("button")) button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Phone-Fetch": "1" },
      body: data,
    });
    const result = await response.json();
    notice.textContent = result.message || "";
    if (form.classList.contains("add") && result.notice === "added") {
      form.reset();
      history.replaceState(null, "", "/phone");
    }
  } catch {
    notice.textContent = "The emulator did not answer. Is it still running?";
  } finally {
    for (const button of form.querySelectorAll("button")) button.disabled = false;
    void refresh();
  }
});

if ("EventSource" in window) {
  const source = new EventSource("/phone/events");
  source.addEventListener("change", () => void refresh());
  // After a reconnect (the emulator restarted) catch up on what was missed.
  source.addEventListener("open", () => void refresh());
} else {
  setInterval(() => void refresh(), POLL_MS);
}
