import type { ExportInput } from "@/lib/eln/export";
import type { StoredReaction } from "@/lib/stoichiometry/reaction";

const d = (s: string) => new Date(s);

/** A reaction as an entry stores it (the SNAr of Series 4, its table computed). */
export const SNAR: StoredReaction = {
  id: "r1",
  title: "SNAr with 2-phenylethanol",
  smiles: null,
  rows: [
    {
      role: "reactant",
      molecule: "S4-A-1",
      smiles: null,
      massMg: 250,
      structure: { smiles: "Clc1nccn2c1nnc2", idcode: "x", formula: "C5H3ClN4", mw: 154.56, molecule: "S4-A-1" },
    },
    { role: "reagent", name: "NaH (60 % in oil)", smiles: "[NaH]", purity: 60, equivalents: 1.2, molecule: null, structure: null },
    { role: "product", smiles: "OCCc1ccccc1", molecule: null, isolatedMg: 212, spectrum: 7, structure: null },
  ],
  computed: {
    rows: [
      { mw: 154.56, mmol: 1.6175, massMg: 250, volumeUl: null, equivalents: 1, entered: ["massMg"] },
      { mw: 24, mmol: 1.94, massMg: 77.6, volumeUl: null, equivalents: 1.2, entered: ["equivalents"] },
      { mw: 122.16, mmol: null, massMg: null, volumeUl: null, equivalents: null, entered: [], theoreticalMg: 197.6, yieldPercent: 107.3 },
    ],
    reaction: { atomEconomyPercent: 50.2, massEfficiencyPercent: 65, solventVolumeMl: null, referenceConcentrationM: null },
  },
};

export function exportFixture(): ExportInput {
  return {
    origin: "https://notebook.example.org",
    version: "0.1.0",
    campaign: {
      slug: "series-4",
      name: "Series 4",
      description: "Triazolopyrazines",
      license: {
        id: "CC-BY-4.0",
        name: "Creative Commons Attribution 4.0 International",
        url: "https://creativecommons.org/licenses/by/4.0/",
      },
    },
    name: "series-4-2024-05-01",
    description: "The lab notebook of Series 4.",
    exportedAt: d("2024-05-01T12:00:00Z"),
    entries: [
      {
        id: 12,
        title: "Column of S4-A-1",
        body: "# Column\n\nS4-A-1 eluted at 30 % EtOAc. Table:\n\n| a | b |\n| - | - |\n| 1 | 2 |\n",
        workDate: "2024-03-11",
        createdAt: d("2024-03-11T09:00:00Z"),
        updatedAt: d("2024-03-12T10:30:00Z"),
        author: { login: "ada", name: "Ada Lovelace" },
        comments: [{ id: 5, author: { login: "bob", name: null }, body: "Nice **yield**.", createdAt: d("2024-03-12T11:00:00Z") }],
        attachments: [
          {
            id: 7,
            filename: "nmr.jdx",
            contentType: "chemical/x-jcamp-dx",
            size: 5,
            sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            createdAt: d("2024-03-11T09:05:00Z"),
            data: new TextEncoder().encode("hello"),
          },
        ],
        reactions: [SNAR],
        mentions: ["S4-A-1"],
      },
    ],
    molecules: [
      {
        code: "S4-A-1",
        name: "chloro core",
        aliases: ["MMV-1"],
        series: "Series 4",
        smiles: "Clc1nccn2c1nnc2",
        inputSmiles: "ClC1=NC=CN2C1=NN=C2",
        molfile: null,
        inchi: "InChI=1S/C5H3ClN4/c6-4-5-9-8-3-10(5)2-1-7-4/h1-3H",
        inchikey: "AAAAAAAAAAAAAA-UHFFFAOYSA-N",
        formula: "C5H3ClN4",
        averageMass: 154.56,
        monoisotopicMass: 154.0046,
        measurements: [
          {
            id: 31,
            assay: "IC50",
            target: "Pfal (3D7)",
            lab: "GSK",
            value: 0.12,
            unit: "µM",
            qualifier: "=",
            measuredOn: "2024-03-20",
            entryId: 12,
          },
          { id: 32, assay: "IC50", target: "Pfal (K1)", lab: null, value: 10, unit: "µM", qualifier: ">", measuredOn: null, entryId: null },
          { id: 33, assay: "pIC50", target: null, lab: null, value: 7.1, unit: null, qualifier: "<", measuredOn: null, entryId: null },
        ],
      },
    ],
  };
}
