import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { assayParam, predictionsPath } from "@/components/prediction-assay";
import { PredictionSubmitForm } from "@/components/prediction-submit-form";
import { getDb } from "@/db/index";
import { getCampaign } from "@/db/queries/campaigns";
import { predictableAssays } from "@/db/queries/prediction-data";
import { unitsFor } from "@/lib/predictions/units";

export const metadata: Metadata = { title: "Submit predictions", robots: { index: false } };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ assay?: string | string[] }> };

/** Submitting a prediction set: anyone signed in, for any assay of the campaign that is scored on pIC50. */
export default async function SubmitPredictionsPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  const back = (
    <p className="meta" style={{ margin: 0 }}>
      <Link href={predictionsPath(slug, "", assayParam(query.assay))}>← Predictions of {campaign.name}</Link> · submit a set
    </p>
  );
  if (!actor) {
    return (
      <div className="stack">
        {back}
        <h1>Submit predictions</h1>
        <p className="notice" data-testid="signin-prompt">
          Anyone can forecast, but a sealed set names who made it:{" "}
          <Link href={`/signin?next=${encodeURIComponent(predictionsPath(slug, "new"))}`}>sign in</Link> to submit predictions.
        </p>
      </div>
    );
  }
  const assays = (await predictableAssays(db, campaign.id)).map((a) => ({ label: a.label, units: [...unitsFor(a.label).units] }));
  const asked = assayParam(query.assay)?.toLowerCase();
  const initial = assays.find((a) => a.label.toLowerCase() === asked) ?? assays[0];
  return (
    <div className="stack">
      {back}
      <h1>Submit predictions</h1>
      <p className="meta" style={{ marginTop: 0 }}>
        Forecast results that are not in yet. The set is sealed when you submit it: the server records its SHA-256 and the time, shows them
        publicly, and scores it as results are recorded — only results recorded after now count.
      </p>
      {initial ? (
        <PredictionSubmitForm slug={slug} assays={assays} initialAssay={initial.label} />
      ) : (
        <p className="notice" data-testid="no-assays">
          No assay of {campaign.name} can take predictions yet: predictions are scored on pIC50, so an assay needs results in a molar unit
          (IC50, EC50, Ki… in µM or nM) or as pIC50.
        </p>
      )}
    </div>
  );
}
