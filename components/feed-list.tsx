import Link from "next/link";
import type { FeedItem } from "@/db/queries/events";
import { feedHeadline } from "@/app/_lib/feeds";
import { markdownToText } from "@/lib/markdown";
import { RelativeTime } from "./ui/relative-time";

export function FeedList({ items }: { items: FeedItem[] }) {
  if (!items.length) return <p className="meta">Nothing has happened here yet.</p>;
  return (
    <ul className="feed">
      {items.map((item) => (
        <li key={item.id}>
          <div className="avatar" aria-hidden>
            {item.actor.login.slice(0, 1).toUpperCase()}
          </div>
          <div>
            <p className="what">
              <Link href={item.path}>{feedHeadline(item)}</Link>{" "}
              <Link href={`/campaigns/${item.campaign.slug}`} className="tag">
                {item.campaign.name}
              </Link>
            </p>
            <p className="meta">
              <RelativeTime date={item.createdAt} />
              {item.entry && item.kind.startsWith("entry.") ? ` · work of ${item.entry.date}` : ""}
            </p>
            {item.kind === "entry.created" && item.entry ? (
              <p className="summary">{markdownToText(item.entry.body, 220)}</p>
            ) : (item.kind === "entry.revised" ||
                item.kind === "page.revised" ||
                item.kind === "comment.created" ||
                item.kind === "measurement.added") &&
              item.summary ? (
              <p className="summary">{item.summary}</p>
            ) : null}
            {item.molecules.length ? (
              <p className="feed-structures">
                {item.molecules.map((code) => (
                  <Link key={code} href={`/molecules/${code}`} title={code}>
                    {/* eslint-disable-next-line @next/next/no-img-element -- our own depiction route, sized by its query */}
                    <img src={`/molecules/${code}.svg?w=120&h=90`} alt={code} width={120} height={90} loading="lazy" />
                  </Link>
                ))}
              </p>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
