// The structured data molecule, entry and wiki pages embed: Bioschemas MolecularEntity and schema.org CreativeWork,
// and a script element that no user text can leave.
import { describe, expect, it } from "vitest";
import { documentJsonLd, jsonLdText, moleculeJsonLd, MOLECULAR_ENTITY_PROFILE, type MoleculeLdInput } from "@/lib/cite/jsonld";

const campaign = { name: "Series 4", url: "https://nb.test/campaigns/series-4", license: "CC-BY-4.0" };
// OSM-S-106 as the OSM master list has it (its InChIKey as RDKit computes it from the SMILES).
const molecule: MoleculeLdInput = {
  code: "OSM-S-106",
  name: null,
  aliases: ["MMV669304"],
  smiles: "FC(F)(F)c1ccc(cc1)COc1cncc2nnc(n12)c1ccc(F)cc1",
  inchi: "InChI=1S/C19H12F4N4O/c20-14-7-3-13(4-8-14)18-26-25-16-9-24-10-17(27(16)18)28-11-12-1-5-15(6-2-12)19(21,22)23/h1-10H,11H2",
  inchikey: "VQUOMVZVYVKKBU-UHFFFAOYSA-N",
  formula: "C19H12F4N4O",
  averageMass: 388.326112,
  monoisotopicMass: 388.094374,
  url: "https://nb.test/molecules/OSM-S-106",
  image: "https://nb.test/molecules/OSM-S-106.png?w=600&h=400",
  createdAt: new Date("2024-03-01T12:00:00Z"),
  campaign,
};

describe("a molecule as a Bioschemas MolecularEntity", () => {
  it("names the profile and carries the identifiers the profile asks for, the campaign ID as identifier, and the licence", () => {
    const ld = moleculeJsonLd(molecule);
    expect(ld).toEqual({
      "@context": "https://schema.org",
      "@type": "MolecularEntity",
      "@id": "https://nb.test/molecules/OSM-S-106",
      "http://purl.org/dc/terms/conformsTo": { "@id": MOLECULAR_ENTITY_PROFILE, "@type": "CreativeWork" },
      identifier: "OSM-S-106",
      name: "OSM-S-106",
      alternateName: ["MMV669304"],
      url: "https://nb.test/molecules/OSM-S-106",
      image: "https://nb.test/molecules/OSM-S-106.png?w=600&h=400",
      smiles: molecule.smiles,
      inChI: molecule.inchi,
      inChIKey: "VQUOMVZVYVKKBU-UHFFFAOYSA-N",
      molecularFormula: "C19H12F4N4O",
      molecularWeight: { "@type": "QuantitativeValue", value: 388.3261, unitText: "g/mol" },
      monoisotopicMolecularWeight: { "@type": "QuantitativeValue", value: 388.094374, unitText: "g/mol" },
      dateCreated: "2024-03-01T12:00:00.000Z",
      license: "https://creativecommons.org/licenses/by/4.0/",
      isPartOf: {
        "@type": "Dataset",
        name: "Series 4",
        url: "https://nb.test/campaigns/series-4",
        license: "https://creativecommons.org/licenses/by/4.0/",
      },
    });
  });

  it("names a named molecule by its name with its ID among the other names, and leaves out an InChI it has not", () => {
    const ld = moleculeJsonLd({
      ...molecule,
      name: "triazolopyrazine 106",
      inchi: null,
      inchikey: null,
      campaign: { ...campaign, license: "CC0-1.0" },
    });
    expect(ld).toMatchObject({
      name: "triazolopyrazine 106",
      alternateName: ["OSM-S-106", "MMV669304"],
      license: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    expect(ld).not.toHaveProperty("inChI");
    expect(ld).not.toHaveProperty("inChIKey");
  });
});

describe("an entry or wiki page as a CreativeWork", () => {
  it("is part of the campaign's Dataset, by its authors, at its current revision, mentioning its molecules", () => {
    const ld = documentJsonLd({
      kind: "entry",
      title: "SNAr with 2-phenylethanol",
      description: "Made OSM-S-106 again.",
      url: "https://nb.test/entries/12",
      revisionUrl: "https://nb.test/entries/12/revisions/3",
      revision: 3,
      workDate: "2024-03-05",
      authors: [
        { login: "ada", name: "Ada Lovelace" },
        { login: "ben-synth", name: null },
      ],
      createdAt: new Date("2024-03-05T10:00:00Z"),
      updatedAt: new Date("2024-03-06T10:00:00Z"),
      campaign,
      mentions: [{ code: "OSM-S-106", url: "https://nb.test/molecules/OSM-S-106" }],
    });
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "CreativeWork",
      "@id": "https://nb.test/entries/12",
      name: "SNAr with 2-phenylethanol",
      genre: "Lab notebook entry",
      version: "3",
      archivedAt: "https://nb.test/entries/12/revisions/3",
      temporalCoverage: "2024-03-05",
      dateModified: "2024-03-06T10:00:00.000Z",
      author: [
        { "@type": "Person", name: "Ada Lovelace", alternateName: "ada" },
        { "@type": "Person", name: "ben-synth", alternateName: "ben-synth" },
      ],
      license: "https://creativecommons.org/licenses/by/4.0/",
      isPartOf: { "@type": "Dataset", name: "Series 4" },
      mentions: [{ "@type": "MolecularEntity", identifier: "OSM-S-106", url: "https://nb.test/molecules/OSM-S-106" }],
    });
  });
});

describe("the script element's text", () => {
  it("escapes every < (and U+2028/9), so a title holding </script> cannot end the element, and reads back the same", () => {
    const data = moleculeJsonLd({ ...molecule, name: '</script><script>alert(1)</script><!-- "x" \u2028 \u2029 & >' });
    const text = jsonLdText(data);
    expect(text).not.toContain("<");
    expect(text).not.toMatch(/[\u2028\u2029]/);
    expect(text).toContain("\\u003c/script>");
    expect(JSON.parse(text)).toEqual(data);
  });
});
