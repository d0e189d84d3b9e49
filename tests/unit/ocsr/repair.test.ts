import { describe, expect, it } from "vitest";
import { Molecule } from "openchemlib";
import { guessUnreadableLabels } from "@/lib/ocsr/repair";

const idcode = (smiles: string) => Molecule.fromSmiles(smiles).getIDCode();

describe("guessing the labels OSRA could not read", () => {
  it("reads a label between atoms as carbon: a stereo caption printed over a stereocentre (Series 4)", () => {
    // OSM-S-281 drawn with its "abs"/"R" caption: OSRA put * at the stereocentre.
    const guess = guessUnreadableLabels("C(F)(Oc1ccc(c2n3c(nn2)cncc3OC*(c2ccccc2)NC)cc1)F");
    expect(guess).toMatchObject({ asCarbon: 1, leftOut: 0 });
    expect(idcode(guess!.smiles)).toBe(idcode("CNC(COc1cncc2nnc(-c3ccc(OC(F)F)cc3)n12)c1ccccc1"));
  });

  it("leaves out a label at an end (a caption read as a substituent) and says so", () => {
    const guess = guessUnreadableLabels("FC(Oc1ccc(c2n3c(cncc3OC[C@](c3ccccc3)(NC)*)nn2)cc1)F");
    expect(guess).toMatchObject({ asCarbon: 0, leftOut: 1 });
    expect(idcode(guess!.smiles).slice(0, 20)).toBe(idcode("CNC(COc1cncc2nnc(-c3ccc(OC(F)F)cc3)n12)c1ccccc1").slice(0, 20));
    expect(guess!.smiles).not.toContain("*");
  });

  it("counts several", () => {
    const guess = guessUnreadableLabels("c1ccccc1C(=O)N*C*");
    expect(guess).toMatchObject({ asCarbon: 1, leftOut: 1 });
    expect(guess!.smiles).not.toContain("*");
  });

  it("has nothing to guess without unreadable labels, and gives up on text that is no structure", () => {
    expect(guessUnreadableLabels("c1ccccc1O")).toBeNull();
    expect(guessUnreadableLabels("*")).toBeNull();
    expect(guessUnreadableLabels("C1*(")).toBeNull();
  });
});
