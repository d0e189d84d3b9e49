/**
 * Our .eln export as other notebooks read it: the consortium's JSON schema (as its test suite runs it, with ajv's
 * JSON Schema 2020-12) and the checks SPECIFICATION.md lists (lib/eln/checks.ts), on our archive and on the real
 * archives of eLabFTW, RSpace, AI4Green, SampleDB and PASTA; and what each entry, file, molecule and measurement
 * becomes in the crate.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { checkEln } from "@/lib/eln/checks";
import { buildCrate, buildElnArchive } from "@/lib/eln/export";
import { checkElnArchive, readElnArchive } from "@/lib/eln/read";
import { listMembers, readMember } from "@/lib/eln/zip";
import { readSharedBytes } from "../chem/shared-data";
import { EXAMPLES } from "./archives";
import { exportFixture } from "./fixture";

const schemaFile = new URL("../../../../shared/data/eln-examples/consortium-schema.json", import.meta.url);
const { $schema: _draft, ...schema } = JSON.parse(readFileSync(fileURLToPath(schemaFile), "utf8")) as Record<string, unknown>;

/** The consortium's schema, compiled as its suite does (2020-12); `formats` also asserts date-time and uri. */
function validator(formats: boolean) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: formats });
  if (formats) addFormats(ajv);
  return ajv.compile(schema);
}

function metadataOf(bytes: Uint8Array): unknown {
  const meta = listMembers(bytes).find((m) => m.path.endsWith("/ro-crate-metadata.json"))!;
  return JSON.parse(new TextDecoder().decode(readMember(bytes, meta)));
}

type Node = Record<string, unknown> & { "@id": string };
const graphOf = (input = exportFixture()) => buildCrate(input).metadata["@graph"] as Node[];
const node = (graph: Node[], id: string) => graph.find((n) => n["@id"] === id)!;

