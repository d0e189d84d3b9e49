import type { StoredReaction } from "../stoichiometry/reaction";
import { type Crate, hasType, list, text, type CrateNode } from "./crate";
import type { ElnMeasurement, ElnMolecule } from "./model";

/**
 * The chemistry of an archive, both ways. Molecules are schema.org MolecularEntity nodes (identifier = campaign ID,
 * SMILES, InChI, InChIKey, formula, molecular weight; aliases as alternateName; the molfile as drawn and the SMILES
 * as entered as PropertyValue representations, so a re-import registers exactly what was registered). Each
 * measurement is a PropertyValue in the molecule's `variableMeasured` (and in the reporting entry's): `propertyID`
 * the assay, `value`, `unitText`, the qualifier as `maxValue` (<) or `minValue` (>), and target, lab and date as
 * PropertyValues in its `valueReference`. A reaction table follows the consortium's convention for nested data:
 * PropertyValues in the entry's `variableMeasured` whose `propertyID` is a dotted path (`reactions.0.rows.2.massMg`,
 * with `unitText`), the computed figures under `reactions.0.computed.…` for readers, the rows as entered for
 * re-import.
 */

export interface ExportMeasurement {
  id: number;
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: "=" | "<" | ">";
  measuredOn: string | null;
  entryId: number | null;
}

export interface ExportMolecule {
  code: string;
  name: string | null;
  aliases: string[];
  series: string | null;
  smiles: string;
  inputSmiles: string | null;
  /** The molfile as given at registration (a drawing); null for a structure registered from a SMILES. */
  molfile: string | null;
  inchi: string | null;
  inchikey: string | null;
  formula: string;
  averageMass: number;
  monoisotopicMass: number;
  measurements: ExportMeasurement[];
}

const REPRESENTATIONS = { molfile: "MDL molfile", inputSmiles: "SMILES as entered", series: "series" } as const;

export function moleculeNode(m: ExportMolecule, origin: string): CrateNode {
  const id = `#molecule-${m.code}`;
  return {
    "@id": id,
    "@type": "MolecularEntity",
    identifier: m.code,
    ...(m.name ? { name: m.name } : {}),
    ...(m.aliases.length ? { alternateName: m.aliases } : {}),
    smiles: m.smiles,
    ...(m.inchi ? { inChI: m.inchi } : {}),
    ...(m.inchikey ? { inChIKey: m.inchikey } : {}),
    molecularFormula: m.formula,
    molecularWeight: `${m.averageMass.toFixed(2)} g/mol`,
    monoisotopicMolecularWeight: `${m.monoisotopicMass.toFixed(4)} g/mol`,
    url: `${origin}/molecules/${encodeURIComponent(m.code)}`,
    ...(representations(m).length ? { hasRepresentation: representations(m).map((r) => ({ "@id": r["@id"] })) } : {}),
    ...(m.measurements.length ? { variableMeasured: m.measurements.map((x) => ({ "@id": `#measurement-${x.id}` })) } : {}),
  };
}

function representations(m: ExportMolecule): CrateNode[] {
  const out: CrateNode[] = [];
  const add = (key: keyof typeof REPRESENTATIONS, value: string | null) => {
    if (value) out.push({ "@id": `#molecule-${m.code}-${key}`, "@type": "PropertyValue", propertyID: REPRESENTATIONS[key], value });
  };
  add("molfile", m.molfile);
  add("inputSmiles", m.inputSmiles);
  add("series", m.series);
  return out;
}

