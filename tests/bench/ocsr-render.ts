// Pictures of molecules for bench:ocsr, in the styles a chemist meets: OpenChemLib's depiction (what the notebook
// draws) and RDKit's, at the bond length of a 300 or 150 dpi print (ACS style: 0.2 in bonds → 60 or 30 px), clean or
// mildly degraded like a colour scan or photo of a page (rotated 0.5-2°, blurred, noisy, JPEG). Our own molecules, so rendered in-process.
import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { Molecule } from "openchemlib";
import sharp from "sharp";
import { depictSvg } from "@/lib/chem/depict";
import type { RDKitModule } from "@/lib/chem/inchi";

export type Toolkit = "ocl" | "rdkit";
export interface Style {
  name: string;
  toolkit: Toolkit;
  dpi: 300 | 150;
  degraded: boolean;
}

export const STYLES: Style[] = (["ocl", "rdkit"] as const).flatMap((toolkit) =>
  ([300, 150] as const).flatMap((dpi) =>
    [false, true].map((degraded) => ({ name: `${toolkit}-${dpi}${degraded ? "-degraded" : ""}`, toolkit, dpi, degraded })),
  ),
);

/** The font the notebook's PNG depictions use (app/depictions/_lib/render.ts), where it is installed. */
const FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
const FONT = existsSync(FONT_FILE)
  ? { loadSystemFonts: false, fontFiles: [FONT_FILE], sansSerifFamily: "DejaVu Sans", defaultFontFamily: "DejaVu Sans" }
  : { loadSystemFonts: true };

/** A picture's bond length in SVG units: the 80th percentile of its straight segments (full single bonds). */
export function bondLength(svg: string): number {
  const lengths: number[] = [];
  for (const m of svg.matchAll(/<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"/g)) {
    lengths.push(Math.hypot(Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])));
  }
  for (const m of svg.matchAll(/d='M ([\d.]+),([\d.]+) L ([\d.]+),([\d.]+)'/g)) {
    lengths.push(Math.hypot(Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])));
  }
  lengths.sort((a, b) => a - b);
  return lengths.length === 0 ? 24 : lengths[Math.floor(lengths.length * 0.8)]!;
}

function svgOf(smiles: string, toolkit: Toolkit, rdkit: RDKitModule | null): string {
  if (toolkit === "ocl") {
    const idcode = Molecule.fromSmiles(smiles).getIDCode();
    return depictSvg(idcode, { width: 2000, height: 2000, autoCrop: true, suppressChiralText: true });
  }
  if (rdkit === null) throw new Error("RDKit's style needs the RDKit module");
  let mol = rdkit.get_mol(smiles);
  if (mol === null) throw new Error(`RDKit cannot read ${smiles}`);
  const marked = withEitherDoubleBonds(mol.get_molblock(), smiles);
  if (marked !== null) {
    mol.delete();
    mol = rdkit.get_mol(marked);
    if (mol === null) throw new Error(`RDKit cannot read its own molfile of ${smiles}`);
  }
  try {
    return mol.get_svg_with_highlights(JSON.stringify({ width: -1, height: -1 }));
  } finally {
    mol.delete();
  }
}

/**
 * RDKit's molfile (its own 2D layout) with each double bond whose geometry the SMILES leaves undefined marked
 * "either" (V2000 bond stereo 3), which RDKit draws crossed: otherwise it draws such a bond with the geometry of its
 * layout, and the picture shows an E or Z isomer that the reference InChIKey does not have. The undefined double
 * bonds are OpenChemLib's (bond parity unknown), matched by atom numbers; a SMILES whose atoms the two toolkits
 * number differently (explicit hydrogens) is drawn as RDKit laid it out. Null when nothing is marked: the molecule
 * is then drawn from the SMILES as before (a molecule read from its molfile can come out turned or flipped).
 */
function withEitherDoubleBonds(block: string, smiles: string): string | null {
  const ocl = Molecule.fromSmiles(smiles);
  ocl.ensureHelperArrays(Molecule.cHelperParities);
  const lines = block.split("\n");
  const atoms = Number(lines[3]!.slice(0, 3));
  const bonds = Number(lines[3]!.slice(3, 6));
  if (atoms !== ocl.getAllAtoms()) return null;
  for (let atom = 0; atom < atoms; atom++) {
    if (lines[4 + atom]!.slice(31, 34).trim() !== ocl.getAtomLabel(atom)) return null;
  }
  const either = new Set<string>();
  for (let bond = 0; bond < ocl.getAllBonds(); bond++) {
    if (ocl.getBondOrder(bond) === 2 && ocl.getBondParity(bond) === Molecule.cBondParityUnknown) {
      either.add([ocl.getBondAtom(0, bond) + 1, ocl.getBondAtom(1, bond) + 1].sort((a, b) => a - b).join(" "));
    }
  }
  let marked = 0;
  for (let i = 4 + atoms; i < 4 + atoms + bonds; i++) {
    const line = lines[i]!;
    const pair = [Number(line.slice(0, 3)), Number(line.slice(3, 6))].sort((a, b) => a - b).join(" ");
    if (Number(line.slice(6, 9)) === 2 && either.has(pair)) {
      lines[i] = `${line.slice(0, 9)}  3${line.slice(12)}`;
      marked++;
    }
  }
  return marked === 0 ? null : lines.join("\n");
}

/** Deterministic pseudo-random numbers (mulberry32), so every run degrades the same picture the same way. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The picture of one molecule in one style: PNG bytes, or JPEG for a degraded one (as a scan would come). RDKit is
 * needed for its own style only (the e2e test draws with OpenChemLib and passes null).
 */
export async function render(
  smiles: string,
  style: Style,
  rdkit: RDKitModule | null,
  seed: number,
): Promise<{ bytes: Uint8Array; type: string }> {
  const svg = svgOf(smiles, style.toolkit, rdkit);
  const zoom = (style.dpi === 300 ? 60 : 30) / bondLength(svg);
  const png = new Resvg(svg, { background: "white", font: FONT, fitTo: { mode: "zoom", value: zoom } }).render().asPng();
  // A white margin as on a page, so that rotation does not cut atoms off.
  const margin = Math.round(style.dpi / 10);
  const page = sharp(png)
    .flatten({ background: "#ffffff" })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, background: "#ffffff" });
  if (!style.degraded) return { bytes: await page.png().toBuffer(), type: "image/png" };
  const next = random(seed);
  const angle = (next() < 0.5 ? -1 : 1) * (0.5 + 1.5 * next()); // 0.5-2° either way
  const { data, info } = await page.rotate(angle, { background: "#ffffff" }).blur(0.5).raw().toBuffer({ resolveWithObject: true });
  const noisy = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    // Gaussian-ish noise (a sum of uniforms), sd ≈ 6 grey levels, on slightly grey paper.
    const n = (next() + next() + next() - 1.5) * 12;
    noisy[i] = Math.max(0, Math.min(255, data[i]! * 0.95 + 6 + n));
  }
  const jpeg = await sharp(noisy, { raw: { width: info.width, height: info.height, channels: info.channels } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return { bytes: jpeg, type: "image/jpeg" };
}
