// OSRA's stdout (osra 2.1.3, `-f smi -p -e -c`) read into structures: captured from real runs.
import { describe, expect, it } from "vitest";
import { overlap } from "@/lib/ocsr/consensus";
import { MAX_STRUCTURES_PER_RUN, parseOsraOutput } from "@/lib/ocsr/parse";

/** RDKit's drawing of OSM-A-1 (500 × 400 px): one structure. */
const ONE = "C1(=O)N/C(=N/c2ccccc2)/S/C/1=C\\C1=C(/C(=C\\c2ccc(S(=O)(=O)N)cc2)/C(=C1)C)C 4.1869 1 24x70-474x328\n";

/**
 * Page 1 of the AI4Green workbook's PDF summary at 150 dpi: benzoic acid and N-ethylbenzamide read with an
 * unreadable atom (`*`), and a table's text taken for a ring.
 */
const PAGE = [
  "C(=O)(c1ccc(cc1)*)O 1.7607 1 77x387-360x510",
  "O=C(*CC)c1ccccc1 0.509337 1 688x365-1012x535",
  "C1#[C]=[C]#CCC1[C](=O)=O 2.36008 1 57x284-225x373",
  "",
].join("\n");

describe("parseOsraOutput", () => {
  it("reads SMILES, confidence, page and box (left x top - right x bottom) into x, y, width, height", () => {
    expect(parseOsraOutput(ONE)).toEqual({
      structures: [
        {
          smiles: "C1(=O)N/C(=N/c2ccccc2)/S/C/1=C\\C1=C(/C(=C\\c2ccc(S(=O)(=O)N)cc2)/C(=C1)C)C",
          confidence: 4.1869,
          page: 1,
          box: { x: 24, y: 70, width: 450, height: 258 },
        },
      ],
      skipped: 0,
    });
  });

  it("reads every structure of a page, unreadable atoms and odd valences included (the sandbox judges them)", () => {
    const { structures, skipped } = parseOsraOutput(PAGE);
    expect(skipped).toBe(0);
    expect(structures.map((s) => [s.smiles, s.confidence, s.box])).toEqual([
      ["C(=O)(c1ccc(cc1)*)O", 1.7607, { x: 77, y: 387, width: 283, height: 123 }],
      ["O=C(*CC)c1ccccc1", 0.509337, { x: 688, y: 365, width: 324, height: 170 }],
      ["C1#[C]=[C]#CCC1[C](=O)=O", 2.36008, { x: 57, y: 284, width: 168, height: 89 }],
    ]);
  });

  it("reads negative confidences and later pages, and Windows line ends", () => {
    const { structures } = parseOsraOutput("CCO -0.25 3 0x0-10x12\r\nc1ccccc1 1e-3 12 5x5-6x6\r\n");
    expect(structures.map((s) => [s.smiles, s.confidence, s.page])).toEqual([
      ["CCO", -0.25, 3],
      ["c1ccccc1", 0.001, 12],
    ]);
  });

  it("skips what is not a structure line: a library's warning, the empty answer of a blank page, a line cut by a kill", () => {
    const junk = [
      'Magick: "gs" "-q" "-dBATCH" "-dSAFER" "-r72x72" "--" "/tmp/gmdoQqzv" "-c" "quit".',
      "poppler/error: May not be a PDF file (continuing anyway)",
      ONE.trim(),
      'Cannot open file "input.png"',
      "CCO 1.5 1", // no box: not the format asked for
      "CCO one 1 1x1-2x2",
      "CCO 1.5 0 1x1-2x2", // pages count from 1
      "CCO 1.5 1 9x9-2x2", // a box with its corners swapped
      "1234 1.5 1 1x1-2x2", // no atom at all
      "C1(=O)N/C(=N/c2ccccc2)/S/C/1=C\\C1=C(/C(=C\\c2cc", // cut off
    ].join("\n");
    const { structures, skipped } = parseOsraOutput(junk);
    expect(structures).toHaveLength(1);
    expect(structures[0]!.confidence).toBe(4.1869);
    expect(skipped).toBe(9);
    expect(parseOsraOutput("")).toEqual({ structures: [], skipped: 0 });
  });

  it("keeps at most MAX_STRUCTURES_PER_RUN structures of one run", () => {
    const many = Array.from({ length: MAX_STRUCTURES_PER_RUN + 5 }, (_, i) => `C${"C".repeat(i % 3)} 1 1 ${i}x0-${i + 1}x1`).join("\n");
    const { structures, skipped } = parseOsraOutput(many);
    expect(structures).toHaveLength(MAX_STRUCTURES_PER_RUN);
    expect(skipped).toBe(5);
  });
});

describe("overlap (the same place in two variants of a picture)", () => {
  it("is the intersection over the smaller box", () => {
    expect(overlap({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBe(0.5);
    expect(overlap({ x: 0, y: 0, width: 100, height: 100 }, { x: 10, y: 10, width: 5, height: 5 })).toBe(1);
    expect(overlap({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
    expect(overlap({ x: 0, y: 0, width: 0, height: 10 }, { x: 0, y: 0, width: 10, height: 10 })).toBe(0);
  });
});
