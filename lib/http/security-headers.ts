/**
 * Response headers that make the browser enforce what the server intends: scripts only with this
 * response's nonce, no framing, no sniffing, no referrer leaks, HTTPS only in production.
 */

export interface CspOptions {
  nonce: string;
  isProduction: boolean;
  /** Origins allowed to serve images (the Duo host, for the enrollment QR code). */
  imageOrigins: string[];
}

export function contentSecurityPolicy({ nonce, isProduction, imageOrigins }: CspOptions): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'strict-dynamic' lets the nonced bootstrap load Next's chunks; no 'unsafe-inline' for scripts.
    // React's development build evaluates source maps with eval, so dev alone allows it.
    "script-src": ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(isProduction ? [] : ["'unsafe-eval'"])],
    // Next and Tailwind inject style elements; styles cannot run code.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:", ...imageOrigins],
    "font-src": ["'self'"],
    // The dev server's hot reload talks over a websocket.
    "connect-src": ["'self'", ...(isProduction ? [] : ["ws:", "wss:"])],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "object-src": ["'none'"],
  };
  const policy = Object.entries(directives).map(([name, values]) => `${name} ${values.join(" ")}`);
  if (isProduction) policy.push("upgrade-insecure-requests");
  return policy.join("; ");
}

/** Headers every response gets (next.config.ts applies them, static files included). */
export function staticSecurityHeaders(isProduction: boolean): { key: string; value: string }[] {
  return [
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    ...(isProduction ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
  ];
}
