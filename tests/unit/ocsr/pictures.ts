import { unzipSync } from "fflate";
import { readSharedBytes, readSharedData } from "@/tests/unit/chem/shared-data";

/** A file inside one of the public .eln examples (../shared/data/eln-examples), by its name: real pictures to test on. */
export function elnPicture(archive: string, name: string): Uint8Array {
  const files = unzipSync(readSharedBytes(`eln-examples/${archive}`), { filter: (f) => f.name.endsWith(`/${name}`) });
  const found = Object.values(files)[0];
  if (found === undefined) throw new Error(`${name} is not in ${archive}`);
  return found;
}

/** A PDF of `pages` pages of `width` × `height` points, each drawing `content` (PDF operators), with Helvetica. */
export function pdfOf(pages: number, width: number, height: number, content = ""): Uint8Array {
  const objects: string[] = [];
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  const kids = Array.from({ length: pages }, (_, i) => `${i + 5} 0 R`).join(" ");
  objects[2] = `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`;
  objects[3] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  objects[4] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  for (let i = 0; i < pages; i++) {
    objects[i + 5] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>`;
  }
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = out.length;
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objects.length; n++) out += `${String(offsets[n]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

/**
 * An SVG depiction (OpenChemLib's: <line> bonds and <text> labels) as PDF drawing operators, in black, so that a PDF
 * holds a structure as vector graphics like a paper's figure, `margin` points from the page's top-left corner.
 * `scale` is points per SVG unit.
 */
export function svgAsPdfContent(svg: string, scale: number, pageHeight: number, margin: number): string {
  const ops: string[] = ["0 g 0 G 1 J"];
  // A cropped drawing keeps its coordinates and moves its viewBox.
  const [left, top] = (/viewBox="([-\d.]+) ([-\d.]+)/.exec(svg)?.slice(1) ?? ["0", "0"]).map(Number) as [number, number];
  const X = (x: number) => (margin + (x - left) * scale).toFixed(2);
  const Y = (y: number) => (pageHeight - margin - (y - top) * scale).toFixed(2);
  for (const m of svg.matchAll(/<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"[^>]*stroke-width="([\d.]+)"/g)) {
    const [x1, y1, x2, y2, w] = m.slice(1).map(Number) as [number, number, number, number, number];
    ops.push(`${(w * scale).toFixed(2)} w ${X(x1)} ${Y(y1)} m ${X(x2)} ${Y(y2)} l S`);
  }
  for (const m of svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*font-size="([\d.]+)"[^>]*>([^<]*)<\/text>/g)) {
    const [x, y, size] = m.slice(1, 4).map(Number) as [number, number, number];
    ops.push(`BT /F1 ${(size * scale).toFixed(2)} Tf ${X(x)} ${Y(y)} Td (${m[4]!.replace(/[()\\]/g, "\\$&")}) Tj ET`);
  }
  return ops.join("\n");
}

/** A PNG header declaring 10,000 × 10,000 pixels (100 megapixels): refused before anything decodes it. */
export function pixelBomb(): Uint8Array {
  const bomb = new Uint8Array(33);
  bomb.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bomb.buffer).setUint32(16, 10_000);
  new DataView(bomb.buffer).setUint32(20, 10_000);
  return bomb;
}

/** OSM-S-4 of the Series 4 master list: its SMILES and InChIKey (OSRA reads it from OpenChemLib's drawing). */
export function seriesFourCompound(): { smiles: string; inchikey: string } {
  const cells = readSharedData("osm-series4-master-list.tsv")
    .split(/\r?\n/)
    .map((row) => row.split("\t"))
    .find((row) => row[1] === "4")!;
  return { smiles: cells[18]!, inchikey: cells[19]! };
}
