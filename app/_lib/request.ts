/** Helpers about where a request came from, free of Next.js so route handlers and Auth.js share them. */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopbackAddress(value: string): boolean {
  const v = value.trim().replace(/^::ffff:/, "");
  return v === "::1" || v === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(v);
}

/** True when the request was addressed to and (as far as proxies tell) came from this machine. */
export function isLoopbackRequest(request: Request | undefined): boolean {
  if (!request) return false;
  const host = new URL(requestOrigin(request)).hostname;
  if (!LOOPBACK_HOSTS.has(host) || !LOOPBACK_HOSTS.has(new URL(request.url).hostname)) return false;
  const forwarded = request.headers.get("x-forwarded-for");
  return !forwarded || forwarded.split(",").every(isLoopbackAddress);
}

/** The client's address for rate limits: the first forwarded address, else a constant for direct callers. */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "direct";
}

/**
 * The origin the client used, from the Host header (or a proxy's X-Forwarded-* headers). Next.js
 * builds `request.url` from the address it listens on, which can differ from the name the browser
 * used (127.0.0.1 vs localhost) — and OAuth redirect URIs must match exactly.
 */
export function requestOrigin(request: Request): string {
  return originFromHeaders(request.headers, new URL(request.url));
}

/** The origin a client used, from its request's headers (a page's `headers()`); `fallback` when they do not say. */
export function originFromHeaders(headers: Headers, fallback: URL): string {
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (!host || !/^[\w.-]+(:\d+)?$|^\[[\da-f:]+\](:\d+)?$/i.test(host)) return fallback.origin;
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim() || fallback.protocol.replace(":", "");
  return `${proto === "https" ? "https" : "http"}://${host}`;
}
