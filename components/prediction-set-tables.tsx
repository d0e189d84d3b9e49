import Link from "next/link";
import type { ScoredPrediction } from "@/db/queries/predictions";
import { formatDecimal, potencyText } from "@/lib/predictions/plot";
import { MoleculeImage } from "./molecule-image";
import { RelativeTime } from "./ui/relative-time";

/** Long sets list this many rows on the page; the API has them all. */
export const SHOWN_ROWS = 100;

/** A predicted compound: its drawing and its ID (linked), or its SMILES when it is not registered (yet). */
export function PredictedCompound({ p, thumb = true }: { p: ScoredPrediction; thumb?: boolean }) {
  if (p.molecule) {
    const href = `/molecules/${encodeURIComponent(p.molecule.code)}`;
    return (
      <Link href={href} className="molecule-chip">
        {thumb ? <MoleculeImage code={p.molecule.code} width={96} height={64} alt="" /> : null}
        <span className="molecule-code">{p.molecule.code}</span>
      </Link>
    );
  }
  const smiles = p.smiles ?? "";
  return (
    <span className="molecule-chip">
      {thumb ? (
        // eslint-disable-next-line @next/next/no-img-element -- our own SVG route, drawn from the SMILES in the sandbox
        <img
          src={`/depictions/smiles.svg?s=${encodeURIComponent(smiles)}&w=96&h=64`}
          width={96}
          height={64}
          alt=""
          loading="lazy"
          decoding="async"
        />
      ) : null}
      <code className="smiles-cell" title={smiles}>
        {smiles}
      </code>
    </span>
  );
}

/** The prediction as given and on the assay's scale: "0.794 µM (pIC50 6.10 ± 0.40)". */
function Predicted({ p, unit, setUnit }: { p: ScoredPrediction; unit: string | null; setUnit: string }) {
  const uncertainty =
    p.uncertainty === null ? "" : ` ± ${setUnit === "pIC50" ? formatDecimal(p.uncertainty) : `${formatDecimal(p.uncertainty)} ${setUnit}`}`;
  return (
    <>
      {unit ? `${potencyText(p.pic50, "=", unit)} ` : null}
      <span className={unit ? "meta" : undefined}>
        {unit ? "(" : ""}pIC50 {formatDecimal(p.pic50)}
        {uncertainty}
        {unit ? ")" : ""}
      </span>
    </>
  );
}

/** The compounds of a set that have no result recorded after its submission, best-ranked first. */
export function WaitingTable({ waiting, unit, setUnit }: { waiting: ScoredPrediction[]; unit: string | null; setUnit: string }) {
  const ordered = [...waiting].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.pic50 - a.pic50 || a.row - b.row);
  const shown = ordered.slice(0, SHOWN_ROWS);
  return (
    <div className="table-scroll">
      <table className="history measurements prediction-rows" data-testid="waiting">
        <caption className="visually-hidden">Compounds still waiting for a result</caption>
        <thead>
          <tr>
            <th scope="col">Compound</th>
            <th scope="col" className="num">
              Predicted
            </th>
            <th scope="col" className="num">
              Rank
            </th>
            <th scope="col" className="num">
              Row
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => (
            <tr key={p.row}>
              <td>
                <PredictedCompound p={p} />
              </td>
              <td className="num">
                <Predicted p={p} unit={unit} setUnit={setUnit} />
              </td>
              <td className="num">{p.rank ?? <span className="meta">—</span>}</td>
              <td className="num meta">{p.row}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {ordered.length > shown.length ? (
        <p className="meta">
          The first {shown.length} of {ordered.length.toLocaleString("en")} by rank and predicted potency; the API lists them all.
        </p>
      ) : null}
    </div>
  );
}

/** When each result came in, newest first: the molecule, its forecast and what was measured. */
export function ResultTimeline({ scored, unit, setUnit }: { scored: ScoredPrediction[]; unit: string | null; setUnit: string }) {
  const ordered = [...scored].sort((a, b) => b.observed!.measuredAt.getTime() - a.observed!.measuredAt.getTime() || a.row - b.row);
  const shown = ordered.slice(0, SHOWN_ROWS);
  return (
    <div className="table-scroll">
      <table className="history measurements prediction-rows" data-testid="timeline">
        <caption className="visually-hidden">Results as they came in, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Result recorded</th>
            <th scope="col">Compound</th>
            <th scope="col" className="num">
              Predicted
            </th>
            <th scope="col" className="num">
              Measured
            </th>
            <th scope="col" className="num" title="predicted − measured pIC50, “=” results only">
              Off by
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((p) => {
            const o = p.observed!;
            return (
              <tr key={p.row}>
                <td>
                  <RelativeTime date={o.measuredAt} />
                </td>
                <td>
                  <PredictedCompound p={p} thumb={false} />
                </td>
                <td className="num">
                  <Predicted p={p} unit={unit} setUnit={setUnit} />
                </td>
                <td className="num">
                  {potencyText(o.pic50, o.qualifier, unit)}
                  {unit ? (
                    <span className="meta"> (pIC50 {`${o.qualifier === "=" ? "" : `${o.qualifier} `}${formatDecimal(o.pic50)}`})</span>
                  ) : null}
                  {o.count > 1 ? <span className="meta"> · {o.count} results</span> : null}
                </td>
                <td className="num">{o.qualifier === "=" ? formatDecimal(p.pic50 - o.pic50) : <span className="meta">bound</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {ordered.length > shown.length ? (
        <p className="meta">
          The newest {shown.length} of {ordered.length.toLocaleString("en")}.
        </p>
      ) : null}
    </div>
  );
}
