import Link from "next/link";
import type { BlockMolecule, BlockResult } from "@/db/queries/wiki-blocks";
import type { SarResult } from "@/db/queries/wiki-sar";
import { smilesImagePath } from "@/lib/markdown/structures";
import { formatProperty, propertyOf } from "@/lib/molecules/properties";
import { chartLayout } from "@/lib/wiki/chart";
import { formatNumber, formatPotency } from "@/lib/wiki/format";
import { colour, POTENCY_CLASSES } from "@/lib/wiki/sar";
import { MoleculeImage } from "./molecule-image";
import { RelativeTime } from "./ui/relative-time";

/**
 * One live block of a wiki page, drawn on the server from its evaluated result (db/queries/wiki-blocks.ts). A
 * block whose data changed after `since` (the reader's last visit, or the date asked for) says so in its header.
 */
export function WikiBlock({ result, source, since }: { result: BlockResult; source: string; since: { at: Date; label: string } | null }) {
  const changed = since !== null && result.changedAt !== null && result.changedAt > since.at;
  return (
    <section className={`wiki-block wiki-block-${result.kind}${changed ? " changed" : ""}`} data-testid={`block-${result.kind}`}>
      {changed ? (
        <p className="wiki-block-changed" data-testid="block-changed">
          Changed since {since.label}: data updated <RelativeTime date={result.changedAt!} />
        </p>
      ) : null}
      <BlockBody result={result} />
      <details className="wiki-block-source">
        <summary>Query</summary>
        <pre>
          <code>{source}</code>
        </pre>
      </details>
    </section>
  );
}

