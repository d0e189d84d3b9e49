import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { RegisterMoleculeForm } from "@/components/molecule-register-form";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { registrySettings } from "@/db/queries/molecules/registry";
import { liveModel } from "@/db/queries/prediction-views";
import { osraAvailable } from "@/lib/ocsr/osra";

export const metadata: Metadata = { title: "Register a molecule", robots: { index: false } };

export default async function RegisterMoleculePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  if (!actor) redirect(`/signin?next=/campaigns/${slug}/molecules/new`);
  const role = await roleIn(db, campaign.id, actor.id);
  if (!role) {
    return (
      <p className="notice warn">
        Only members of {campaign.name} can register molecules in it. Ask a maintainer to add you.{" "}
        <Link href={`/campaigns/${slug}`}>Back</Link>
      </p>
    );
  }
  const [settings, model] = await Promise.all([registrySettings(db, campaign), liveModel(db, campaign.id)]);
  return (
    <div className="stack">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${slug}`}>← {campaign.name}</Link> · register a molecule
      </p>
      <h1>Register a molecule</h1>
      <p className="meta" style={{ marginTop: 0 }}>
        Paste a SMILES, paste or upload a molfile, draw the structure, or read it from a picture. The notebook canonicalizes it, computes
        its properties and InChIKey, and gives it the next ID ({settings.prefix}-{settings.defaultSite}-n) unless you give one. A structure
        already registered in {campaign.name} is shown instead of being registered twice.
      </p>
      <RegisterMoleculeForm
        slug={campaign.slug}
        prefix={settings.prefix}
        defaultSite={settings.defaultSite}
        maintainer={role === "maintainer"}
        model={model}
        pictures={osraAvailable()}
      />
    </div>
  );
}
