// A drawn reaction scheme, read by the real OSRA: the Series 4 ether SNAr (chloro core + 2-phenylethanol → ether),
// three OpenChemLib drawings on one line with a "+" and an arrow with its conditions, comes back as reaction SMILES.
import { Molecule } from "openchemlib";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "@/lib/ocsr/child";
import { recognizePicture } from "@/lib/ocsr/recognize";
import { schemeFromStructures } from "@/lib/ocsr/scheme";
import { render, STYLES } from "../../bench/ocsr-render";

const CORE = "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23";
const ALCOHOL = "OCCc1ccccc1";
const ETHER = "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23";
const idcode = (smiles: string) => Molecule.fromSmiles(smiles).getIDCode();

async function schemePicture(): Promise<Uint8Array> {
  const style = STYLES.find((s) => s.name === "ocl-300")!;
  const parts = await Promise.all([CORE, ALCOHOL, ETHER].map(async (s) => sharp((await render(s, style, null, 1)).bytes)));
  const sizes = await Promise.all(parts.map((p) => p.metadata()));
  const buffers = await Promise.all(parts.map((p) => p.png().toBuffer()));
  const height = Math.max(...sizes.map((m) => m.height));
  const plus = 80;
  const arrow = 360;
  const width = sizes[0]!.width + plus + sizes[1]!.width + arrow + sizes[2]!.width;
  const mid = Math.round(height / 2);
  const x1 = sizes[0]!.width + plus + sizes[1]!.width;
  const marks = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <text x="${sizes[0]!.width + 25}" y="${mid + 14}" font-family="DejaVu Sans" font-size="44">+</text>
      <line x1="${x1 + 30}" y1="${mid}" x2="${x1 + arrow - 40}" y2="${mid}" stroke="black" stroke-width="4"/>
      <polygon points="${x1 + arrow - 40},${mid - 12} ${x1 + arrow - 10},${mid} ${x1 + arrow - 40},${mid + 12}" fill="black"/>
      <text x="${x1 + 70}" y="${mid - 24}" font-family="DejaVu Sans" font-size="28">NaH, THF</text>
    </svg>`,
  );
  const canvas = sharp({ create: { width, height, channels: 3, background: "white" } }).composite([
    { input: buffers[0]!, left: 0, top: Math.round((height - sizes[0]!.height) / 2) },
    { input: buffers[1]!, left: sizes[0]!.width + plus, top: Math.round((height - sizes[1]!.height) / 2) },
    { input: buffers[2]!, left: x1 + arrow, top: Math.round((height - sizes[2]!.height) / 2) },
    { input: marks, left: 0, top: 0 },
  ]);
  return new Uint8Array(await canvas.png().toBuffer());
}

beforeAll(() => {
  if (findExecutable("osra") === null) throw new Error("osra is not installed: install it with `apt-get install osra` (CI's .ci/run does)");
});

describe("a reaction scheme in a picture", () => {
  it("comes back as reactants>>products in the order drawn", { timeout: 120_000 }, async () => {
    const canonicalize = async (smiles: string) => {
      try {
        return Molecule.fromSmiles(smiles).getIDCode();
      } catch {
        return null;
      }
    };
    const { structures } = await recognizePicture(await schemePicture(), "image/png", { canonicalize });
    const scheme = schemeFromStructures(structures);
    expect(scheme?.direction).toBe("row");
    expect(scheme?.reactants.map(idcode)).toEqual([idcode(CORE), idcode(ALCOHOL)]);
    expect(scheme?.products.map(idcode)).toEqual([idcode(ETHER)]);
  });
});