function BlockBody({ result }: { result: BlockResult }) {
  switch (result.kind) {
    case "error":
      return (
        <p className="notice warn" role="alert">
          This block cannot be shown: {result.message}
        </p>
      );
    case "molecule":
      return result.molecule ? (
        <MoleculeCard m={result.molecule} />
      ) : (
        <p className="meta">No molecule {result.code} is registered (yet).</p>
      );
    case "molecules":
      return <MoleculesView result={result} />;
    case "sar":
      return <SarView sar={result.sar} view={result.view} />;
    case "chart":
      return <ChartView result={result} />;
    case "entries":
      return result.entries.length ? (
        <ul className="entries">
          {result.entries.map((e) => (
            <li key={e.path}>
              <Link href={e.path} className="title">
                {e.title}
              </Link>
              <div className="meta">
                {e.kind === "page" ? "wiki page" : e.date} · {e.author}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="meta">No entries match.</p>
      );
    case "todos":
      return result.todos.length ? (
        <ul className="entries">
          {result.todos.map((t) => (
            <li key={t.path}>
              <Link href={t.path} className="title">
                {t.title}
              </Link>
              <div className="meta">
                {t.state}
                {t.issueNumber ? ` · #${t.issueNumber}` : ""}
                {t.labels.length ? ` · ${t.labels.join(", ")}` : ""}
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="meta">No to-dos match.</p>
      );
  }
}

function MoleculeCard({ m }: { m: BlockMolecule }) {
  return (
    <div className="card wiki-molecule-card">
      <Link href={`/molecules/${m.code}`}>
        <MoleculeImage code={m.code} width={240} height={160} alt={`Structure of ${m.code}`} eager />
      </Link>
      <div>
        <p style={{ margin: 0 }}>
          <Link href={`/molecules/${m.code}`} className="molecule-code">
            {m.code}
          </Link>{" "}
          {m.name ? <span className="meta">{m.name}</span> : null}{" "}
          {m.status === "parked" ? <span className="status parked">parked</span> : null}
        </p>
        {m.potency.length ? (
          <table className="wiki-table compact">
            <tbody>
              {m.potency.map((p) => (
                <tr key={`${p.label}|${p.unit}`}>
                  <th scope="row">{p.label}</th>
                  <td className="num">{formatPotency(p)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="meta">Not measured yet.</p>
        )}
      </div>
    </div>
  );
}

const MW = propertyOf("averageMass");
const LOGP = propertyOf("clogp");

function MoleculesView({ result }: { result: Extract<BlockResult, { kind: "molecules" }> }) {
  const { molecules, total } = result;
  const footer = (
    <p className="meta">
      {molecules.length < total
        ? `${molecules.length} of ${total.toLocaleString("en")} molecules · `
        : `${total.toLocaleString("en")} molecule${total === 1 ? "" : "s"} · `}
      {result.searchPath ? <Link href={result.searchPath}>open as a search</Link> : null}
    </p>
  );
  if (!molecules.length) return <p className="meta">No molecules match.</p>;
  if (result.view === "table") {
    return (
      <>
        <div className="wiki-table-wrap">
          <table className="wiki-table">
            <thead>
              <tr>
                <th>Structure</th>
                <th>ID</th>
                <th className="num">{MW.label}</th>
                <th className="num">{LOGP.label}</th>
                <th className="num">{result.assay ?? "Best value"}</th>
              </tr>
            </thead>
            <tbody>
              {molecules.map((m) => (
                <tr key={m.id}>
                  <td className="thumb">
                    <MoleculeImage code={m.code} width={120} height={80} alt={m.code} />
                  </td>
                  <td>
                    <Link href={`/molecules/${m.code}`}>{m.code}</Link>
                    {m.status === "parked" ? <span className="status parked">parked</span> : null}
                    {m.name ? <div className="meta">{m.name}</div> : null}
                  </td>
                  <td className="num">{formatProperty(MW, m.properties.averageMass)}</td>
                  <td className="num">{formatProperty(LOGP, m.properties.clogp)}</td>
                  <td className="num">
                    {result.assay ? formatPotency(m.best) : m.potency[0] ? `${m.potency[0].label}: ${formatPotency(m.potency[0])}` : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {footer}
      </>
    );
  }
  return (
    <>
      <ul className="wiki-grid">
        {molecules.map((m) => (
          <li key={m.id}>
            <Link href={`/molecules/${m.code}`}>
              <MoleculeImage code={m.code} width={180} height={120} alt={m.code} />
              <span className="molecule-code">{m.code}</span>
            </Link>
            <span className="meta">
              {result.assay ? formatPotency(m.best) : m.potency[0] ? formatPotency(m.potency[0]) : "not measured"}
              {m.similarity !== undefined ? ` · sim ${m.similarity.toFixed(2)}` : ""}
            </span>
          </li>
        ))}
      </ul>
      {footer}
    </>
  );
}

function Substituent({ smiles }: { smiles: string }) {
  if (smiles === "[H]") return <span className="wiki-h">H</span>;
  return (
    // eslint-disable-next-line @next/next/no-img-element -- our own depiction route, sized by its query
    <img
      src={`${smilesImagePath(smiles)}&w=140&h=90`}
      width={140}
      height={90}
      alt={smiles}
      title={smiles}
      loading="lazy"
      className="structure"
    />
  );
}

function SarView({ sar, view }: { sar: SarResult; view: "table" | "matrix" | "both" }) {
  const points = sar.labels.map((l) => `R${l}`);
  const values = sar.rows.flatMap((r) => (r.best ? [r.best.value] : []));
  const cls = (best: { value: number } | null) => {
    const c = colour(best, values, sar.up);
    return c === null ? "" : `potency-${c}`;
  };
  return (
    <div className="stack">
      <p className="meta">
        Core <code>{sar.core}</code> ·{" "}
        {sar.rows.length < sar.total
          ? `the ${sar.rows.length} most potent of ${sar.total} molecules`
          : `${sar.rows.length} molecule${sar.rows.length === 1 ? "" : "s"}`}
        {sar.assay ? ` · best ${sar.assay}, most potent first` : ""}
      </p>
      {!sar.rows.length ? (
        <p className="meta">No molecule of this campaign contains the core.</p>
      ) : view !== "matrix" || !sar.matrix ? (
        <div className="wiki-table-wrap">
          <table className="wiki-table sar-table" data-testid="sar-table">
            <thead>
              <tr>
                <th>ID</th>
                {points.map((p) => (
                  <th key={p}>{p}</th>
                ))}
                <th className="num">{sar.assay ?? "Best value"}</th>
              </tr>
            </thead>
            <tbody>
              {sar.rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/molecules/${r.code}`}>{r.code}</Link>
                  </td>
                  {points.map((p) => (
                    <td key={p} className="thumb" data-smiles={r.substituents[p] ?? "[H]"}>
                      <Substituent smiles={r.substituents[p] ?? "[H]"} />
                    </td>
                  ))}
                  <td className={`num ${cls(r.best)}`}>{formatPotency(r.best)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {sar.matrix && view !== "table" ? (
        <>
          <strong>
            {points[0]} × {points[1]}
          </strong>
          <div className="wiki-table-wrap">
            <table className="wiki-table sar-matrix" data-testid="sar-matrix">
              <thead>
                <tr>
                  <th>
                    {points[0]} \ {points[1]}
                  </th>
                  {sar.matrix.r2.map((s) => (
                    <th key={s} className="thumb">
                      <Substituent smiles={s} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sar.matrix.r1.map((s, i) => (
                  <tr key={s}>
                    <th scope="row" className="thumb">
                      <Substituent smiles={s} />
                    </th>
                    {sar.matrix!.cells[i]!.map((cell, j) => (
                      <td key={j} className={`num ${cell ? cls(cell.best) : "empty"}`} title={cell?.codes.join(", ")}>
                        {cell ? (
                          <>
                            {formatPotency(cell.best)}
                            <div className="meta">
                              <Link href={`/molecules/${cell.codes[0]}`}>{cell.codes[0]}</Link>
                              {cell.codes.length > 1 ? ` +${cell.codes.length - 1}` : ""}
                            </div>
                          </>
                        ) : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="meta">
            Colour: most potent fifth of the range{" "}
            {Array.from({ length: POTENCY_CLASSES }, (_, c) => (
              <span key={c} className={`swatch potency-${c}`} />
            ))}{" "}
            least potent.
          </p>
        </>
      ) : null}
      {sar.apart.length ? (
        <div>
          <strong>Contain the core but not this pattern of attachment</strong>
          <ul className="inline-list">
            {sar.apart.map((a) => (
              <li key={a.id}>
                <Link href={`/molecules/${a.code}`}>{a.code}</Link> <span className="meta">({a.reason})</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

function ChartView({ result }: { result: Extract<BlockResult, { kind: "chart" }> }) {
  if (!result.points.length) return <p className="meta">No molecule here has a {result.assay} value.</p>;
  const time = result.x === "date";
  const layout = chartLayout(result.points, { time, logY: !result.up && result.unit !== null && result.unit !== "%" });
  const xLabel = time ? "registered" : propertyOf(result.x as Parameters<typeof propertyOf>[0]).label;
  const { plot } = layout;
  return (
    <figure className="wiki-chart">
      <svg viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-label={`${result.assay} against ${xLabel}`}>
        <rect x={plot.left} y={plot.top} width={plot.right - plot.left} height={plot.bottom - plot.top} className="frame" />
        {layout.yTicks.map((t) => (
          <g key={`y${t.label}`}>
            <line x1={plot.left} x2={plot.right} y1={t.at} y2={t.at} className="grid-line" />
            <text x={plot.left - 6} y={t.at + 4} textAnchor="end">
              {t.label}
            </text>
          </g>
        ))}
        {layout.xTicks.map((t) => (
          <text key={`x${t.label}`} x={t.at} y={plot.bottom + 16} textAnchor="middle">
            {t.label}
          </text>
        ))}
        {layout.points.map((p) => (
          <a key={p.code} href={`/molecules/${p.code}`}>
            <title>{p.code}</title>
            {p.bound === "=" ? (
              <circle cx={p.cx} cy={p.cy} r={4} className="point" />
            ) : (
              <circle cx={p.cx} cy={p.cy} r={4} className="point bound" />
            )}
          </a>
        ))}
      </svg>
      <figcaption className="meta">
        {result.assay} against {xLabel} · {result.points.length} molecules
        {result.points.some((p) => p.qualifier !== "=") ? " · open circles are bounds (< or >)" : ""}
        {time
          ? ""
          : ` · x from ${formatNumber(Math.min(...result.points.map((p) => p.x)))} to ${formatNumber(Math.max(...result.points.map((p) => p.x)))}`}
      </figcaption>
    </figure>
  );
}
