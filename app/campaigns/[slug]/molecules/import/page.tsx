import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { ImportWizard } from "@/components/import-wizard";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { registrySettings } from "@/db/queries/molecules/registry";

export const metadata: Metadata = { title: "Import molecules", robots: { index: false } };

/** Members bring their spreadsheet or SD file into the campaign: map columns, preview, import with progress. */
export default async function ImportPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  if (!actor) redirect(`/signin?next=/campaigns/${slug}/molecules/import`);
  const [role, registry] = await Promise.all([roleIn(db, campaign.id, actor.id), registrySettings(db, campaign)]);
  if (!role) {
    return (
      <p className="notice warn">
        Only members of {campaign.name} can import molecules. Ask a maintainer to add you.{" "}
        <Link href={`/campaigns/${slug}/molecules`}>Back to the molecules</Link>
      </p>
    );
  }
  // IDs in a file must use one of the campaign's prefixes: the current one and any it handed out IDs under before.
  const prefixes = [...new Set([registry.prefix, ...registry.counters.map((c) => c.prefix)])];
  return (
    <div className="stack">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${campaign.slug}`}>← {campaign.name}</Link> ·{" "}
        <Link href={`/campaigns/${campaign.slug}/molecules`}>Molecules</Link>
      </p>
      <h1>Import molecules</h1>
      <p className="meta">
        A CSV or TSV exported from the campaign&apos;s spreadsheet, or an SD file. Rows that fail are listed with the reason and the others
        are imported; importing the same file again changes nothing.
      </p>
      <ImportWizard
        campaign={{ slug: campaign.slug, name: campaign.name }}
        prefixes={prefixes}
        isMaintainer={role === "maintainer"}
        // Every molecule's number comes from a counter: no counters, no molecules.
        hasMolecules={registry.counters.length > 0}
      />
    </div>
  );
}
