import Link from "next/link";
import type { ComputedRow, EnteredField } from "@/lib/stoichiometry/compute";
import { formatAmount } from "@/lib/stoichiometry/compute";
import { describeFigures, formatMass, formatMmol, formatMw, formatPercent, formatVolume } from "@/lib/stoichiometry/format";
import type { StoredReaction, StoredRow } from "@/lib/stoichiometry/reaction";
import { RegisterProductButton } from "./register-product-button";

export interface ReactionViewProps {
  reaction: StoredReaction;
  index: number;
  /** Scheme image address (the entry's current revision or a given one). */
  schemeSrc: string;
  /** When set, product rows with a structure and no molecule get "Register". */
  register?: { entryId: number; baseRevision: number } | null;
  /** Attachment paths by id, to link a product's spectrum. */
  attachments?: ReadonlyMap<number, { filename: string; path: string }>;
}

/**
 * One reaction of an entry as read: the scheme drawn on the server, the stoichiometry table as saved with the
 * revision (entered cells set apart from computed ones), and the reaction's figures.
 */
export function ReactionView({ reaction, index, schemeSrc, register, attachments }: ReactionViewProps) {
  const { rows, computed } = reaction;
  const figures = computed.reaction;
  return (
    <section className="card reaction" data-testid="reaction" aria-labelledby={`reaction-${reaction.id}`}>
      <h2 id={`reaction-${reaction.id}`} style={{ marginTop: 0 }}>
        Reaction {index + 1}
        {reaction.title ? `: ${reaction.title}` : ""}
      </h2>
      {/* eslint-disable-next-line @next/next/no-img-element -- an SVG drawn by our own route, sized by itself */}
      <img className="reaction-scheme" src={schemeSrc} alt={`Scheme of reaction ${index + 1}`} />
      <div className="table-scroll">
        <table className="stoichiometry" data-testid="stoichiometry">
          <thead>
            <tr>
              <th>Role</th>
              <th>Component</th>
              <th>MW (g/mol)</th>
              <th>Mass</th>
              <th>Volume</th>
              <th>Amount</th>
              <th>Equiv.</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <Row
                key={i}
                row={row}
                out={computed.rows[i]!}
                reference={isReference(rows, i)}
                register={register ? { ...register, reactionId: reaction.id, row: i } : null}
                attachments={attachments}
              />
            ))}
          </tbody>
        </table>
      </div>
      <p className="meta reaction-figures" data-testid="reaction-figures">
        {describeFigures(figures).join(" · ") || "No reaction figures yet: enter an amount of the reference row."}
        <span className="legend">
          {" "}
          · <span className="entered">entered</span> / <span className="computed">computed</span>
        </span>
      </p>
    </section>
  );
}

function isReference(rows: readonly StoredRow[], i: number): boolean {
  const marked = rows.findIndex((r) => r.reference);
  return marked >= 0 ? marked === i : rows.findIndex((r) => r.role === "reactant") === i;
}

function Cell({ value, field, out }: { value: string; field: EnteredField; out: ComputedRow }) {
  const entered = out.entered.includes(field);
  return (
    <td className={`num ${value ? (entered ? "entered" : "computed") : ""}`} title={value ? (entered ? "entered" : "computed") : undefined}>
      {value}
    </td>
  );
}

function Row({
  row,
  out,
  reference,
  register,
  attachments,
}: {
  row: StoredRow;
  out: ComputedRow;
  reference: boolean;
  register: { entryId: number; baseRevision: number; reactionId: string; row: number } | null;
  attachments?: ReadonlyMap<number, { filename: string; path: string }>;
}) {
  const notes: React.ReactNode[] = [];
  if (reference) notes.push("reference");
  if (row.purity && row.purity !== 100) notes.push(`${formatAmount(row.purity)} % pure`);
  if (row.density) notes.push(`${formatAmount(row.density)} g/mL`);
  if (row.concentration) notes.push(`${formatAmount(row.concentration)} M`);
  if (row.coefficient && row.coefficient !== 1) notes.push(`coefficient ${formatAmount(row.coefficient)}`);
  if (row.role === "product") {
    if (out.theoreticalMg != null) notes.push(`theoretical ${formatMass(out.theoreticalMg)} (${formatMmol(out.theoreticalMmol)})`);
    if (row.isolatedMg)
      notes.push(
        <strong key="yield">{`isolated ${formatMass(row.isolatedMg)}${out.yieldPercent != null ? `, yield ${formatPercent(out.yieldPercent)}` : ""}`}</strong>,
      );
    const spectrum = row.spectrum ? attachments?.get(row.spectrum) : undefined;
    if (spectrum)
      notes.push(
        <a key="spectrum" href={`#spectrum-${row.spectrum}`}>
          spectrum: {spectrum.filename}
        </a>,
      );
  }
  const structure = row.structure;
  return (
    <tr className={`role-${row.role}`}>
      <td>{row.role}</td>
      <td className="component">
        {row.molecule ? <Link href={`/molecules/${row.molecule}`}>{row.molecule}</Link> : null}
        {row.name ? <span>{row.molecule ? ` · ${row.name}` : row.name}</span> : null}
        {!row.molecule && !row.name && structure ? (
          <span className="mono" title={structure.smiles}>
            {structure.formula}
          </span>
        ) : null}
        {structure && !row.molecule && row.name ? (
          <div className="meta mono smiles" title={structure.smiles}>
            {structure.formula}
          </div>
        ) : null}
        {register && row.role === "product" && structure && !row.molecule ? <RegisterProductButton {...register} /> : null}
      </td>
      <Cell value={formatMw(out.mw)} field="mw" out={out} />
      <Cell value={formatMass(out.massMg)} field="massMg" out={out} />
      <Cell value={formatVolume(out.volumeUl)} field="volumeUl" out={out} />
      <Cell value={formatMmol(out.mmol)} field="mmol" out={out} />
      <Cell value={out.equivalents !== null && row.role !== "solvent" ? formatAmount(out.equivalents) : ""} field="equivalents" out={out} />
      <td className="notes">
        {notes.map((n, k) => (
          <span key={k}>
            {k ? " · " : ""}
            {n}
          </span>
        ))}
      </td>
    </tr>
  );
}
