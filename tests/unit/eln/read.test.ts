/**
 * Other notebooks' archives read into what the notebook stores, and every kind of bad archive refused whole with a
 * reason a person can act on (lib/eln/read.ts, as the sandbox runs it).
 */
import { describe, expect, it } from "vitest";
import { workDateOf } from "@/lib/eln/map";
import { elnJob } from "@/lib/eln/sandboxed";
import { readElnArchive } from "@/lib/eln/read";
import { readSharedBytes } from "../chem/shared-data";
import { archiveWith, HELLO_SHA256, lyingBomb, minimalCrate, zip } from "./archives";

const read = (name: string) => readElnArchive(readSharedBytes(`eln-examples/${name}.eln`));

describe("reading other notebooks' archives", () => {
  it("eLabFTW: twelve experiments, HTML turned into markdown, steps as a task list, extra fields as a table, the file checked", () => {
    const pkg = read("elabftw-export");
    expect(pkg.source).toBe("eLabFTW 5.3.0-alpha6");
    expect(pkg.datasets).toHaveLength(12);
    const gold = pkg.datasets.find((d) => d.title === "Gold master experiment")!;
    expect(gold).toMatchObject({ author: "Nicola Mohr", workDate: "2025-01-03", dateCreated: "2025-09-16T10:32:54+02:00" });
    expect(gold.body).toContain("# Level 1 title");
    expect(gold.body).toContain("| Something | in H2 | the   |");
    expect(gold.body).toContain("- [x] a step\n- [ ] another step");
    expect(gold.files.map((f) => [f.name, f.sha256])).toEqual([
      ["example.jpg", "b73626c9a9ed8561ed6126df2493bc0d84fb8feedc9fe34aed94f7d2d5f4f60f"],
    ]);
    expect(gold.properties).toContainEqual({ name: "Number with units", value: "12", unit: "mM" });
    expect(gold.comments[0]!.author).toBe("Nicola Mohr");
    expect(pkg.skipped).toContainEqual({ item: "./Demo - Gold-master-experiment - 4af4da4e/", reason: "not mapped: aggregateRating" });
  });

  it("AI4Green: the amidation, its reaction table from AI4Green's JSON and its product as a molecule", () => {
    const pkg = read("ai4green-workbook");
    const [amidation] = pkg.datasets;
    expect(amidation).toMatchObject({ title: "Amidation", author: "Joe Davies", workDate: "2024-07-18" });
    expect(amidation!.body).toMatch(/^Benzoic acid, ethylamine, diisopropylamine and HATU/);
    expect(amidation!.files.map((f) => f.name)).toEqual(["AI4-001.rxn", "AI4-001.json", "AI4-001-summary.pdf"]);
    expect(amidation!.comments).toEqual([
      {
        author: "Joe Davies",
        date: "2024-07-18T15:08:59.608458",
        text: "Some compound may have been lost in the aqueous phase during the extraction",
      },
    ]);
    expect(amidation!.reactions).toEqual([
      {
        title: "Amidation",
        rows: [
          { role: "reactant", name: "Benzoic Acid", smiles: "O=C(O)c1ccccc1", massMg: 100 },
          { role: "reactant", name: "Ethylamine", smiles: "CCN", massMg: 73.83 },
          { role: "reagent", name: "Diisopropylamine", smiles: "CC(C)NC(C)C", massMg: 116.01 },
          {
            role: "reagent",
            name: "O-(7-Azabenzotriazol-1-yl)-N,N,N',N'-tetramethyluronium hexafluorophosphate",
            smiles: "CN(C)C(=[O+]n1nnc2cccnc21)N(C)C.F[P-](F)(F)(F)(F)F",
            massMg: 373.63,
          },
          { role: "solvent", name: "Dimethylformamide", smiles: "CN(C)C=O", volumeUl: 1000 },
          { role: "product", name: "N-Ethylbenzamide", smiles: "CCN=C(O)c1ccccc1", isolatedMg: 100.01 },
        ],
      },
    ]);
    expect(pkg.molecules.map((m) => [m.name, m.smiles])).toEqual([["N-Ethylbenzamide", "CCN=C(O)c1ccccc1"]]);
  });

  it("RSpace: each document's name, author, dates and fields from its XML", () => {
    const pkg = read("rspace-selection");
    const doc = pkg.datasets.find((d) => d.title === "Experiment 1")!;
    expect(doc.body).toMatch(/^## Method\n\nWe have performed a biochemical/);
    expect(doc.workDate).toBe("2023-12-07");
    expect(doc.keywords).toEqual(["exampleExperimentTag"]);
    expect(doc.files.map((f) => f.name)).toContain("Picture1_1701965472094.png");
    expect(pkg.skipped).toContainEqual({
      item: "./schemas/formSchema.xsd",
      reason: "a File no imported experiment lists (only the archive's root does)",
    });
  });

  it("PASTA and SampleDB: nested projects and objects, their metadata, files of versions, comments, remote files linked", () => {
    const pasta = read("pasta");
    expect(pasta.datasets).toHaveLength(9);
    expect(pasta.license).toBe("https://creativecommons.org/licenses/by-nc-sa/4.0/");
    const project = pasta.datasets.find((d) => d.title === "PASTAs Example Project")!;
    expect(project.author).toBe("Dr. Steffen Brinckmann");
    expect(project.files.map((f) => f.name)).toEqual(["workplan.py", "Example_SOP.md", "procedure.md", "worklog.log"]);
    expect(pasta.datasets.find((d) => d.title === "Data files")!.body).toContain(
      "](https://upload.wikimedia.org/wikipedia/commons/thumb/a/a4/Misc_pollen.jpg/315px-Misc_pollen.jpg)",
    );
    const sampledb = read("sampledb-export");
    const ombe = sampledb.datasets.find((d) => d.title === "OMBE-1")!;
    expect(ombe.files.map((f) => f.name)).toEqual(["schema.json", "data.json", "files.json", "example.txt", "demo.png"]);
    expect(ombe.comments.map((c) => c.text)).toEqual([
      expect.stringMatching(/^This comment is very long/),
      "This is another, shorter comment",
    ]);
    expect(ombe.properties).toContainEqual({ name: "Multilayers → 0 → Films → 0 → Film Thickness", value: "5", unit: "Å" });
  });

  it("takes the day of work as the archive writes it", () => {
    expect(workDateOf("2025-01-03T00:00:00+01:00")).toBe("2025-01-03");
    expect(workDateOf("2024-07-18 15:56:12")).toBe("2024-07-18");
    expect(workDateOf("07:12:23:16:11:11")).toBe("2023-12-07"); // RSpace
    expect(workDateOf("2024-02-30")).toBeNull();
    expect(workDateOf("3024-01-01")).toBeNull();
  });
});

describe("refusing bad archives whole", () => {
  const refusal = (bytes: Uint8Array) => {
    const outcome = elnJob(bytes);
    if (!("error" in outcome)) throw new Error("expected a refusal");
    return outcome.error;
  };

  it("reads a good one", () => {
    const pkg = readElnArchive(archiveWith());
    expect(pkg.datasets[0]).toMatchObject({
      title: "An experiment",
      author: "Ada Lovelace",
      body: "Hello **world**",
      workDate: "2024-05-02",
    });
    expect(pkg.datasets[0]!.files[0]!.sha256).toBe(HELLO_SHA256);
  });

  it("refuses paths outside the root folder, in the zip or in the crate", () => {
    expect(refusal(archiveWith({ "test/../../../tmp/evil": "x" }))).toMatchObject({ code: "unsafe_path" });
    expect(refusal(archiveWith({ "/abs/evil": "x" }))).toMatchObject({ code: "unsafe_path" });
    expect(refusal(archiveWith({}, minimalCrate({ fileId: "../../etc/passwd" })))).toMatchObject({
      code: "unsafe_path",
      message: expect.stringMatching(/outside the archive's root folder/),
    });
  });

  it("refuses a zip bomb, a missing or malformed ro-crate-metadata.json, and files outside one root folder", () => {
    expect(refusal(lyingBomb())).toMatchObject({ code: "zip_bomb" });
    expect(refusal(zip({ "test/exp/data.txt": "hello" }))).toMatchObject({ code: "no_metadata" });
    expect(refusal(zip({ "test/ro-crate-metadata.json": "{ not json" }))).toMatchObject({
      code: "bad_metadata",
      message: expect.stringMatching(/not valid JSON/),
    });
    expect(refusal(zip({ "test/ro-crate-metadata.json": '{"@context": "x"}' }))).toMatchObject({
      code: "bad_metadata",
      message: expect.stringMatching(/no "@graph"/),
    });
    expect(refusal(zip({ "a/ro-crate-metadata.json": "{}", "b/x": "y" }))).toMatchObject({ code: "no_root_folder" });
    expect(refusal(zip({ "ro-crate-metadata.json": "{}" }))).toMatchObject({ code: "no_root_folder" });
    expect(refusal(new TextEncoder().encode("just text"))).toMatchObject({ code: "not_zip" });
  });

  it("refuses a file whose SHA-256 is not the crate's", () => {
    const error = refusal(archiveWith({}, minimalCrate({ sha256: "0".repeat(64) })));
    expect(error.code).toBe("hash_mismatch");
    expect(error.message).toMatch(/SHA-256 of "test\/exp\/data.txt" does not match/);
  });
});
