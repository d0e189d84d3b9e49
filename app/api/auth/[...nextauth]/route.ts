import type { NextRequest } from "next/server";
import { handlers } from "@/app/auth";
import { getDb } from "@/db/index";
import { hitRateLimit } from "@/db/queries/rate-limits";
import { env } from "@/lib/env.js";
import { errorResponse } from "@/app/_lib/api";
import { clientAddress, requestOrigin } from "@/app/_lib/request";

/** Sign-in attempts (form posts and OAuth callbacks) are rate-limited per client address. */
async function limited(request: NextRequest, handler: (r: NextRequest) => Promise<Response>): Promise<Response> {
  const path = request.nextUrl.pathname;
  if (request.method === "POST" || path.includes("/callback/")) {
    try {
      await hitRateLimit(await getDb(), `signin:${clientAddress(request)}`, env().NOTEBOOK_RATE_LIMIT_SIGNIN, 60);
    } catch (error) {
      return errorResponse(error);
    }
  }
  // Auth.js derives the OAuth redirect URI from the request URL, which must be the origin the
  // browser used. A NextRequest would not do: Next.js rewrites 127.0.0.1 in its URL to localhost.
  const url = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, requestOrigin(request));
  const body = request.method === "POST" ? await request.arrayBuffer() : undefined;
  return handler(new Request(url, { method: request.method, headers: request.headers, body }) as NextRequest);
}

export const GET = (request: NextRequest) => limited(request, handlers.GET);
export const POST = (request: NextRequest) => limited(request, handlers.POST);
