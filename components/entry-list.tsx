import Link from "next/link";
import type { EntryListItem } from "@/db/queries/entry-lists";
import { markdownToText } from "@/lib/markdown";
import { Highlight } from "./ui/highlight";

/** Entries grouped by date of work (or, for search results, in rank order with snippets). */
export function EntryList({
  entries,
  showCampaign = false,
  grouped = true,
}: {
  entries: EntryListItem[];
  showCampaign?: boolean;
  grouped?: boolean;
}) {
  if (!entries.length) return <p className="meta">No entries.</p>;
  const groups: [string, EntryListItem[]][] = [];
  for (const e of entries) {
    const key = grouped ? e.date : "";
    const last = groups.at(-1);
    if (last && last[0] === key) last[1].push(e);
    else groups.push([key, [e]]);
  }
  return (
    <>
      {groups.map(([date, items]) => (
        <section key={date || "results"}>
          {date ? <h2>{date}</h2> : null}
          <ul className="entries">
            {items.map((e) => (
              <li key={e.id}>
                <Link href={e.path} className="title">
                  {e.titleHighlighted ? <Highlight text={e.titleHighlighted} /> : e.title}
                </Link>
                <p className="meta" style={{ margin: 0 }}>
                  {e.kind === "page" ? <span className="tag">wiki page</span> : null} {e.author.login}
                  {grouped || e.kind === "page" ? "" : ` · ${e.date}`}
                  {showCampaign ? ` · ${e.campaign.name}` : ""} · {e.revisionNumber} revision{e.revisionNumber === 1 ? "" : "s"}
                </p>
                <p style={{ margin: "0.2rem 0 0" }}>{e.snippet ? <Highlight text={e.snippet} /> : markdownToText(e.body, 200)}</p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}
