import Link from "next/link";
import type { ReactionUse } from "@/db/queries/reactions";
import { formatMass, formatMmol, formatPercent } from "@/lib/stoichiometry/format";

/** A molecule's "Made in" (reactions that have it as a product, with each batch's amount and yield) and "Used in". */
export function ReactionUses({ madeIn, usedIn }: { madeIn: ReactionUse[]; usedIn: ReactionUse[] }) {
  if (!madeIn.length && !usedIn.length) return null;
  const list = (uses: ReactionUse[], made: boolean) => (
    <ul className="entries">
      {uses.map((u, i) => (
        <li key={`${u.entry.id}-${u.reaction.id}-${i}`}>
          <Link href={`${u.entry.path}#reaction-${u.reaction.id}`} className="title">
            {u.entry.title}
          </Link>
          <div className="meta">{describe(u, made)}</div>
        </li>
      ))}
    </ul>
  );
  return (
    <>
      {madeIn.length ? (
        <div className="card" data-testid="made-in">
          <strong>Made in</strong>
          {list(madeIn, true)}
        </div>
      ) : null}
      {usedIn.length ? (
        <div className="card" data-testid="used-in">
          <strong>Used in</strong>
          {list(usedIn, false)}
        </div>
      ) : null}
    </>
  );
}

/** One line per use, as one text (so the server-rendered HTML reads as it shows). */
function describe(u: ReactionUse, made: boolean): string {
  const amount = made
    ? u.isolatedMg
      ? `${formatMass(u.isolatedMg)}${u.yieldPercent !== null ? `, ${formatPercent(u.yieldPercent)} yield` : ""}`
      : "planned"
    : `${u.role}${u.mmol !== null ? `, ${formatMmol(u.mmol)}` : ""}`;
  return [u.entry.date, u.reaction.title, amount].filter(Boolean).join(" · ");
}
