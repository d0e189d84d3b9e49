import { z } from "zod";
import { ErrorBody, STATUS_TEXT } from "./common";
import type { RouteSpec } from "./route";
import { routes } from "./routes";

// The OpenAPI 3.1 document, written from the route table and its zod schemas (nothing here restates a shape).
// Schemas with an id (`.meta({ id })`) become components; requests are described as clients send them (zod's
// input side: defaults optional), answers as the server sends them (output side, no members beyond the schema's).

type JsonSchema = Record<string, unknown>;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

class DocumentBuilder {
  readonly components: Record<string, JsonSchema> = {};

  /** A schema as JSON Schema 2020-12, its named parts moved to components and referenced from there. */
  schema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const out = z.toJSONSchema(schema, {
      io,
      unrepresentable: "any",
      override: ({ jsonSchema }) => {
        // z.int() says "any safe integer" in so many words; that is what an integer is here anyway.
        if (jsonSchema.maximum === MAX_SAFE) delete jsonSchema.maximum;
        if (jsonSchema.minimum === -MAX_SAFE) delete jsonSchema.minimum;
      },
    }) as JsonSchema;
    const defs = (out.$defs ?? {}) as Record<string, JsonSchema>;
    delete out.$defs;
    delete out.$schema;
    // A named schema at the root comes back as a $ref to its own entry in $defs.
    for (const [name, def] of Object.entries(defs)) this.addComponent(name, relink(def));
    return relink(out);
  }

  private addComponent(name: string, schema: JsonSchema): void {
    const known = this.components[name];
    if (known && JSON.stringify(known) !== JSON.stringify(schema)) {
      throw new Error(`OpenAPI: component ${name} is described two ways (a request and an answer share it?)`);
    }
    this.components[name] = schema;
  }
}

/** Point the refs zod writes into $defs at the document's components. */
function relink(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
}

/** The object schema under a query's refinements or preprocessing. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  if (schema instanceof z.ZodObject) return schema.shape;
  if (schema instanceof z.ZodPipe) return objectShape(schema.out as z.ZodType);
  throw new Error("OpenAPI: a query schema must be an object");
}

function operation(builder: DocumentBuilder, spec: RouteSpec): JsonSchema {
  const parameters: JsonSchema[] = [];
  for (const [name, param] of Object.entries(spec.params ?? {})) {
    parameters.push({ name, in: "path", required: true, schema: builder.schema(param.schema, "input"), ...(param.description ? { description: param.description } : {}) });
  }
  if (spec.query) {
    for (const [name, schema] of Object.entries(objectShape(spec.query))) {
      if (spec.undocumented?.includes(name)) continue;
      const described = builder.schema(schema, "input");
      const { description, ...rest } = described;
      parameters.push({ name, in: "query", required: !schema.safeParse(undefined).success, schema: rest, ...(description ? { description } : {}) });
    }
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    const content = answer.schema
      ? { "application/json": { schema: builder.schema(answer.schema, "output") } }
      : { [answer.contentType ?? "application/octet-stream"]: {} };
    responses[status] = { description: answer.description, content };
  }
  const error = builder.schema(ErrorBody, "output");
  for (const status of spec.errors) {
    responses[String(status)] = { description: STATUS_TEXT[status] ?? String(status), content: { "application/json": { schema: error } } };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.auth ? { security: [{ token: [] }] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: true, content: { "application/json": { schema: builder.schema(spec.body, "input") } } } } : {}),
    ...(spec.rawBody ? { requestBody: spec.rawBody } : {}),
    responses,
  };
}

export function buildOpenApiDocument(table: Record<string, RouteSpec> = routes) {
  const builder = new DocumentBuilder();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of Object.values(table)) {
    (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation(builder, spec);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Open Notebook API",
      version: "1",
      description:
        "Public lab notebook of open drug-discovery campaigns. Reads need no account. Writes need `Authorization: Bearer <token>` (create tokens on /settings or with `npm run admin -- create-token`).",
    },
    servers: [{ url: "/" }],
    components: { securitySchemes: { token: { type: "http", scheme: "bearer" } }, schemas: builder.components },
    paths,
  };
}
