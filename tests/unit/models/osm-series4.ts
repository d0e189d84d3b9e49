import { describeAssay } from "@/lib/molecules/assay";
import { readSharedData } from "../chem/shared-data";

/**
 * OSM Series 4's master list (../shared/data/osm-series4-master-list.tsv) as the model sees a campaign: one molecule
 * per ID cell, its Pfal IC50 as pIC50, and its order of registration. The sheet has one row per measurement (Assay,
 * Value, Qualifier), as the registry imports it; "Pfal IC50 (Lab)" rows are the 3D7 assay of each lab (K1, Dd2 and
 * the EC50 are other assays). A molecule's value is the geometric mean of its "=" rows across labs, as pIC50; bounds
 * (">5") are left out, so a molecule measured only as a bound has no value. Order: the number in the OSM ID (the
 * smallest, for a cell naming several).
 */
export interface OsmMolecule {
  id: string;
  smiles: string;
  series: string;
  pIC50: number;
  order: number;
}

export function readOsmSeries4(): OsmMolecule[] {
  const [header, ...lines] = readSharedData("osm-series4-master-list.tsv")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "");
  const columns = header!.split("\t");
  const at = (name: string) => columns.indexOf(name);
  const byId = new Map<string, { smiles: string; series: string; logs: number[] }>();
  for (const line of lines) {
    const cells = line.split("\t");
    const id = cells[at("OSM_ID")]!.trim();
    const molecule = byId.get(id) ?? { smiles: cells[at("Canonical_Smiles")]!.trim(), series: cells[at("Series")]!.trim(), logs: [] };
    byId.set(id, molecule);
    const assay = describeAssay(cells[at("Assay")]!);
    const value = Number(cells[at("Value")]);
    if (assay.assay === "IC50" && assay.target === "Pfal" && cells[at("Qualifier")]!.trim() === "=" && value > 0) {
      molecule.logs.push(Math.log10(value));
    }
  }
  return [...byId].flatMap(([id, m]) =>
    m.logs.length === 0 || m.smiles === ""
      ? []
      : [
          {
            id,
            smiles: m.smiles,
            series: m.series,
            pIC50: 6 - m.logs.reduce((a, b) => a + b, 0) / m.logs.length,
            order: Math.min(...[...id.matchAll(/\d+/g)].map((match) => Number(match[0]))),
          },
        ],
  );
}
