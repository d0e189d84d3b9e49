import { headers } from "next/headers";
import { env } from "@/lib/env.js";

/**
 * The origin of the page being rendered, for absolute URLs in metadata (Open Graph images must be absolute):
 * NOTEBOOK_PUBLIC_URL when set, else the Host the client used (as app/_lib/request.ts reads it for route handlers).
 */
export async function pageOrigin(): Promise<string> {
  const configured = env().NOTEBOOK_PUBLIC_URL;
  if (configured) return configured.replace(/\/$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host")?.split(",")[0]?.trim() || h.get("host") || "localhost";
  const valid = /^[\w.-]+(:\d+)?$|^\[[\da-f:]+\](:\d+)?$/i.test(host) ? host : "localhost";
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https" ? "https" : "http";
  return `${proto}://${valid}`;
}
