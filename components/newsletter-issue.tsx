import Link from "next/link";
import type { ReactNode } from "react";
import type { NewsletterIssue, NewsletterItem } from "@/lib/newsletter/model";

/**
 * A newsletter issue as a page: the same composition (lib/newsletter/issue.ts) the e-mail and the Atom feed show.
 * `controls` adds a maintainer's buttons to each item.
 */
export function NewsletterIssueView({ issue, controls }: { issue: NewsletterIssue; controls?: (item: NewsletterItem, pinned: boolean) => ReactNode }) {
  const groups = [...(issue.pinned.length ? [{ id: "pinned", title: "Highlights", items: issue.pinned, more: 0 }] : []), ...issue.sections];
  return (
    <div className="stack newsletter" data-testid="newsletter-issue">
      {issue.editorial ? (
        <section className="card prose" data-testid="newsletter-editorial">
          {issue.editorial.split(/\n\s*\n/).map((p, i) => (
            <p key={i} style={{ whiteSpace: "pre-line", marginTop: i === 0 ? 0 : undefined, marginBottom: 0, paddingTop: i === 0 ? 0 : "0.5rem" }}>
              {p.trim()}
            </p>
          ))}
        </section>
      ) : null}
      {issue.empty ? <p className="meta">A quiet week: nothing new in the notebook.</p> : null}
      {groups.map((group) => (
        <section key={group.id} aria-labelledby={`newsletter-${group.id}`} data-testid={`newsletter-section-${group.id}`}>
          <h2 id={`newsletter-${group.id}`}>{group.title}</h2>
          <ul style={{ listStyle: "none", padding: 0, margin: 0 }} className="stack">
            {group.items.map((item) => (
              <li key={item.key} className="card" data-testid="newsletter-item" data-key={item.key} data-kind={item.kind} style={{ display: "flex", gap: "1rem", alignItems: "center" }}>
                {item.image ? (
                  <Link href={item.path} style={{ flex: "0 0 auto" }}>
                    {/* The PNG the e-mail shows; next/image would proxy a picture the server already makes at this size. */}
                    {/* eslint-disable-next-line @next/next/no-img-element */}
                    <img src={item.image.path} alt={item.image.alt} width={150} height={100} loading="lazy" />
                  </Link>
                ) : null}
                <div style={{ flex: "1 1 auto", minWidth: 0 }}>
                  <Link href={item.path}>
                    <strong>{item.title}</strong>
                  </Link>
                  {item.summary ? <p style={{ margin: "0.25rem 0 0" }}>{item.summary}</p> : null}
                  {controls ? <div className="row meta">{controls(item, group.id === "pinned")}</div> : null}
                </div>
              </li>
            ))}
          </ul>
          {group.more ? <p className="meta">…and {group.more} more.</p> : null}
        </section>
      ))}
    </div>
  );
}
