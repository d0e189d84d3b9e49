import { commentJson } from "@/app/_lib/json";
import type { Db } from "@/db/index";
import { listComments } from "@/db/queries/comments";
import type { Actor } from "@/lib/auth/policy";
import { CommentThread } from "./comment-thread";

/** The discussion of an entry, a molecule or a reaction, loaded on the server and live in the browser. */
export async function Discussion({
  db,
  target,
  campaign,
  actor,
  role,
  isOwner,
  returnTo,
  title,
}: {
  db: Db;
  target: { kind: "entry" | "molecule" | "reaction"; id: string | number };
  campaign: string;
  actor: Actor;
  role: string | null;
  /** The viewer wrote the entry or registered the molecule (may mark questions answered). */
  isOwner: boolean;
  returnTo: string;
  title?: string;
}) {
  const comments = await listComments(db, target);
  return (
    <CommentThread
      target={target}
      initial={comments.map((c) => commentJson(c, ""))}
      campaign={campaign}
      viewer={actor?.login ?? null}
      canModerate={role === "maintainer"}
      canAnswer={role === "maintainer" || isOwner}
      signInPath={`/signin?next=${encodeURIComponent(returnTo)}`}
      title={title}
    />
  );
}
