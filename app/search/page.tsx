import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { CampaignSelect } from "@/components/campaign-select";
import { EntryList } from "@/components/entry-list";
import { getDb } from "@/db/index";
import { getCampaign, listCampaigns } from "@/db/queries/campaigns";
import { listEntries } from "@/db/queries/entry-lists";
import { routeHeaderQuery } from "@/db/queries/molecules/search";

type Props = { searchParams: Promise<{ q?: string; campaign?: string; page?: string }> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { q } = await searchParams;
  return { title: q ? `Search: ${q}` : "Search", robots: { index: false } };
}

export default async function SearchPage({ searchParams }: Props) {
  const { q = "", campaign: slug, page: pageParam } = await searchParams;
  const query = q.slice(0, 200).trim();
  const page = pageParam && /^\d{1,6}$/.test(pageParam) ? Math.max(1, Number(pageParam)) : 1;
  const db = await getDb();
  // The header box takes anything: a molecule ID, alias or InChIKey opens the molecule, a SMILES or SMARTS runs a
  // structure search, words search the entries (below). Only a first page is routed (later pages are entry searches).
  if (query && !pageParam) {
    const route = await routeHeaderQuery(db, query);
    if (route.kind === "molecule") redirect(`/molecules/${encodeURIComponent(route.code)}`);
    if (route.kind === "structure") {
      redirect(`/search/molecules?${new URLSearchParams({ q: query, ...(slug ? { campaign: slug } : {}) })}`);
    }
  }
  const [campaign, campaigns] = await Promise.all([slug ? getCampaign(db, slug) : null, listCampaigns(db)]);
  const results = query ? await listEntries(db, { q: query, kind: "any", campaignId: campaign?.id, page, perPage: 20 }) : null;
  const link = (p: number) =>
    `/search?${new URLSearchParams({ q: query, ...(campaign ? { campaign: campaign.slug } : {}), page: String(p) })}`;
  return (
    <div className="stack">
      <h1>Search entries and wiki pages</h1>
      <form action="/search" className="row">
        <input
          name="q"
          type="search"
          defaultValue={query}
          placeholder='e.g. amide coupling, "reductive amination", -failed'
          style={{ flex: 1 }}
          aria-label="Search terms"
        />
        <CampaignSelect campaigns={campaigns} value={campaign?.slug ?? ""} />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <p className="meta">
        Looking for structures? <Link href="/search/molecules">Structure search</Link> (or type a SMILES, a molecule ID or an InChIKey in
        the box at the top).
      </p>
      <p className="meta">
        Words are matched in any form (couple, coupled, coupling); use quotes for a phrase and a minus sign to exclude a word.
      </p>
      {results ? (
        <>
          {results.entries.length ? (
            <EntryList entries={results.entries} showCampaign grouped={false} />
          ) : (
            <p>No entries or wiki pages match “{query}”.</p>
          )}
          <div className="pager">
            {page > 1 ? <Link href={link(page - 1)}>← Previous</Link> : null}
            {results.hasMore ? <Link href={link(page + 1)}>Next →</Link> : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
