/** Helpers about where a request came from, free of Next.js so route handlers and Auth.js share them. */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopbackAddress(value: string): boolean {
  const v = value.trim().replace(/^::ffff:/, "");
  return v === "::1" || v === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(v);
}

/** True when the request was addressed to and (as far as proxies tell) came from this machine. */
export function isLoopbackRequest(request: Request | undefined): boolean {
  if (!request) return false;
  const host = new URL(request.url).hostname;
  if (!LOOPBACK_HOSTS.has(host)) return false;
  const forwarded = request.headers.get("x-forwarded-for");
  return !forwarded || forwarded.split(",").every(isLoopbackAddress);
}

/** The client's address for rate limits: the first forwarded address, else a constant for direct callers. */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "direct";
}
