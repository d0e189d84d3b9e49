import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env.js";

/**
 * Security headers on every page: a per-request nonce lets Next's own scripts run while any
 * script that user content might smuggle in does not; framing is refused; types are not sniffed.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const dev = process.env.NODE_ENV !== "production";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // Sign-in with GitHub posts a form whose answer redirects to GitHub (or GitHub Enterprise).
    `form-action 'self' ${new URL(env().GITHUB_BASE_URL).origin}`,
    "frame-ancestors 'none'",
  ].join("; ");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set("Referrer-Policy", "strict-origin-when-cross-origin");
  response.headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  return response;
}

export const config = {
  // Pages only: API answers, feeds, attachments and drawings set their own headers; static assets need none.
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon\\.svg|feed\\.|attachments/|depictions/|campaigns/[^/]+/feed\\.|molecules/[^/]+\\.(?:svg|png|mol)$).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
  ],
};