describe("our .eln export", () => {
  const bytes = buildElnArchive(exportFixture());

  it("validates against the consortium's JSON schema, date-time and uri formats included", () => {
    const validate = validator(true);
    expect(validate(metadataOf(bytes)), JSON.stringify(validate.errors)).toBe(true);
  });

  it("passes every check the specification lists, without a warning", () => {
    const report = checkElnArchive(bytes);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
    // One root folder named like the archive, the metadata in it, each entry a folder.
    expect(listMembers(bytes).map((m) => m.path)).toEqual([
      "series-4-2024-05-01/ro-crate-metadata.json",
      "series-4-2024-05-01/ro-crate-preview.html",
      "series-4-2024-05-01/2024-03-11-column-of-s4-a-1-12/nmr.jdx",
    ]);
  });

  it("describes the entry as a Dataset: name, author as a Person, dates, markdown text, keywords, comments, licence", () => {
    const graph = graphOf();
    const root = node(graph, "./");
    expect(root.license).toEqual({ "@id": "https://creativecommons.org/licenses/by/4.0/" });
    expect(node(graph, "https://creativecommons.org/licenses/by/4.0/")).toMatchObject({ "@type": "CreativeWork", identifier: "CC-BY-4.0" });
    expect(root.hasPart).toEqual([{ "@id": "./2024-03-11-column-of-s4-a-1-12/" }]);
    const entry = node(graph, "./2024-03-11-column-of-s4-a-1-12/");
    expect(entry).toMatchObject({
      "@type": "Dataset",
      name: "Column of S4-A-1",
      author: { "@id": "#person-ada" },
      dateCreated: "2024-03-11T09:00:00.000Z",
      dateModified: "2024-03-12T10:30:00.000Z",
      temporal: "2024-03-11",
      text: exportFixture().entries[0]!.body,
      encodingFormat: "text/markdown",
      keywords: "S4-A-1",
      comment: [{ "@id": "#comment-5" }],
      mentions: [{ "@id": "#molecule-S4-A-1" }],
      url: "https://notebook.example.org/entries/12",
    });
    expect(node(graph, "#person-ada")).toMatchObject({ "@type": "Person", name: "Ada Lovelace", alternateName: "ada" });
    expect(node(graph, "#comment-5")).toMatchObject({
      "@type": "Comment",
      text: "Nice **yield**.",
      author: { "@id": "#person-bob" },
      dateCreated: "2024-03-12T11:00:00.000Z",
    });
    expect(node(graph, "#person-bob").name).toBe("bob");
    expect(node(graph, "./2024-03-11-column-of-s4-a-1-12/nmr.jdx")).toMatchObject({
      "@type": "File",
      name: "nmr.jdx",
      encodingFormat: "chemical/x-jcamp-dx",
      contentSize: "5",
      sha256: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
    });
  });

  it("writes molecules as MolecularEntity and measurements as PropertyValues with value, unit, assay and qualifier", () => {
    const graph = graphOf();
    expect(node(graph, "#molecule-S4-A-1")).toMatchObject({
      "@type": "MolecularEntity",
      identifier: "S4-A-1",
      name: "chloro core",
      alternateName: ["MMV-1"],
      smiles: "Clc1nccn2c1nnc2",
      inChI: "InChI=1S/C5H3ClN4/c6-4-5-9-8-3-10(5)2-1-7-4/h1-3H",
      inChIKey: "AAAAAAAAAAAAAA-UHFFFAOYSA-N",
      molecularFormula: "C5H3ClN4",
      molecularWeight: "154.56 g/mol",
      variableMeasured: [{ "@id": "#measurement-31" }, { "@id": "#measurement-32" }, { "@id": "#measurement-33" }],
    });
    expect(node(graph, "#measurement-31")).toMatchObject({ "@type": "PropertyValue", propertyID: "IC50", value: 0.12, unitText: "µM" });
    expect(node(graph, "#measurement-31")).not.toHaveProperty("maxValue");
    expect(node(graph, "#measurement-32")).toMatchObject({ value: 10, minValue: 10 });
    expect(node(graph, "#measurement-33")).toMatchObject({ value: 7.1, maxValue: 7.1 });
    expect(node(graph, "#measurement-33")).not.toHaveProperty("unitText");
    expect(node(graph, "#measurement-31-target")).toMatchObject({ propertyID: "target", value: "Pfal (3D7)" });
    // The entry that reports a measurement lists it too, beside its reaction table.
    const measured = node(graph, "./2024-03-11-column-of-s4-a-1-12/").variableMeasured as { "@id": string }[];
    expect(measured.map((m) => m["@id"])).toContain("#measurement-31");
    expect(measured.map((m) => m["@id"])).not.toContain("#measurement-32");
  });

  it("writes a reaction table as dotted PropertyValues: rows as entered with units, computed figures beside them", () => {
    const graph = graphOf();
    const byPath = new Map(
      graph.filter((n) => typeof n.propertyID === "string" && n.propertyID.startsWith("reactions.")).map((n) => [n.propertyID, n]),
    );
    expect(byPath.get("reactions.0.title")?.value).toBe("SNAr with 2-phenylethanol");
    expect(byPath.get("reactions.0.rows.0.molecule")?.value).toBe("S4-A-1");
    expect(byPath.get("reactions.0.rows.0.massMg")).toMatchObject({ value: 250, unitText: "mg" });
    expect(byPath.get("reactions.0.rows.1.purity")).toMatchObject({ value: 60, unitText: "%" });
    expect(byPath.get("reactions.0.rows.2.spectrum")?.value).toBe("./2024-03-11-column-of-s4-a-1-12/nmr.jdx");
    expect(byPath.get("reactions.0.computed.rows.2.yieldPercent")).toMatchObject({ value: 107.3, unitText: "%" });
    expect(byPath.get("reactions.0.computed.atomEconomyPercent")?.value).toBe(50.2);
  });

  it("reads back what it wrote: text, dates, author, files, comments, reactions as entered, molecules and measurements", () => {
    const pkg = readElnArchive(bytes);
    expect(pkg).toMatchObject({
      root: "series-4-2024-05-01",
      source: "Open Notebook 0.1.0",
      ours: true,
      license: expect.stringContaining("CC-BY-4.0"),
    });
    const [entry] = pkg.datasets;
    expect(entry).toMatchObject({
      title: "Column of S4-A-1",
      body: exportFixture().entries[0]!.body,
      workDate: "2024-03-11",
      author: "Ada Lovelace",
      dateCreated: "2024-03-11T09:00:00.000Z",
      comments: [{ author: "bob", date: "2024-03-12T11:00:00.000Z", text: "Nice **yield**." }],
    });
    expect(entry!.files.map((f) => [f.name, f.encodingFormat, f.sha256])).toEqual([
      ["nmr.jdx", "chemical/x-jcamp-dx", exportFixture().entries[0]!.attachments[0]!.sha256],
    ]);
    expect(entry!.reactions).toEqual([
      {
        id: "r1",
        title: "SNAr with 2-phenylethanol",
        rows: [
          { role: "reactant", molecule: "S4-A-1", massMg: 250 },
          { role: "reagent", name: "NaH (60 % in oil)", smiles: "[NaH]", purity: 60, equivalents: 1.2 },
          { role: "product", smiles: "OCCc1ccccc1", isolatedMg: 212, spectrum: "./2024-03-11-column-of-s4-a-1-12/nmr.jdx" },
        ],
      },
    ]);
    expect(pkg.molecules).toEqual([
      {
        id: "#molecule-S4-A-1",
        code: "S4-A-1",
        name: "chloro core",
        aliases: ["MMV-1"],
        series: "Series 4",
        smiles: "ClC1=NC=CN2C1=NN=C2",
        molfile: null,
        inchiKey: "AAAAAAAAAAAAAA-UHFFFAOYSA-N",
        measurements: [
          {
            assay: "IC50",
            target: "Pfal (3D7)",
            lab: "GSK",
            value: 0.12,
            unit: "µM",
            qualifier: "=",
            measuredOn: "2024-03-20",
            dataset: "./2024-03-11-column-of-s4-a-1-12/",
          },
          { assay: "IC50", target: "Pfal (K1)", lab: null, value: 10, unit: "µM", qualifier: ">", measuredOn: null, dataset: null },
          { assay: "pIC50", target: null, lab: null, value: 7.1, unit: null, qualifier: "<", measuredOn: null, dataset: null },
        ],
      },
    ]);
    // Nothing of our own archive is left unmapped but its preview page.
    expect(pkg.skipped).toEqual([{ item: "ro-crate-preview.html", reason: "the archive's preview page" }]);
  });
});

