import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { MarkAllRead } from "@/components/notification-actions";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { listNotifications } from "@/db/queries/notifications";

export const metadata: Metadata = { title: "Notifications", robots: { index: false } };

const KIND_LABEL = {
  mention: "mentioned you",
  reply: "replied",
  comment: "comment",
  measurement: "new result",
  todo_assigned: "to-do",
} as const;

/** The inbox: mentions, replies, comments on what is yours or what you watch, new results, to-dos assigned to you. */
export default async function NotificationsPage() {
  const actor = await currentActor();
  if (!actor) redirect("/signin?next=/notifications");
  const list = await listNotifications(await getDb(), actor);
  const unread = list.filter((n) => !n.read).length;
  return (
    <div className="stack">
      <div className="spread">
        <h1>Notifications</h1>
        {unread ? <MarkAllRead /> : null}
      </div>
      <p className="meta">
        {unread ? `${unread} unread.` : "All read."} How each kind reaches you (here only, by e-mail at once, or in a digest) is set on{" "}
        <Link href="/settings">your settings</Link>.
      </p>
      {list.length === 0 ? (
        <p className="meta">Nothing yet. Watch a campaign, a molecule or an entry to hear about its comments and results.</p>
      ) : null}
      <ul className="notifications" data-testid="notifications">
        {list.map((n) => (
          <li key={n.id} className={n.read ? "read" : "unread"}>
            <Link href={n.path} className="title">
              {n.title}
            </Link>
            <div className="meta">
              <span className="tag">{KIND_LABEL[n.kind]}</span> <RelativeTime date={n.createdAt} />
              {n.summary ? ` · ${n.summary.slice(0, 160)}` : ""}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
