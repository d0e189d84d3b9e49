import { auth } from "@/app/auth";
import { getDb, type Db } from "@/db/index";
import { hitRateLimit } from "@/db/queries/rate-limits";
import { userForToken } from "@/db/queries/tokens";
import type { Actor } from "@/lib/auth/policy";
import { env } from "@/lib/env.js";
import { recordId, type RouteInput, type RouteSpec } from "@/lib/contract/route";
import { requireActor } from "@/lib/auth/policy";
import { AppError, isAppError, toAppError } from "@/lib/errors";
import { assertStorable, parseInput } from "@/lib/validation";
import { clientAddress, requestOrigin } from "./request";

export const JSON_BODY_MAX_BYTES = 1_100_000;

export interface ApiContext {
  request: Request;
  db: Db;
  /** Who is calling: from a bearer token, else from the session cookie. */
  actor: () => Promise<Actor>;
  origin: string;
}

/** Every JSON error has the same shape: {error: {code, message, ...details}}. */
export function errorResponse(thrown: unknown): Response {
  const error = toAppError(thrown);
  if (error === null) {
    console.error("[api] unexpected error", thrown);
    return Response.json({ error: { code: "internal", message: "Something went wrong on our side; nothing was changed." } }, { status: 500 });
  }
  const headers = new Headers();
  if (error.is("rate_limited")) headers.set("Retry-After", String(error.details?.retryAfter ?? 60));
  if (error.code === "unauthorized") headers.set("WWW-Authenticate", 'Bearer realm="notebook"');
  return Response.json({ error: { code: error.code, message: error.message, ...(error.details ?? {}) } }, { status: error.status, headers });
}

export function publicOrigin(request: Request): string {
  return (env().NOTEBOOK_PUBLIC_URL ?? requestOrigin(request)).replace(/\/$/, "");
}

async function resolveActor(request: Request, db: Db): Promise<Actor> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError("unauthorized", "The Authorization header must be `Bearer <token>`.");
    const user = await userForToken(db, match[1]!);
    return { id: user.id, login: user.login };
  }
  const session = await auth();
  return session?.actor ?? null;
}

/**
 * Wrap a route handler: resolve the caller lazily, rate-limit writes per user (or address), turn
 * thrown AppErrors into JSON errors and anything else into a logged 500.
 */
export function apiHandler<P = Record<string, string>>(
  handler: (ctx: ApiContext, params: P) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const db = await getDb();
      let actor: Promise<Actor> | undefined;
      const ctx: ApiContext = {
        request,
        db,
        origin: publicOrigin(request),
        actor: () => (actor ??= resolveActor(request, db)),
      };
      if (request.method !== "GET" && request.method !== "HEAD") {
        const who = await ctx.actor();
        const key = who ? `write:user:${who.id}` : `write:addr:${clientAddress(request)}`;
        await hitRateLimit(db, key, env().NOTEBOOK_RATE_LIMIT_WRITES, 60);
      }
      const params = await context.params;
      // Text PostgreSQL cannot store never reaches a query: a 422 naming the parameter instead.
      assertStorable(params);
      assertStorable(Object.fromEntries(new URL(request.url).searchParams));
      return await handler(ctx, params);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/**
 * Wrap the handler of one operation of the route table (lib/contract/routes.ts): on top of apiHandler, the caller
 * must be signed in when the spec says so (401 before the body is read), path parameters are read by their
 * parsers, and the query and the JSON body are checked with the spec's schemas, so the handler gets typed values.
 */
export function apiRoute<const S extends RouteSpec>(spec: S, handler: (ctx: ApiContext, input: RouteInput<S>) => Promise<Response>) {
  return apiHandler<Record<string, string>>(async (ctx, raw) => {
    if (spec.auth) requireActor(await ctx.actor());
    const params = Object.fromEntries(Object.entries(spec.params ?? {}).map(([name, param]) => [name, param.parse(raw[name] ?? "")]));
    const query = spec.query
      ? parseInput(spec.query, Object.fromEntries(new URL(ctx.request.url).searchParams), spec.queryStatus === 400 ? "bad_request" : undefined)
      : undefined;
    const body = spec.body ? parseInput(spec.body, await readJson(ctx.request)) : undefined;
    return handler(ctx, { params, query, body } as RouteInput<S>);
  });
}

/** Read a JSON object body with a size cap, before parsing it. */
export async function readJson(request: Request, maxBytes = JSON_BODY_MAX_BYTES): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the request body as JSON with `Content-Type: application/json`.");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw new AppError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  const text = await readCapped(request, maxBytes);
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new AppError("bad_request", "The request body must be a JSON object.");
    }
    assertStorable(value);
    return value;
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError("invalid_json", `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

export async function readCapped(request: Request, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readBytes(request, maxBytes));
}

/** The body as bytes, refusing (413) as soon as it grows past the cap, whatever Content-Length said. */
export async function readBytes(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new AppError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** A record id from a path: a positive integer, else a 404 (no record has it). */
export function parseId(value: string, what = "id"): number {
  return recordId(what).parse(value);
}

/** A file the browser saves rather than shows (exports). Never cached: the data changes with every write. */
export function downloadResponse(file: { filename: string; contentType: string; body: string }): Response {
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-cache",
    },
  });
}
