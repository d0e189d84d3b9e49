import { createHash } from "node:crypto";
import { apiHandler } from "@/app/_lib/api";
import { getEntry } from "@/db/queries/entries";
import { getRevision } from "@/db/queries/entry-lists";
import { schemeSvg } from "@/lib/chem/scheme-svg";
import { AppError } from "@/lib/errors";
import { schemeParts } from "@/lib/stoichiometry/reaction";

/**
 * /entries/{id}/reactions/{reaction}.svg: the scheme of one reaction of the current revision (or of `?revision=n`),
 * drawn on the server from the structures stored with the revision. A revision never changes, so the answer carries
 * a strong ETag of what it is drawn from.
 */
export const GET = apiHandler<{ id: string; reaction: string }>(async ({ request, db }, params) => {
  const match = /^([a-z0-9][a-z0-9-]{0,39})\.svg$/.exec(params.reaction);
  const entry = /^\d{1,9}$/.test(params.id) ? await getEntry(db, Number(params.id)) : null;
  if (!match || !entry || entry.deletedAt) throw new AppError("not_found", "No such reaction scheme.");
  const revisionParam = new URL(request.url).searchParams.get("revision");
  let reactions = entry.reactions;
  if (revisionParam !== null) {
    const revision = /^\d{1,9}$/.test(revisionParam) ? await getRevision(db, entry.id, Number(revisionParam)) : null;
    if (!revision) throw new AppError("not_found", `Entry ${entry.id} has no revision ${revisionParam}.`);
    reactions = revision.reactions;
  }
  const reaction = reactions.find((r) => r.id === match[1]);
  if (!reaction) throw new AppError("not_found", `Entry ${entry.id} has no reaction ${match[1]}.`);
  const parts = schemeParts(reaction);
  const etag = `"${createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 32)}"`;
  const headers = {
    "Content-Type": "image/svg+xml; charset=utf-8",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=60",
    ETag: etag,
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(schemeSvg(parts, { id: `scheme-${reaction.id}` }), { headers });
});
