import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { MoleculeTable } from "@/components/molecule-table";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { keyConflicts } from "@/db/queries/molecules/writes";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  return { title: campaign ? `Molecules · ${campaign.name}` : "Campaign not found" };
}

/**
 * The campaign's molecule sheet. The page itself is small: the rows come from table.json, which the client loads
 * once (41,000 molecules would make a server-rendered page of tens of megabytes).
 */
export default async function MoleculesPage({ params }: Props) {
  const { slug } = await params;
  const db = await getDb();
  const [campaign, actor] = await Promise.all([getCampaign(db, slug), currentActor()]);
  if (!campaign) notFound();
  const role = actor ? await roleIn(db, campaign.id, actor.id) : null;
  const conflicts = role === "maintainer" ? await keyConflicts(db, campaign.id) : [];
  return (
    <div className="wide-page stack">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${campaign.slug}`}>← {campaign.name}</Link>
      </p>
      <div className="spread">
        <h1>Molecules</h1>
        {role ? (
          <span className="row">
            <Link href={`/campaigns/${campaign.slug}/molecules/new`} className="button primary">
              Register a molecule
            </Link>
            <Link href={`/campaigns/${campaign.slug}/molecules/import`} className="button">
              Import
            </Link>
          </span>
        ) : null}
      </div>
      {conflicts.length > 0 ? (
        <div className="notice warn" role="status">
          <p style={{ margin: 0 }}>
            The registry now compares structures the way RDKit reads them, and the two toolkits group these molecules differently. Nothing
            was merged, and new duplicates are judged by RDKit. Park one of a group if it is the same compound:
          </p>
          <ul>
            {conflicts.map((group) => (
              <li key={`${group.oneFor} ${group.codes.join(" ")}`}>
                {group.codes.map((code, i) => (
                  <span key={code}>
                    {i > 0 ? ", " : null}
                    <Link href={`/molecules/${code}`}>{code}</Link>
                  </span>
                ))}
                {group.oneFor === "rdkit"
                  ? " — registered as different structures; RDKit reads them as one: "
                  : " — OpenChemLib reads them as one structure, RDKit as different ones: "}
                <code>{group.smiles}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <MoleculeTable slug={campaign.slug} canWrite={role !== null} />
    </div>
  );
}
