import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { viewOrAssayProblem } from "./assay-problem";
import { currentActor } from "@/app/_lib/session";
import { AssayChoice, assayParam, predictionsPath } from "@/components/prediction-assay";
import { ScoreCells, ScoreHeads, ScoringNote } from "@/components/prediction-scores";
import { ScoringSettingsForm } from "@/components/prediction-settings-form";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { scoringSettings } from "@/db/queries/prediction-data";
import { predictionSetPath, scoreboard } from "@/db/queries/predictions";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ assay?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  if (!campaign) return { title: "Campaign not found" };
  return {
    title: `Predictions · ${campaign.name}`,
    description: `Forecasts of ${campaign.name}'s assay results, sealed before the experiments and scored as the results come in.`,
  };
}

/** The board, or why there is none: a campaign without results in a molar unit, or an assay it does not have. */

/** The scoreboard of one assay: every prediction set, scored against the results recorded after it, ranked. */
export default async function ScoreboardPage({ params, searchParams }: Props) {
  const [{ slug }, query] = await Promise.all([params, searchParams]);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) notFound();
  const actor = await currentActor();
  const [board, role, settings] = await Promise.all([
    viewOrAssayProblem(async () => scoreboard(db, slug, assayParam(query.assay))),
    roleIn(db, campaign.id, actor?.id),
    scoringSettings(db, campaign.id),
  ]);
  const assay = "problem" in board ? undefined : board.assay;
  return (
    <div className="stack predictions-page">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${slug}`} className="tag">
          {campaign.name}
        </Link>{" "}
        · predictions
      </p>
      <div className="spread">
        <h1>Predictions{assay ? ` of ${assay}` : ""}</h1>
        <span className="row">
          <Link href={predictionsPath(slug, "model", assay)}>The campaign&apos;s model</Link>
          <Link href={predictionsPath(slug, "next", assay)}>What to make next</Link>
          {actor ? (
            <Link href={predictionsPath(slug, "new", assay)} className="button primary">
              Submit predictions
            </Link>
          ) : (
            <Link href={`/signin?next=${encodeURIComponent(predictionsPath(slug, "new", assay))}`} className="button">
              Sign in to submit predictions
            </Link>
          )}
        </span>
      </div>
      <p className="meta" style={{ marginTop: 0 }}>
        Forecasts made before the experiment: each set is sealed when it is submitted (its SHA-256 and the server&apos;s time are shown and
        cannot change) and scored by itself as results are recorded. The campaign&apos;s own model takes part like anyone.
      </p>
      {"problem" in board ? (
        <div className="notice" data-testid="scoreboard-problem">
          <p style={{ margin: 0 }}>No scoreboard here yet: {board.problem}.</p>
          {board.assays.length ? (
            <p className="row" style={{ margin: "0.4rem 0 0" }}>
              <span className="meta">Scoreboards:</span>
              {board.assays.map((a) => (
                <Link key={a} href={predictionsPath(slug, "", a)}>
                  {a}
                </Link>
              ))}
            </p>
          ) : (
            <p className="meta" style={{ margin: "0.4rem 0 0" }}>
              Predictions are scored on pIC50, so an assay needs results in a molar unit (IC50, EC50, Ki… in µM or nM) or as pIC50. Once{" "}
              <Link href={`/campaigns/${slug}/molecules`}>molecules</Link> have such results, their assays appear here.
            </p>
          )}
        </div>
      ) : (
        <>
          <AssayChoice slug={slug} assays={board.assays} current={board.assay} page="" />
          {board.submissions.length ? (
            <div className="table-scroll">
              <table className="history measurements scoreboard" data-testid="scoreboard">
                <caption className="visually-hidden">
                  Scoreboard of {board.assay}: {board.submissions.length} prediction sets, ranked by Spearman ρ, then top-{board.topK} hits,
                  then RMSE
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Rank
                    </th>
                    <th scope="col">Prediction set</th>
                    <th scope="col">By</th>
                    <th scope="col">Submitted</th>
                    <ScoreHeads k={board.topK} />
                  </tr>
                </thead>
                <tbody>
                  {board.submissions.map((s, i) => (
                    <tr key={s.set.id}>
                      <td className="num">{s.scores.n > 0 ? i + 1 : <span className="meta">—</span>}</td>
                      <th scope="row" style={{ fontWeight: 400 }}>
                        <Link href={predictionSetPath(s.set.id)}>{s.set.name}</Link>
                      </th>
                      <td className="who">
                        {s.model ? <span className="tag">campaign model</span> : (s.submitter ?? <span className="meta">—</span>)}
                      </td>
                      <td>
                        <RelativeTime date={s.set.submittedAt} />
                      </td>
                      <ScoreCells scores={s.scores} rows={s.set.rowCount} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <div className="card" data-testid="scoreboard-empty">
              <h2 style={{ marginTop: 0 }}>No predictions for {board.assay} yet</h2>
              <p>How to take part:</p>
              <ol>
                <li>
                  Pick molecules whose {board.assay} is not measured yet: registered ones by their ID, or compounds not made yet by their
                  SMILES (a SMILES is matched to the molecule when someone registers it).
                </li>
                <li>Write a CSV with a value per molecule (pIC50 or the assay&apos;s unit), and optionally an uncertainty and a rank.</li>
                <li>
                  {actor ? <Link href={predictionsPath(slug, "new", board.assay)}>Submit it</Link> : "Sign in and submit it"}, or send it to{" "}
                  <code>POST /api/v1/predictions</code>. It is sealed at once, and scored here as the results come in.
                </li>
              </ol>
              <p className="meta" style={{ marginBottom: 0 }}>
                The campaign&apos;s own model enters by itself once {board.assay} has enough measured molecules (
                <Link href={predictionsPath(slug, "model", board.assay)}>its page</Link> says how many).
              </p>
            </div>
          )}
          <ScoringNote activeThreshold={board.activeThreshold} topK={board.topK} />
        </>
      )}
      {role === "maintainer" ? <ScoringSettingsForm slug={slug} settings={settings} /> : null}
    </div>
  );
}
