import type { Metadata } from "next";
import Link from "next/link";
import { viewOrAssayProblem } from "../assay-problem";
import { notFound } from "next/navigation";
import { ModelEvaluation } from "@/components/model-evaluation";
import { AssayChoice, assayParam, predictionsPath } from "@/components/prediction-assay";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { getCampaign } from "@/db/queries/campaigns";
import { campaignModels } from "@/db/queries/prediction-models";
import { noModelReason } from "@/db/queries/prediction-models";
import type { Evaluation } from "@/lib/models/evaluate";
import { formatDecimal } from "@/lib/predictions/plot";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ assay?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  if (!campaign) return { title: "Campaign not found" };
  return {
    title: `The model · predictions · ${campaign.name}`,
    description: `${campaign.name}'s own baseline model of its assay results, evaluated by scaffold-grouped cross-validation and a time split.`,
  };
}

const ALGORITHM: Record<string, string> = { "random-forest": "Random forest", knn: "k nearest neighbours" };
const algorithmName = (a: string) => ALGORITHM[a] ?? a;

/** The training's reason for its choice of algorithm, when the stored evaluation has one (lib/models/train.ts). */
function selectionOf(evaluation: unknown): string | null {
  const reason = (evaluation as { selection?: { reason?: unknown } } | null)?.selection?.reason;
  return typeof reason === "string" && reason.trim() ? reason : null;
}

/** The campaign's model of one assay: what it is, how well it does against what a chemist gets for free, its versions. */
export default async function ModelPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const answer = await viewOrAssayProblem(async () => campaignModels(db, slug, assayParam(query.assay)));
  const view = "problem" in answer ? null : answer;
  const problem = "problem" in answer ? answer.problem : null;
  const assays = view?.assays ?? [];
  const [latest, ...earlier] = view?.models ?? [];
  const label = view?.assay.label;
  return (
    <div className="stack predictions-page">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${slug}`} className="tag">
          {campaign.name}
        </Link>{" "}
        · <Link href={predictionsPath(slug, "", label)}>predictions</Link> · the model
      </p>
      <div className="spread">
        <h1>The campaign&apos;s model{label ? ` of ${label}` : ""}</h1>
        {label ? (
          <span className="row">
            <Link href={predictionsPath(slug, "", label)}>Scoreboard</Link>
            <Link href={predictionsPath(slug, "next", label)}>What to make next</Link>
          </span>
        ) : null}
      </div>
      <p className="meta" style={{ marginTop: 0 }}>
        A baseline trained on the campaign&apos;s own results: a random forest on Morgan fingerprints (radius 2, 2048 bits), or the nearest
        neighbours while data are few, retrained in the background whenever results change. It predicts on molecule pages, while a structure
        is drawn, and for the next compounds to make; its forecasts for untested molecules are sealed on the scoreboard like anyone&apos;s.
      </p>
      {view ? <AssayChoice slug={slug} assays={assays} current={view.assay.label} page="model" /> : null}
      {problem !== null ? (
        <p className="notice" data-testid="no-model">
          No model: {problem}.
        </p>
      ) : view && !latest ? (
        <p className="notice" data-testid="no-model">
          No model yet: {noModelReason(view.assay)}.
        </p>
      ) : view && latest ? (
        <>
          <div className="card" data-testid="model-summary">
            <strong>{algorithmName(latest.algorithm)}</strong>, trained on {latest.trainedOn.toLocaleString("en")} molecules with an “=”
            result of {view.assay.label}, <RelativeTime date={latest.trainedAt} />.
            {selectionOf(latest.evaluation) ? (
              <p className="meta" style={{ margin: "0.3rem 0 0" }}>
                Why this algorithm: {selectionOf(latest.evaluation)}
              </p>
            ) : null}
          </div>
          <h2>How good is it?</h2>
          <p className="meta" style={{ marginTop: 0 }}>
            Never measured on a molecule it was trained on. Each split compares the model with two references on the same molecules:
            predicting the training mean for everything (no model at all), and taking the value of the most similar training molecule (what
            a chemist does by eye). Errors are on pIC50; a molecule is active at pIC50 ≥ the campaign&apos;s threshold.
          </p>
          <ModelEvaluation evaluation={latest.evaluation as Evaluation} />
          <h2>Earlier versions</h2>
          {earlier.length ? (
            <div className="table-scroll">
              <table className="history measurements" data-testid="model-versions">
                <caption className="visually-hidden">Earlier versions of the model</caption>
                <thead>
                  <tr>
                    <th scope="col">Trained</th>
                    <th scope="col">Algorithm</th>
                    <th scope="col" className="num">
                      Molecules
                    </th>
                    <th scope="col" className="num">
                      CV RMSE
                    </th>
                    <th scope="col" className="num">
                      CV Spearman ρ
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {earlier.map((m) => {
                    const cv = (m.evaluation as Evaluation).cv;
                    return (
                      <tr key={m.id}>
                        <td>
                          <RelativeTime date={m.trainedAt} />
                        </td>
                        <td>{algorithmName(m.algorithm)}</td>
                        <td className="num">{m.trainedOn.toLocaleString("en")}</td>
                        <td className="num">{formatDecimal(cv?.model.rmse)}</td>
                        <td className="num">{formatDecimal(cv?.model.spearman)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="meta">This is the first version.</p>
          )}
        </>
      ) : null}
    </div>
  );
}
