import { createHash } from "node:crypto";
import { apiHandler } from "@/app/_lib/api";
import { moleculeTable } from "@/db/queries/molecules/table";
import { moleculeTableQuery } from "@/lib/contract/molecules";
import { parseInput } from "@/lib/validation";

/**
 * The molecule table's data feed: every molecule of the campaign, column-oriented (see db/queries/molecule-table.ts),
 * loaded once by the page and then sorted and filtered in the browser. Filters in the query string (q, status,
 * property/min/max, assay/potency) give the same subset to scripts. The body is revalidated with an ETag, so a
 * revisit of an unchanged 41,000-molecule table costs one small round trip; next start gzips the rest.
 */
export const GET = apiHandler<{ slug: string }>(async ({ db, request }, { slug }) => {
  const query = parseInput(moleculeTableQuery, Object.fromEntries(new URL(request.url).searchParams));
  const table = await moleculeTable(db, slug, query);
  const body = JSON.stringify(table);
  const etag = `"${createHash("sha1").update(body).digest("base64url")}"`;
  const headers = { ETag: etag, "Cache-Control": "public, no-cache", "Content-Type": "application/json; charset=utf-8" };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
});
