import { z } from "zod";
import { AppError } from "../errors";

// How the route table (routes.ts) describes an operation: enough for the API wrapper to check a request at the
// boundary (path parameters, query, JSON body) and for openapi.ts to write the document.

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A path parameter: its documented schema and how the wrapper reads it (a bad one is a 404: no record has it). */
export interface PathParam<T> {
  schema: z.ZodType;
  description?: string;
  parse: (raw: string) => T;
}

/** An answer: JSON with a schema, or another media type (a download, a feed). */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteSpec {
  operationId: string;
  method: Method;
  /** OpenAPI path template: /api/v1/entries/{id}. */
  path: string;
  summary: string;
  description?: string;
  /** Needs a signed-in caller (token or session): a 401 before the body is read. */
  auth?: boolean;
  params?: Record<string, PathParam<unknown>>;
  /** Query parameters, parsed at the boundary: a z.object, or a z.preprocess around one. */
  query?: z.ZodType;
  /** The status a bad query parameter gets: 400 where the API always said so, else 422. */
  queryStatus?: 400 | 422;
  /** Query parameters left out of the document (read by another operation's schema but ignored here). */
  undocumented?: readonly string[];
  /** A JSON request body, parsed at the boundary. */
  body?: z.ZodType;
  /** A request body the handler reads itself (a file): media types and their schemas, for the document. */
  rawBody?: { required?: boolean; content: Record<string, { schema: object }> };
  responses: Record<number, ResponseSpec>;
  /** Error statuses the operation may answer, each with the Error schema. */
  errors: readonly number[];
}

export function defineRoute<const S extends RouteSpec>(spec: S): S {
  return spec;
}

/** A numeric record id in a path; anything else names no record (404). */
export function recordId(what: string, description?: string): PathParam<number> {
  return {
    schema: z.int().min(1),
    description,
    parse: (raw) => {
      if (!/^\d{1,10}$/.test(raw)) throw new AppError("not_found", `No ${what} ${JSON.stringify(raw)}.`);
      return Number(raw);
    },
  };
}

/** A text segment of a path as the router gives it (`decode`: URL-decoded too; one that cannot be names nothing). */
export function textParam(description?: string, options: { decode?: boolean } = {}): PathParam<string> {
  return {
    schema: z.string(),
    description,
    parse: (raw) => {
      if (!options.decode) return raw;
      try {
        return decodeURIComponent(raw);
      } catch {
        throw new AppError("not_found", `Nothing is named ${JSON.stringify(raw)}.`);
      }
    },
  };
}

/** What a route's handler receives, parsed: path parameters, query and body by the spec's schemas. */
export interface RouteInput<S extends RouteSpec> {
  params: { [K in keyof S["params"]]: S["params"][K] extends PathParam<infer T> ? T : never };
  query: S["query"] extends z.ZodType ? z.output<S["query"]> : undefined;
  body: S["body"] extends z.ZodType ? z.output<S["body"]> : undefined;
}
