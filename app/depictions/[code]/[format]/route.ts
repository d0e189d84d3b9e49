import { apiHandler } from "@/app/_lib/api";
import { getMolecule } from "@/db/queries/molecules";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { imageEtag, renderImage, strongEtag } from "../../_lib/render";
import { depictionFormat, depictionQuery } from "./schema";

/**
 * /molecules/{code}.svg, .png and .mol (next.config.js rewrites those addresses here). The structure of a registered
 * molecule never changes, so answers are cacheable for a day and revalidated by an ETag derived from its idcode.
 */

const CACHE = "public, max-age=86400";

const TYPES = {
  // An SVG opened directly is a document: no script, nothing loaded, only its own inline style.
  svg: { "Content-Type": "image/svg+xml; charset=utf-8", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" },
  png: { "Content-Type": "image/png" },
  mol: { "Content-Type": "chemical/x-mdl-molfile; charset=utf-8" },
} as const;

export const GET = apiHandler<{ code: string; format: string }>(async ({ request, db }, params) => {
  const format = depictionFormat.safeParse(params.format);
  if (!format.success) throw new AppError("not_found", `No such file: ${JSON.stringify(`${params.code}.${params.format}`)}.`);
  const url = new URL(request.url);
  const size = parseInput(depictionQuery, Object.fromEntries(url.searchParams));
  const molecule = await getMolecule(db, params.code);
  if (!molecule) throw new AppError("not_found", `No molecule ${JSON.stringify(params.code)}.`);

  const kind = format.data;
  const etag =
    kind === "mol"
      ? strongEtag("mol", molecule.code, molecule.idcode)
      : imageEtag(molecule.idcode, kind, size.width, size.height, size.highlight);
  const headers = new Headers({
    ...TYPES[kind],
    "Cache-Control": CACHE,
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": `${kind === "mol" ? "attachment" : "inline"}; filename="${molecule.code}.${kind}"`,
  });
  if (ifNoneMatch(request, etag)) return new Response(null, { status: 304, headers });

  if (kind === "mol") return new Response(namedMolfile(molecule.molfile, molecule.code), { headers });
  const image = await renderImage(molecule.idcode, kind, size.width, size.height, size.highlight);
  headers.set("Content-Length", String(image.byteLength));
  return new Response(new Uint8Array(image), { headers });
});

function ifNoneMatch(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  if (!header) return false;
  return header.trim() === "*" || header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** The molfile's first line is the molecule's name: put the campaign ID there, so the file says what it is. */
function namedMolfile(molfile: string, code: string): string {
  const lines = molfile.split("\n");
  lines[0] = code;
  return lines.join("\n");
}
