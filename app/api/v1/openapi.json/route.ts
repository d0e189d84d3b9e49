import { buildOpenApiDocument } from "@/lib/contract/openapi";

export const dynamic = "force-static";

/** The document is written from the route table (lib/contract/routes.ts) once per process. */
const document = buildOpenApiDocument();

export function GET(): Response {
  return Response.json(document);
}
