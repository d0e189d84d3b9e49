import type { Metadata } from "next";
import Link from "next/link";
import { viewOrAssayProblem } from "../assay-problem";
import { notFound } from "next/navigation";
import { currentActor } from "@/app/_lib/session";
import { MoleculeImage } from "@/components/molecule-image";
import { PredictStructuresForm } from "@/components/predict-structures-form";
import { AssayChoice, assayParam, predictionsPath } from "@/components/prediction-assay";
import { getDb } from "@/db/index";
import { getCampaign } from "@/db/queries/campaigns";
import { nextCompounds } from "@/db/queries/prediction-models";
import { noModelReason } from "@/db/queries/prediction-models";
import { OUTSIDE_SIMILARITY } from "@/lib/models/predict";
import { formatDecimal, molarText, molarUnit } from "@/lib/predictions/plot";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ assay?: string | string[] }> };

const LIMIT = 50;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  if (!campaign) return { title: "Campaign not found" };
  return {
    title: `What to make next · ${campaign.name}`,
    description: `${campaign.name}'s registered molecules not tested yet, ranked by the potency its own model predicts.`,
  };
}

/** What to make or test next: untested molecules ranked by the model's prediction, and pasted structures asked. */
export default async function NextCompoundsPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  const answer = await viewOrAssayProblem(async () => nextCompounds(db, slug, assayParam(query.assay), LIMIT));
  const view = "problem" in answer ? null : answer;
  const problem = "problem" in answer ? answer.problem : null;
  const assays = view?.assays ?? [];
  const label = view?.assay.label;
  const unit = view ? molarUnit(view.assay.units) : null;
  return (
    <div className="stack predictions-page">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${slug}`} className="tag">
          {campaign.name}
        </Link>{" "}
        · <Link href={predictionsPath(slug, "", label)}>predictions</Link> · what to make next
      </p>
      <div className="spread">
        <h1>What to make next{label ? ` for ${label}` : ""}</h1>
        {label ? <Link href={predictionsPath(slug, "model", label)}>How good is the model?</Link> : null}
      </div>
      <p className="meta" style={{ marginTop: 0 }}>
        Registered molecules without a result of the assay, ranked by the potency the campaign&apos;s model predicts, with its uncertainty
        and the similarity to the nearest measured molecule. Below {formatDecimal(OUTSIDE_SIMILARITY)} the molecule is outside what the
        model knows, and the prediction is a guess.
      </p>
      {view ? <AssayChoice slug={slug} assays={assays} current={view.assay.label} page="next" /> : null}
      {problem !== null ? (
        <p className="notice" data-testid="no-model">
          No model: {problem}.
        </p>
      ) : view && !view.model ? (
        <p className="notice" data-testid="no-model">
          No model yet: {noModelReason(view.assay)}.
        </p>
      ) : view ? (
        view.compounds.length ? (
          <div className="table-scroll">
            <table className="history measurements prediction-rows" data-testid="next-compounds">
              <caption className="visually-hidden">Untested molecules ranked by predicted {view.assay.label}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Molecule</th>
                  <th scope="col" className="num">
                    Predicted {view.assay.label}
                  </th>
                  <th scope="col" className="num" title="Tanimoto similarity (Morgan fingerprints) to the nearest measured molecule">
                    Similarity
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.compounds.map((c, i) => (
                  <tr key={c.molecule?.id ?? c.smiles ?? i}>
                    <td className="num">{i + 1}</td>
                    <td>
                      {c.molecule ? (
                        <Link href={`/molecules/${encodeURIComponent(c.molecule.code)}`} className="molecule-chip">
                          <MoleculeImage code={c.molecule.code} width={96} height={64} alt="" />
                          <span className="molecule-code">{c.molecule.code}</span>
                        </Link>
                      ) : (
                        <code className="smiles-cell">{c.smiles}</code>
                      )}
                    </td>
                    <td className="num">
                      {molarText(c.pic50, unit) ?? ""}{" "}
                      <span className="meta">
                        (pIC50 {formatDecimal(c.pic50)} ± {formatDecimal(c.uncertainty)})
                      </span>
                    </td>
                    <td className="num">
                      {formatDecimal(c.similarity)}
                      {c.similarity < OUTSIDE_SIMILARITY ? <span className="tag outside">outside what the model knows</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {view.untested > view.compounds.length ? (
              <p className="meta">
                The {view.compounds.length} predicted most potent of {view.untested.toLocaleString("en")} untested molecules.
              </p>
            ) : null}
          </div>
        ) : (
          <p className="meta" data-testid="none-untested">
            Every registered molecule of {campaign.name} has a result of {view.assay.label}: register new ones, or paste structures below.
          </p>
        )
      ) : null}
      {view?.model ? (
        <section className="card" aria-labelledby="paste-title">
          <h2 id="paste-title" style={{ marginTop: 0 }}>
            Ask about structures not registered
          </h2>
          {actor ? (
            <PredictStructuresForm slug={slug} assay={view.assay.label} />
          ) : (
            <p className="meta" style={{ margin: 0 }}>
              <Link href={`/signin?next=${encodeURIComponent(predictionsPath(slug, "next", label))}`}>Sign in</Link> to paste SMILES and see
              what the model expects of them.
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}
