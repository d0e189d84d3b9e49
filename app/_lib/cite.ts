import { z } from "zod";
import type { CiteContext } from "@/lib/cite/build";
import { citationFile, citationFormatNames } from "@/lib/cite";
import type { Citation } from "@/lib/cite/model";
import { env } from "@/lib/env.js";
import { parseInput } from "@/lib/validation";
import { publicOrigin } from "./api";
import { pageOrigin } from "./page-origin";

// The "Cite" downloads of entries, wiki pages, molecules and campaigns: `…/cite?format=bibtex|ris|csl-json`
// (entries also `&revision=<n>`). Plain route handlers beside the pages they cite, not part of the JSON API.

export const citeQuery = z.object({
  format: z.enum(citationFormatNames, { error: `must be one of ${citationFormatNames.join(", ")}` }).default("bibtex"),
  revision: z
    .string()
    .regex(/^\d{1,9}$/, "must be a revision number")
    .transform(Number)
    .pipe(z.number().min(1, "must be a revision number"))
    .optional(),
});
export type CiteQuery = z.infer<typeof citeQuery>;

/** The query of a cite request, checked (a bad one is a 422 naming the parameter). */
export function readCiteQuery(request: Request): CiteQuery {
  return parseInput(citeQuery, Object.fromEntries(new URL(request.url).searchParams));
}

/** Absolute URLs, the notebook's name and today's date, for a citation made for this request. */
export function citeContext(request: Request): CiteContext {
  return { origin: publicOrigin(request), site: env().NOTEBOOK_SITE_NAME, accessed: new Date().toISOString().slice(0, 10) };
}

/** The same for a page being rendered (its "Cite" box). */
export async function pageCiteContext(): Promise<CiteContext> {
  return { origin: await pageOrigin(), site: env().NOTEBOOK_SITE_NAME, accessed: new Date().toISOString().slice(0, 10) };
}

/** The citation as a file to save (a reference manager opens it), with its licence linked as the HTTP Link header. */
export function citationResponse(citation: Citation, format: CiteQuery["format"]): Response {
  const file = citationFile(citation, format);
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      Link: `<${citation.license.url}>; rel="license"`,
      "Cache-Control": "no-cache",
    },
  });
}
