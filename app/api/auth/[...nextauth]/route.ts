import type { NextRequest } from "next/server";
import { handlers } from "@/app/auth";
import { getDb } from "@/db/index";
import { hitRateLimit } from "@/db/queries/rate-limits";
import { env } from "@/lib/env.js";
import { errorResponse } from "@/app/_lib/api";
import { clientAddress } from "@/app/_lib/request";

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
  return handler(request);
}

export const GET = (request: NextRequest) => limited(request, handlers.GET);
export const POST = (request: NextRequest) => limited(request, handlers.POST);
