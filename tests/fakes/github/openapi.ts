/**
 * GitHub's official REST description (from @octokit/openapi) as a contract for the fake: finds the operation for a
 * request, validates what a client sends and what the fake answers. The description is ~73 MB of JSON, so it is read
 * once per process (cached on globalThis so that re-evaluated test modules share it) and validators are compiled
 * lazily, once per operation and part.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export type HttpMethod = "get" | "post" | "patch" | "put" | "delete";

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: JsonObject;
}

export interface Operation {
  method: HttpMethod;
  template: string;
  operationId: string;
  documentationUrl: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonObject }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonObject }> }>;
}

interface Description {
  file: string;
  version: string;
  loadMs: number;
  operations: Operation[];
}

export interface ValidationProblem {
  where: "path" | "query" | "body";
  message: string;
}

/** The dereferenced api.github.com description shipped by @octokit/openapi (no $ref left to resolve). */
export function descriptionFile(): string {
  // index.js of the package requires all ten descriptions (~500 MB); read the one file we need directly.
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@octokit/openapi/package.json");
  return path.join(path.dirname(pkg), "generated", "api.github.com.deref.json");
}

const cacheKey = Symbol.for("open-notebook.fake-github.openapi");
type Cache = { description?: Promise<Description> };
const cache = ((globalThis as Record<symbol, unknown>)[cacheKey] ??= {}) as Cache;

export function loadDescription(): Promise<Description> {
  cache.description ??= (async () => {
    const started = performance.now();
    const file = descriptionFile();
    const doc = JSON.parse(await readFile(file, "utf8")) as {
      info: { version: string };
      paths: Record<string, Record<string, JsonObject>>;
    };
    const operations: Operation[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      const shared = (item.parameters ?? []) as unknown as Parameter[];
      for (const method of ["get", "post", "patch", "put", "delete"] as const) {
        const op = item[method];
        if (!op) continue;
        const docs = op.externalDocs as { url?: string } | undefined;
        operations.push({
          method,
          template,
          operationId: String(op.operationId),
          documentationUrl: docs?.url ?? "https://docs.github.com/rest",
          parameters: [...shared, ...((op.parameters ?? []) as unknown as Parameter[])],
          requestBody: op.requestBody as Operation["requestBody"],
          responses: (op.responses ?? {}) as Operation["responses"],
        });
      }
    }
    return { file, version: doc.info.version, loadMs: performance.now() - started, operations };
  })();
  return cache.description;
}

function segments(p: string): string[] {
  return p.split("/").filter((s) => s !== "");
}

/** Finds the operation for a request path (without the /api/v3 prefix); literal segments win over parameters. */
export function findOperation(
  description: Description,
  method: string,
  pathname: string,
): { operation: Operation; params: Record<string, string> } | { operation: undefined; allowed: string[] } {
  const parts = segments(pathname);
  let best: { operation: Operation; params: Record<string, string>; score: string } | undefined;
  const allowed: string[] = [];
  for (const operation of description.operations) {
    const tpl = segments(operation.template);
    if (tpl.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let score = "";
    const matched = tpl.every((seg, i) => {
      const actual = decodeURIComponent(parts[i] ?? "");
      const param = /^\{([^}]+)\}$/.exec(seg);
      if (param?.[1]) {
        params[param[1]] = actual;
        score += "0";
        return true;
      }
      score += "1";
      return seg === actual;
    });
    if (!matched) continue;
    if (operation.method !== method.toLowerCase()) {
      allowed.push(operation.method.toUpperCase());
      continue;
    }
    if (!best || score > best.score) best = { operation, params, score };
  }
  return best ? { operation: best.operation, params: best.params } : { operation: undefined, allowed };
}

/** OpenAPI 3.0 schema objects → JSON Schema that ajv understands (`nullable`, and no doc-only keywords). */
function toJsonSchema(schema: Json): Json {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "nullable" || key === "example" || key === "discriminator" || key.startsWith("x-")) continue;
    if (key === "properties" || key === "patternProperties") {
      const map: JsonObject = {};
      for (const [name, sub] of Object.entries(value as JsonObject)) map[name] = toJsonSchema(sub);
      out[key] = map;
    } else if (key === "allOf" || key === "anyOf" || key === "oneOf") {
      out[key] = (value as Json[]).map(toJsonSchema);
    } else if (key === "items" || key === "not" || key === "additionalProperties") {
      out[key] = Array.isArray(value) ? value.map(toJsonSchema) : toJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes });
  addFormats(ajv);
  // Formats GitHub's description uses that ajv-formats does not define: annotations only.
  ajv.addFormat("timestamp", true);
  ajv.addFormat("repo.nwo", true);
  return ajv;
}

