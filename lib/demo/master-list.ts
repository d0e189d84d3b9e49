import { readFileSync } from "node:fs";

/**
 * The OSM master list as the demo builders read it (build-osm-molecules.ts, build-osm-predictions.ts): its header,
 * its rows as raw tab-separated lines (kept as the sheet has them), and the index of a named column.
 */
export function readMasterList(source: string): { header: string; rows: string[]; at: (name: string) => number } {
  const lines = readFileSync(source, "utf8")
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "");
  const [header, ...rows] = lines;
  if (!header) throw new Error(`${source} is empty`);
  const columns = header.split("\t");
  const at = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`${source} has no column ${name}`);
    return i;
  };
  return { header, rows, at };
}