/** The molecule's representations and its measurements, each with its target, lab and date. */
export function measurementNodes(m: ExportMolecule): CrateNode[] {
  const out: CrateNode[] = representations(m);
  for (const x of m.measurements) {
    const id = `#measurement-${x.id}`;
    const facets = (
      [
        ["target", x.target],
        ["lab", x.lab],
        ["measuredOn", x.measuredOn],
      ] as const
    ).filter(([, v]) => v !== null);
    out.push({
      "@id": id,
      "@type": "PropertyValue",
      name: `${x.assay} of ${m.code}${x.target ? ` (${x.target}${x.lab ? `, ${x.lab}` : ""})` : x.lab ? ` (${x.lab})` : ""}`,
      propertyID: x.assay,
      value: x.value,
      ...(x.unit ? { unitText: x.unit } : {}),
      ...(x.qualifier === "<" ? { maxValue: x.value } : x.qualifier === ">" ? { minValue: x.value } : {}),
      ...(facets.length ? { valueReference: facets.map(([k]) => ({ "@id": `${id}-${k}` })) } : {}),
    });
    for (const [k, v] of facets) out.push({ "@id": `${id}-${k}`, "@type": "PropertyValue", propertyID: k, value: v });
  }
  return out;
}

const ROW_FIELDS = [
  "role",
  "name",
  "molecule",
  "smiles",
  "mw",
  "purity",
  "density",
  "concentration",
  "massMg",
  "volumeUl",
  "mmol",
  "equivalents",
  "coefficient",
  "reference",
  "isolatedMg",
  "spectrum",
] as const;
const UNITS: Record<string, string> = {
  mw: "g/mol",
  purity: "%",
  density: "g/mL",
  concentration: "mol/L",
  massMg: "mg",
  volumeUl: "µL",
  mmol: "mmol",
  isolatedMg: "mg",
  theoreticalMmol: "mmol",
  theoreticalMg: "mg",
  yieldPercent: "%",
  atomEconomyPercent: "%",
  massEfficiencyPercent: "%",
  solventVolumeMl: "mL",
  referenceConcentrationM: "mol/L",
};

/**
 * An entry's reactions as dotted PropertyValues. A row linked to a molecule the archive holds names it by campaign
 * ID; a row typed as a SMILES keeps its SMILES (the link is made again on import); a spectrum names its File.
 */
export function reactionNodes(
  prefix: string,
  reactions: readonly StoredReaction[],
  files: Map<number, string>,
  exported: Set<string>,
): CrateNode[] {
  const out: CrateNode[] = [];
  const add = (path: string, value: unknown) => {
    if (value === null || value === undefined || value === "") return;
    const key = path.split(".").pop()!;
    out.push({
      "@id": `${prefix}-${path}`,
      "@type": "PropertyValue",
      propertyID: path,
      value,
      ...(UNITS[key] ? { unitText: UNITS[key] } : {}),
    });
  };
  reactions.forEach((r, i) => {
    add(`reactions.${i}.id`, r.id);
    add(`reactions.${i}.title`, r.title);
    add(`reactions.${i}.smiles`, r.smiles);
    r.rows.forEach((row, j) => {
      for (const field of ROW_FIELDS) {
        let value: unknown = row[field];
        // Typed as a SMILES and linked on save: the SMILES is what was entered. A molecule outside the archive is
        // named by its structure, so that the row still reads.
        if (field === "molecule" && row.smiles) continue;
        if (field === "molecule" && typeof value === "string" && !exported.has(value)) continue;
        if (field === "smiles" && !row.smiles && row.molecule && !exported.has(row.molecule)) value = row.structure?.smiles ?? null;
        if (field === "spectrum" && typeof value === "number") value = files.get(value) ?? null;
        add(`reactions.${i}.rows.${j}.${field}`, value);
      }
      const c = r.computed.rows[j];
      if (c) for (const [k, v] of Object.entries(c)) if (typeof v === "number") add(`reactions.${i}.computed.rows.${j}.${k}`, v);
    });
    for (const [k, v] of Object.entries(r.computed.reaction)) if (typeof v === "number") add(`reactions.${i}.computed.${k}`, v);
  });
  return out;
}

/**
 * Reaction blocks as entered, rebuilt from an entry's dotted PropertyValues (computed figures are left: the server
 * computes them again). Spectra name Files by @id (mapped to attachments by the import).
 */
