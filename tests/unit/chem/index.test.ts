import { describe, expect, it } from "vitest";

import * as chem from "@/lib/chem";
import { findMentions } from "@/lib/chem/campaign-id";
import { parseStructure } from "@/lib/chem/structure";

describe("lib/chem index", () => {
  it("re-exports the public surface", () => {
    expect(chem.parseStructure).toBe(parseStructure);
    expect(chem.findMentions).toBe(findMentions);
    for (const name of [
      "ChemError", "isChemError", "computeInchi", "getRDKit", "depictSvg", "depictThumbnail", "parseCampaignId",
      "formatCampaignId", "isCampaignId", "splitCampaignIds", "parseSheet", "parseSdf", "guessMapping",
      "extractRecords", "toCsv", "toSdf", "ChemWorkerPool", "safeParseStructure", "closeSharedChemPool",
    ] as const) {
      expect(typeof chem[name], name).toBe("function");
    }
    expect(chem.STRUCTURE_LIMITS).toEqual({ smilesChars: 2000, molfileBytes: 200_000, molfileAtoms: 1000, molfileBonds: 2000, branchDepth: 64 });
  });
});
