/**
 * A full page load rather than a client-side transition, used whenever the session has just changed
 * (signed in, second factor passed, signed out). The gate then sees the new cookie on a real request,
 * and its redirect (say, to /mfa) updates the address bar; a soft navigation that the proxy redirects
 * would keep showing the old URL.
 */
export function loadPage(path: string): void {
  window.location.assign(path);
}
