// Choosing among OSRA's answers on several variants of one picture.
import { describe, expect, it } from "vitest";
import { consensus, type Candidate } from "@/lib/ocsr/consensus";
import { guessUnreadableLabels } from "@/lib/ocsr/repair";

const box = (x: number, y: number, width = 100, height = 80) => ({ x, y, width, height });
const candidate = (smiles: string, variant: string, confidence: number, at = box(10, 10), page = 1): Candidate => ({
  smiles,
  variant,
  confidence,
  page,
  box: at,
});
/** Canonical keys as the sandbox would give them: equal for two spellings of ethanol, none for junk. */
const canonical = async (smiles: string) =>
  ({ CCO: "ethanol", OCC: "ethanol", "C(O)C": "ethanol", c1ccccc1: "benzene" })[smiles] ?? (smiles.includes("!") ? null : smiles);

describe("consensus", () => {
  it("keeps the structure most variants read alike, over a more confident misreading", async () => {
    const [found] = await consensus(
      [candidate("CCO", "a", 1.0), candidate("OCC", "b", 1.2), candidate("CCN", "c", 5.0), candidate("C(O)C", "d", 0.5)],
      canonical,
    );
    expect(found).toMatchObject({ key: "ethanol", votes: 3, readings: 4, smiles: "OCC", confidence: 1.2 });
  });

  it("drops what the toolkit cannot read, and prefers a reading without unreadable atoms on a tie", async () => {
    const found = await consensus([candidate("C!C", "a", 9), candidate("C*O", "b", 3), candidate("CCCO", "c", 1)], canonical);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ smiles: "CCCO", votes: 1, readings: 2 });
  });

  it("answers each place of the picture once, in reading order (page, top to bottom, left to right)", async () => {
    const found = await consensus(
      [
        candidate("c1ccccc1", "a", 2, box(400, 10)),
        candidate("CCO", "a", 2, box(10, 300)),
        candidate("CCO", "b", 2, box(14, 305)), // the same place, read by another variant
        candidate("CCN", "a", 2, box(10, 10), 2),
        candidate("CCC", "a", 2, box(10, 10)),
      ],
      canonical,
    );
    expect(found.map((f) => [f.page, f.key, f.votes])).toEqual([
      [1, "CCC", 1],
      [1, "benzene", 1],
      [1, "ethanol", 2],
      [2, "CCN", 1],
    ]);
  });

  it("guesses the labels OSRA could not read where nothing else was read there, and says so", async () => {
    const guess = async (smiles: string) => guessUnreadableLabels(smiles);
    // A caption printed over a stereocentre: one variant read it as a substituent (*), one as the centre's label;
    // guessed, they agree on one structure (the more confident one's guess is shown).
    const [guessed] = await consensus([candidate("CNC(*)(c1ccccc1)CO", "a", 2), candidate("CN*(c1ccccc1)CO", "b", 1)], canonical, guess);
    expect(guessed).toMatchObject({ smiles: "CNC(CO)c1ccccc1", votes: 2, readings: 2, guessed: { asCarbon: 0, leftOut: 1 } });
    expect(guessed!.smiles).not.toContain("*");
    // A reading without guesses wins, even over two guessed readings that agree, and is answered without `guessed`.
    const [plain] = await consensus([candidate("CC*C", "a", 9), candidate("C*CC", "b", 9), candidate("CCCCO", "c", 1)], canonical, guess);
    expect(plain).toMatchObject({ smiles: "CCCCO", votes: 1, readings: 3 });
    expect(plain!.guessed).toBeUndefined();
  });

  it("answers nothing when nothing was read", async () => {
    expect(await consensus([], canonical)).toEqual([]);
  });
});
