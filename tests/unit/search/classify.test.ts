import { describe, expect, it } from "vitest";

import { classifyHeaderQuery } from "@/lib/search/classify";

describe("header search box", () => {
  it("recognises InChIKeys", () => {
    expect(classifyHeaderQuery("RZVAJINKPMORJF-UHFFFAOYSA-N")).toBe("inchikey");
    expect(classifyHeaderQuery("RZVAJINKPMORJF-UHFFFAOYSA")).toBe("text");
  });

  it("sends SMILES and SMARTS to structure search", () => {
    const smarts = ["[CX4]", "[a]", "[N;!+]", "[CX3](=O)[OX1H0-,OX2H1]", "[c;r5]"];
    for (const q of ["CC(=O)Nc1ccc(O)cc1", "c1ccccc1", "O=[N+]([O-])c1ccccc1", "[#6]~[#7;R]", "CCO", "C1CCCCC1", "ClCCl", ...smarts]) {
      expect(classifyHeaderQuery(q), q).toBe("structure");
    }
  });

  it("keeps words, phrases and IDs as text", () => {
    for (const q of ["amide", "amide coupling", "DMSO", "CO", "OSM-S-123", '"reductive amination"', "-failed", "2024", "Suzuki"]) {
      expect(classifyHeaderQuery(q), q).toBe("text");
    }
  });
});
