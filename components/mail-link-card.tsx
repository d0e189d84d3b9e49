import Link from "next/link";
import type { ReactNode } from "react";

/** The card every mailed-link page shows: a heading, what happened or what to do, a way back. */
export function LinkCard({ title, children, campaign }: { title: string; children: ReactNode; campaign: { slug: string; name: string } | null }) {
  return (
    <div className="card stack" style={{ maxWidth: 640 }}>
      <h1 style={{ marginTop: 0 }}>{title}</h1>
      {children}
      <p className="meta">{campaign ? <Link href={`/campaigns/${campaign.slug}`}>{campaign.name}</Link> : <Link href="/">Back to the project feed</Link>}</p>
    </div>
  );
}

export function tokenParam(value: string | string[] | undefined): string {
  return typeof value === "string" ? value.slice(0, 200) : "";
}
