// A drawn reaction scheme, read by the real OSRA: the Series 4 ether SNAr (chloro core + 2-phenylethanol → ether),
// three OpenChemLib drawings on one line with a "+" and an arrow with its conditions (tests/bench/ocsr-scheme.ts),
// comes back as reaction SMILES.
import { Molecule } from "openchemlib";
import { beforeAll, describe, expect, it } from "vitest";
import { findExecutable } from "@/lib/ocsr/child";
import { recognizePicture } from "@/lib/ocsr/recognize";
import { schemeFromStructures } from "@/lib/ocsr/scheme";
import { schemePicture, SNAR_SCHEME } from "../../bench/ocsr-scheme";

const { core: CORE, alcohol: ALCOHOL, ether: ETHER } = SNAR_SCHEME;
const idcode = (smiles: string) => Molecule.fromSmiles(smiles).getIDCode();

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
