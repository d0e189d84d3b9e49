import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The real data sets live outside the project (../shared/data from the root) and are read, never copied. */
const DATA_DIR = new URL("../../../../shared/data/", import.meta.url);

export function readSharedData(name: "osm-series4-master-list.tsv" | "hiv-41k.csv"): string {
  return readFileSync(fileURLToPath(new URL(name, DATA_DIR)), "utf8");
}

/** The bytes of a file under ../shared/data (e.g. "eln-examples/ai4green-workbook.eln"). */
export function readSharedBytes(name: string): Uint8Array {
  return readFileSync(fileURLToPath(new URL(name, DATA_DIR)));
}

/**
 * Hill formula built independently of lib/chem (which has its own), from RDKit's commonchem JSON atoms: each atom's
 * element, implicit hydrogens and charge, plus explicit H atoms. Net charge appended like RDKit's CalcMolFormula.
 */
export function rdkitHillFormula(json: string): string {
  const SYMBOLS = (
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr Rb Sr Y Zr " +
    "Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir " +
    "Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds Rg Cn Nh " +
    "Fl Mc Lv Ts Og"
  ).split(" ");
  const parsed = JSON.parse(json) as {
    defaults: { atom: { z: number; impHs: number; chg: number } };
    molecules: { atoms: { z?: number; impHs?: number; chg?: number }[] }[];
  };
  const counts: Record<string, number> = {};
  let charge = 0;
  for (const molecule of parsed.molecules) {
    for (const atom of molecule.atoms) {
      const z = atom.z ?? parsed.defaults.atom.z;
      const symbol = SYMBOLS[z - 1];
      if (symbol === undefined) throw new Error(`add atomic number ${z} to the symbol table`);
      counts[symbol] = (counts[symbol] ?? 0) + 1;
      const hydrogens = atom.impHs ?? parsed.defaults.atom.impHs;
      if (hydrogens > 0) counts.H = (counts.H ?? 0) + hydrogens;
      charge += atom.chg ?? parsed.defaults.atom.chg;
    }
  }
  const others = Object.keys(counts).filter((s) => !(counts.C && (s === "C" || s === "H"))).sort();
  const order = counts.C ? ["C", ...(counts.H ? ["H"] : []), ...others] : others;
  const body = order.map((s) => (counts[s] === 1 ? s : `${s}${counts[s]}`)).join("");
  return body + (charge === 0 ? "" : (charge > 0 ? "+" : "-") + (Math.abs(charge) > 1 ? Math.abs(charge) : ""));
}
