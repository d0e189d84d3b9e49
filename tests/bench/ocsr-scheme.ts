// A drawn reaction scheme, for the tests of "scheme from a picture" (issue 18): the Series 4 ether SNAr (chloro core +
// 2-phenylethanol → ether) as three OpenChemLib drawings at 300 dpi on one line, with a "+" between the reactants and
// an arrow with its conditions before the product. One drawing for the unit test (tests/unit/ocsr/scheme-picture.test.ts)
// and the browser's (tests/e2e/recognize.test.ts).
import sharp from "sharp";
import { render, STYLES } from "./ocsr-render";

/** The structures of the scheme, in the order drawn. */
export const SNAR_SCHEME = {
  core: "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23",
  alcohol: "OCCc1ccccc1",
  ether: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23",
} as const;

/** The scheme as a PNG: core + alcohol ——NaH, THF——> ether, the arrow far wider than the "+". */
export async function schemePicture(): Promise<Uint8Array> {
  const style = STYLES.find((s) => s.name === "ocl-300")!;
  const { core, alcohol, ether } = SNAR_SCHEME;
  const parts = await Promise.all([core, alcohol, ether].map(async (s) => sharp((await render(s, style, null, 1)).bytes)));
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