const ajvStrict = makeAjv(false);
const ajvParams = makeAjv(true); // path and query values arrive as strings
const validators = new Map<string, ValidateFunction>();
// The description repeats the same inlined schemas (Issue, Basic Error, ...) across operations; compiling a big one
// takes a few hundred milliseconds, so identical schemas share one validator.
const byContent = new Map<string, ValidateFunction>();

function compile(key: string, ajv: Ajv, schema: () => JsonObject): ValidateFunction {
  let fn = validators.get(key);
  if (!fn) {
    const converted = toJsonSchema(schema());
    const text = JSON.stringify(converted);
    const hash = `${ajv === ajvParams ? "params" : "strict"}:${createHash("sha1").update(text).digest("hex")}`;
    fn = byContent.get(hash) ?? ajv.compile(converted as object);
    byContent.set(hash, fn);
    validators.set(key, fn);
  }
  return fn;
}

function describe(errors: ErrorObject[] | null | undefined, root: string): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath === "" ? root : `${root}${e.instancePath}`;
    const extra = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
    return `For '${where}', ${e.message ?? "is invalid"}${extra}.`;
  });
}

function paramSchema(op: Operation, where: "path" | "query"): JsonObject {
  const list = op.parameters.filter((p) => p.in === where);
  const properties: JsonObject = {};
  for (const p of list) properties[p.name] = p.schema ?? {};
  // GitHub silently ignores unknown query parameters; a client sending one is almost always a bug (a typo, or a filter
  // the endpoint does not have), so the fake treats it as a contract violation.
  return {
    type: "object",
    properties,
    required: list.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
}

/** Validates path params and query in place (coercing "2" → 2 for integer parameters). */
export function validateParams(
  op: Operation,
  where: "path" | "query",
  values: Record<string, unknown>,
): ValidationProblem[] {
  const fn = compile(`${op.method} ${op.template} ${where}`, ajvParams, () => paramSchema(op, where));
  return fn(values) ? [] : describe(fn.errors, where).map((message) => ({ where, message }));
}

/** Validates a JSON request body against the operation's application/json requestBody schema. */
export function validateBody(op: Operation, body: unknown): ValidationProblem[] {
  const schema = op.requestBody?.content?.["application/json"]?.schema;
  if (!schema) return body === undefined ? [] : [{ where: "body", message: "This endpoint takes no body." }];
  if (body === undefined) {
    return op.requestBody?.required ? [{ where: "body", message: "For 'links/0/schema', nil is not an object." }] : [];
  }
  const fn = compile(`${op.method} ${op.template} body`, ajvStrict, () => {
    // Like unknown query parameters, unknown top-level body fields are ignored by GitHub and almost always a bug.
    const plain = schema.type === "object" && schema.properties && schema.additionalProperties === undefined;
    return plain ? { ...schema, additionalProperties: false } : schema;
  });
  return fn(body) ? [] : describe(fn.errors, "properties").map((message) => ({ where: "body", message }));
}

const basicError: JsonObject = {
  type: "object",
  properties: {
    message: { type: "string" },
    documentation_url: { type: "string" },
    url: { type: "string" },
    status: { type: "string" },
  },
};

/**
 * Throws when the fake's own response body does not match the description for that status. Error statuses the
 * description leaves out (401 on most operations) are held to GitHub's "Basic Error" shape.
 */
export function assertResponse(op: Operation, status: number, body: unknown): void {
  const documented = op.responses[String(status)] ?? op.responses.default;
  let schema = documented?.content?.["application/json"]?.schema;
  if (!documented) {
    if (status < 400) {
      throw new Error(`fake GitHub answered ${op.operationId} with undocumented status ${status}`);
    }
    schema = basicError;
  }
  if (!schema) {
    if (body === undefined) return;
    throw new Error(`fake GitHub sent a body with ${status} for ${op.operationId}, which documents none`);
  }
  const key = `${op.method} ${op.template} response ${documented ? status : "error"}`;
  const fn = compile(key, ajvStrict, () => schema);
  if (!fn(body)) {
    const problems = describe(fn.errors, "response").slice(0, 10).join("\n  ");
    throw new Error(`fake GitHub response for ${op.operationId} (${status}) breaks the description:\n  ${problems}`);
  }
}
