import Link from "next/link";
import type { Db } from "@/db/index";
import { moleculePredictions, type MoleculeModelAnswer } from "@/db/queries/prediction-views";
import type { ModelAnswer } from "@/db/queries/prediction-models";
import { formatDecimal, molarText } from "@/lib/predictions/plot";
import { predictionsPath } from "./prediction-assay";

/**
 * The campaign model's prediction for a molecule, on its page: per assay with a model (usually one), the predicted
 * value with its uncertainty, and the nearest measured molecules it rests on. The page asks which assays have a model
 * first (one cheap query), so without a model this is one line and no wait.
 */

const NEIGHBOURS = 3;

function Answer({ code, slug, answer }: { code: string; slug: string; answer: ModelAnswer }) {
  // A measured molecule is in the model's training data: it is its own nearest neighbour, which says nothing.
  const own = answer.neighbours.some((n) => n.molecule === code);
  const neighbours = answer.neighbours.filter((n) => n.molecule !== code).slice(0, NEIGHBOURS);
  const molar = molarText(answer.pic50, answer.unit);
  return (
    <div className="prediction-answer" data-testid="molecule-prediction">
      <p style={{ margin: "0.2rem 0 0" }}>
        {answer.assay} ≈ <strong>{molar ?? `pIC50 ${formatDecimal(answer.pic50)}`}</strong>
        <br />
        <span className="meta">
          pIC50 {formatDecimal(answer.pic50)} ± {formatDecimal(answer.uncertainty)}
        </span>
      </p>
      {answer.inDomain ? null : (
        <p style={{ margin: "0.3rem 0 0" }}>
          <span className="tag outside">outside what the model knows</span>{" "}
          <span className="meta">its nearest measured molecule is only {formatDecimal(answer.similarity)} similar</span>
        </p>
      )}
      {own ? (
        <p className="meta" style={{ margin: "0.3rem 0 0" }}>
          Measured: the model learned from this molecule&apos;s own result.
        </p>
      ) : null}
      {neighbours.length ? (
        <>
          <p className="meta" style={{ margin: "0.4rem 0 0.1rem" }}>
            Nearest measured (similarity, value):
          </p>
          <ul className="attachments">
            {neighbours.map((n) => (
              <li key={n.molecule}>
                <Link href={`/molecules/${encodeURIComponent(n.molecule)}`} className="molecule-code">
                  {n.molecule}
                </Link>{" "}
                <span className="meta">({formatDecimal(n.similarity)})</span>{" "}
                {molarText(n.pic50, answer.unit) ?? `pIC50 ${formatDecimal(n.pic50)}`}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p className="meta" style={{ margin: "0.3rem 0 0" }}>
        <Link href={predictionsPath(slug, "model", answer.assay)}>
          {answer.model.algorithm === "knn" ? "Nearest neighbours" : "Random forest"} on {answer.model.trainedOn} molecules
        </Link>
      </p>
    </div>
  );
}

/** The panel with the model's answers; `assays` are the campaign's assays with a model (not empty). */
export async function MoleculePredictionPanel({ db, code, slug, assays }: { db: Db; code: string; slug: string; assays: string[] }) {
  const answers: MoleculeModelAnswer[] = await moleculePredictions(db, code, slug, assays);
  return (
    <section className="card prediction-panel" aria-labelledby="prediction-title">
      <strong id="prediction-title">Prediction</strong>
      {answers.map((a) =>
        "answer" in a ? (
          <Answer key={a.assay} code={code} slug={slug} answer={a.answer} />
        ) : (
          <p key={a.assay} className="meta" style={{ margin: "0.3rem 0 0" }}>
            {a.assay}: {a.error}
          </p>
        ),
      )}
    </section>
  );
}

/** What stands in the panel's place while the model answers: the same box, so nothing below moves. */
export function MoleculePredictionSkeleton() {
  return (
    <section className="card prediction-panel" aria-busy="true" aria-label="Prediction">
      <strong>Prediction</strong>
      <p className="meta" style={{ margin: "0.3rem 0 0" }}>
        Asking the campaign&apos;s model…
      </p>
    </section>
  );
}

/** Without a model of the campaign: one line, with where to find out why. */
export function NoMoleculePrediction({ slug }: { slug: string }) {
  return (
    <p className="meta" data-testid="no-molecule-prediction">
      No prediction: the campaign has no model yet (<Link href={predictionsPath(slug, "model")}>why</Link>).
    </p>
  );
}