export function readReactions(crate: Crate, dataset: CrateNode): unknown[] {
  const reactions: Record<string, unknown>[] = [];
  for (const node of crate.refs(dataset.variableMeasured)) {
    const path = typeof node.propertyID === "string" ? node.propertyID.split(".") : [];
    if (path[0] !== "reactions" || !/^\d{1,2}$/.test(path[1] ?? "")) continue;
    crate.used.add(node["@id"]); // computed figures too: the import computes them again
    if (path[2] === "computed") continue;
    const reaction = (reactions[Number(path[1])] ??= { rows: [] as Record<string, unknown>[] });
    const value = node.value;
    if (path.length === 3 && ["id", "title", "smiles"].includes(path[2]!)) reaction[path[2]!] = value;
    else if (
      path[2] === "rows" &&
      /^\d{1,2}$/.test(path[3] ?? "") &&
      (ROW_FIELDS as readonly string[]).includes(path[4] ?? "") &&
      path.length === 5
    ) {
      const rows = reaction.rows as Record<string, unknown>[];
      (rows[Number(path[3])] ??= {})[path[4]!] = value;
    }
  }
  return reactions.filter(Boolean).map((r) => ({ ...r, rows: (r.rows as unknown[]).filter(Boolean) }));
}

/** The molecules an archive describes as MolecularEntity nodes, with their measurements. */
export function readMolecules(crate: Crate, datasetOf: (measurementId: string) => string | null): ElnMolecule[] {
  return crate.ofType("MolecularEntity").map((node) => {
    crate.used.add(node["@id"]);
    const reps = new Map<string, string>();
    for (const r of crate.refs(node.hasRepresentation)) {
      crate.used.add(r["@id"]);
      if (typeof r.propertyID === "string" && typeof r.value === "string") reps.set(r.propertyID, r.value);
    }
    const measurements: ElnMeasurement[] = [];
    for (const x of crate.refs(node.variableMeasured)) {
      const measured = readMeasurement(crate, x, datasetOf(x["@id"]));
      if (measured) measurements.push(measured);
    }
    return {
      id: node["@id"],
      code: text(node.identifier),
      name: text(node.name),
      aliases: list(node.alternateName).filter((a): a is string => typeof a === "string" && a.trim() !== ""),
      series: reps.get(REPRESENTATIONS.series) ?? null,
      smiles: reps.get(REPRESENTATIONS.inputSmiles) ?? text(node.smiles),
      molfile: reps.get(REPRESENTATIONS.molfile) ?? null,
      inchiKey: text(node.inChIKey),
      measurements,
    };
  });
}

function readMeasurement(crate: Crate, node: CrateNode, dataset: string | null): ElnMeasurement | null {
  if (!hasType(node, "PropertyValue") || typeof node.propertyID !== "string") return null;
  const value = typeof node.value === "number" ? node.value : typeof node.value === "string" ? Number(node.value) : Number.NaN;
  if (!Number.isFinite(value)) return null;
  crate.used.add(node["@id"]);
  const facets = new Map<string, string>();
  for (const f of crate.refs(node.valueReference)) {
    crate.used.add(f["@id"]);
    if (typeof f.propertyID === "string" && (typeof f.value === "string" || typeof f.value === "number"))
      facets.set(f.propertyID, String(f.value));
  }
  const measuredOn = facets.get("measuredOn") ?? null;
  return {
    assay: node.propertyID.trim().slice(0, 50),
    target: facets.get("target") ?? null,
    lab: facets.get("lab") ?? null,
    value,
    unit: typeof node.unitText === "string" ? node.unitText : null,
    qualifier: node.maxValue === value ? "<" : node.minValue === value ? ">" : "=",
    measuredOn: measuredOn && /^\d{4}-\d{2}-\d{2}$/.test(measuredOn) ? measuredOn : null,
    dataset,
  };
}
