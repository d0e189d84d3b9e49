import { describe, expect, it } from "vitest";

import { depictSvg, depictThumbnail } from "@/lib/chem/depict";
import { ChemError } from "@/lib/chem/errors";
import { parseStructure } from "@/lib/chem/structure";

const alanine = parseStructure({ smiles: "C[C@H](N)C(=O)O" }).idcode;
const benzene = parseStructure({ smiles: "c1ccccc1" }).idcode;

describe("depictSvg", () => {
  it("draws an SVG of the requested size", () => {
    const svg = depictSvg(alanine, { width: 400, height: 250 });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain('width="400px" height="250px" viewBox="0 0 400 250"');
    expect(svg).toContain(">N<"); // the amine label
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  });

  it("is deterministic: same idcode and options, byte-identical SVG", () => {
    expect(depictSvg(alanine)).toBe(depictSvg(alanine));
    expect(depictThumbnail(alanine)).toBe(depictThumbnail(alanine));
  });

  it("gives different drawings distinct element ids, so several can be inlined on one page", () => {
    const idOf = (svg: string): string | undefined => /^<svg id="([^"]+)"/.exec(svg)?.[1];
    const ids = [depictSvg(alanine), depictSvg(benzene), depictSvg(alanine, { width: 200 }), depictThumbnail(alanine)].map(idOf);
    expect(ids.every((id) => id !== undefined && /^mol-[0-9a-f]{8}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(4);
    expect(idOf(depictSvg(alanine, { id: "hero" }))).toBe("hero");
  });

  it("highlights matched atoms: bonds between them get a background, others not", () => {
    const plain = depictSvg(benzene);
    const marked = depictSvg(benzene, { highlightAtoms: [0, 1, 2] });
    const background = (svg: string) => (svg.match(/stroke="rgb\(206,226,255\)"/g) ?? []).length;
    expect(background(plain)).toBe(0);
    expect(background(marked)).toBe(2); // bonds 0-1 and 1-2 of the six-membered ring
    expect(marked).not.toBe(plain);
  });

  it("makes a small cropped thumbnail", () => {
    const svg = depictThumbnail(benzene);
    const size = /width="(\d+)px" height="(\d+)px"/.exec(svg);
    expect(Number(size?.[1])).toBeLessThanOrEqual(120);
    expect(Number(size?.[2])).toBeLessThanOrEqual(90);
  });

  it.each([
    ["", {}, "idcode", /empty idcode/],
    ["CC(=O)O", {}, "idcode", /not an OpenChemLib idcode/],
    [alanine, { width: 0 }, "width", /16 to 2000/],
    [alanine, { height: 1.5 }, "height", /16 to 2000/],
    [alanine, { id: '"><script>' }, "id", /SVG id/],
  ] as const)("refuses %j with %j", (idcode, options, field, message) => {
    let error: unknown;
    try {
      depictSvg(idcode, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ChemError);
    expect((error as ChemError).field).toBe(field);
    expect((error as ChemError).message).toMatch(message);
  });
});