describe("the example archives of other notebooks", () => {
  const lenient = validator(false);

  it.each(EXAMPLES.filter((e) => e !== "rspace-selection"))("%s passes the consortium's schema and the specification's checks", (name) => {
    const bytes = readSharedBytes(`eln-examples/${name}.eln`);
    expect(lenient(metadataOf(bytes)), JSON.stringify(lenient.errors)).toBe(true);
    expect(checkElnArchive(bytes).errors).toEqual([]);
  });

  it("RSpace's export fails the checks where it breaks the rules: no version, Datasets and Files without a name, keywords as arrays", () => {
    const bytes = readSharedBytes("eln-examples/rspace-selection.eln");
    expect(lenient(metadataOf(bytes))).toBe(false);
    expect(lenient.errors!.every((e) => e.instancePath.endsWith("/keywords"))).toBe(true);
    const report = checkElnArchive(bytes);
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual(
      expect.arrayContaining([
        'ro-crate-metadata.json: "version" is missing',
        "./doc_Editable2-32: a Dataset needs a name",
        "./doc_Editable2-32: keywords must be one comma-separated string, not an array",
        "./schemas/formSchema.xsd: a File needs a name",
      ]),
    );
  });

  it("the checks catch a crate that breaks the rules: a dangling hasPart, a missing file, keywords as an array, files outside the root", () => {
    const metadata = {
      "@context": "https://w3id.org/ro/crate/1.1/context",
      "@graph": [
        {
          "@id": "ro-crate-metadata.json",
          "@type": "CreativeWork",
          about: { "@id": "./" },
          conformsTo: { "@id": "https://w3id.org/ro/crate/1.1" },
        },
        { "@id": "./", "@type": "Dataset", hasPart: [{ "@id": "./a/" }, { "@id": "./gone/" }] },
        { "@id": "./a/", "@type": "Dataset", name: "a", keywords: ["x", "y"], hasPart: [{ "@id": "./a/f.txt" }] },
        { "@id": "./a/f.txt", "@type": "File", name: "f.txt" },
      ],
    };
    const report = checkEln(
      [
        { name: "r/ro-crate-metadata.json", directory: false, size: 10 },
        { name: "stray.txt", directory: false, size: 1 },
      ],
      metadata,
    );
    expect(report.errors).toEqual(
      expect.arrayContaining([
        'members outside the root folder: "stray.txt"',
        "./: hasPart must be an array of references to nodes of the graph",
        'ro-crate-metadata.json: "version" is missing',
        'ro-crate-metadata.json: "sdPublisher" is missing',
        "./a/: keywords must be one comma-separated string, not an array",
        "./a/f.txt: the File is not in the archive",
      ]),
    );
  });
});
