/**
 * Reactions in entries on both databases: resolved against the registry and read in the sandboxed workers on save,
 * computed and stored with the revision, refused whole (422 naming row and field) when anything is wrong, and listed
 * on the molecules they make and use.
 */
import { expect, it } from "vitest";
import { getRevision } from "@/db/queries/entry-lists";
import { reactionsUsing } from "@/db/queries/reactions";
import { registerProduct } from "@/db/queries/reaction-products";
import { getTemplate, listTemplates, saveTemplate } from "@/db/queries/templates";
import { requireCampaign } from "@/db/queries/campaigns";
import { entries } from "@/db/schema";
import { eq } from "drizzle-orm";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { createEntry, registerMolecule, updateEntry } from "./support/use-cases";

/** The Series 4 SNAr: the chlorotriazolopyrazine and 2-phenylethanol with NaH (60 % in oil) give OSM-S-369's ether. */
const CORE = "FC(F)Oc1ccc(cc1)c2nnc3cncc(Cl)n23";
const PRODUCT = "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23";
const snar = (isolatedMg?: number) => ({
  title: "SNAr with 2-phenylethanol",
  rows: [
    { role: "reactant", smiles: CORE, massMg: 250 },
    { role: "reagent", name: "NaH (60 % in oil)", smiles: "[NaH]", purity: 60, equivalents: 1.2 },
    { role: "reagent", name: "2-phenylethanol", smiles: "OCCc1ccccc1", density: 1.02, equivalents: 1.2 },
    { role: "solvent", name: "THF", volumeUl: 5000 },
    { role: "product", smiles: PRODUCT, ...(isolatedMg ? { isolatedMg } : {}) },
  ],
});

describeEachDatabase("reactions in entries", (get) => {
  it("computes the table on save, stores it with the revision, and links rows whose structure is registered", async () => {
    const { db } = get();
    const chemist = await makeUser(db);
    const { slug } = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    const { molecule } = await registerMolecule(db, chemist, { campaign: slug, smiles: PRODUCT, name: "the ether" });
    const entry = await createEntry(db, chemist, { campaign: slug, date: "2024-03-05", title: "SNAr", body: "See the table.", reactions: [snar()] });
    const [reaction] = entry.reactions;
    expect(reaction!.id).toBe("r1");
    const core = reaction!.computed.rows[0]!;
    expect(core.mw).toBeCloseTo(296.66, 1);
    expect(core.mmol).toBeCloseTo(250 / 296.66, 3);
    expect(core.entered).toEqual(["massMg"]);
    expect(reaction!.computed.rows[1]!.massMg).toBeCloseTo((1.2 * (250 / 296.66) * 24.0) / 0.6, 0);
    expect(reaction!.computed.rows[2]!.volumeUl).toBeCloseTo((1.2 * (250 / 296.66) * 122.17) / 1.02, 0);
    expect(reaction!.computed.rows[4]!.theoreticalMg).toBeCloseTo((250 / 296.66) * molecule.properties.averageMass, 1);
    expect(reaction!.computed.reaction.referenceConcentrationM).toBeCloseTo(250 / 296.66 / 5, 3);
    // The product's structure is registered: the row names the molecule, and the molecule lists where it was made.
    expect(reaction!.rows[4]!.molecule).toBe(molecule.code);
    const uses = await reactionsUsing(db, molecule.code);
    expect(uses.madeIn).toMatchObject([{ entry: { id: entry.id }, reaction: { id: "r1", title: "SNAr with 2-phenylethanol" }, role: "product" }]);
    expect(uses.usedIn).toEqual([]);

    // An edit of one mass is a new revision with the new figures; the first revision keeps its own.
    const edited = await updateEntry(db, chemist, entry.id, { baseRevision: entry.revisionId, reactions: [{ ...snar(212), id: "r1" }] });
    expect(edited.changed).toBe(true);
    expect(edited.entry.reactions[0]!.computed.rows[4]!.yieldPercent).toBeCloseTo((212 / (250 / 296.66) / molecule.properties.averageMass) * 100, 2);
    expect((await getRevision(db, entry.id, 1))!.reactions[0]!.computed.rows[4]!.yieldPercent).toBeNull();
    // The same reactions again: nothing changed, no revision.
    const again = await updateEntry(db, chemist, entry.id, { baseRevision: edited.entry.revisionId, reactions: [{ ...snar(212), id: "r1" }] });
    expect(again.changed).toBe(false);
    // A stale base is still a 409, reactions or not.
    await rejects(updateEntry(db, chemist, entry.id, { baseRevision: entry.revisionId, reactions: [] }), "conflict");
  });

  it("builds the table from a reaction SMILES, with coefficients, and refers to molecules by ID or alias", async () => {
    const { db } = get();
    const chemist = await makeUser(db);
    const { slug } = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    const { molecule } = await registerMolecule(db, chemist, { campaign: slug, smiles: CORE, aliases: ["chloro core"] });
    const entry = await createEntry(db, chemist, {
      campaign: slug,
      date: "2024-03-06",
      title: "Scheme only",
      reactions: [{ smiles: `${CORE}.OCCc1ccccc1>[Na+].[H-]>${PRODUCT}` }, { rows: [{ role: "reactant", molecule: "Chloro Core", mmol: 1 }] }],
    });
    expect(entry.reactions.map((r) => r.id)).toEqual(["r1", "r2"]);
    expect(entry.reactions[0]!.rows.map((r) => r.role)).toEqual(["reactant", "reactant", "reagent", "reagent", "product"]);
    expect(entry.reactions[0]!.rows[0]!.molecule).toBe(molecule.code);
    expect(entry.reactions[1]!.rows[0]).toMatchObject({ molecule: molecule.code });
    expect(entry.reactions[1]!.computed.rows[0]!.mw).toBeCloseTo(molecule.properties.averageMass, 6);
    const twice = await createEntry(db, chemist, { campaign: slug, date: "2024-03-06", title: "Dimer", reactions: [{ smiles: "CC=CC>>CC=O.CC=O" }] });
    expect(twice.reactions[0]!.rows).toEqual([expect.objectContaining({ role: "reactant" }), expect.objectContaining({ role: "product", coefficient: 2 })]);
    // The entry mentions the molecules its reactions name.
    const [row] = await db.select({ id: entries.id }).from(entries).where(eq(entries.id, entry.id));
    expect(row).toBeDefined();
    expect((await reactionsUsing(db, molecule.code)).usedIn.map((u) => u.entry.id)).toEqual([entry.id, entry.id]);
  });

  it("refuses bad reactions whole, naming the reaction, the row and the field", async () => {
    const { db } = get();
    const chemist = await makeUser(db);
    const { slug } = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    const base = { campaign: slug, date: "2024-03-07", title: "Bad" };
    const cases: [unknown, string, RegExp][] = [
      [[{ rows: [{ role: "reactant", smiles: CORE, massMg: -5 }] }], "reactions.0.rows.0.massMg", /more than zero/],
      [[{ rows: [{ role: "reactant", smiles: CORE, massMg: 0 }] }], "reactions.0.rows.0.massMg", /more than zero/],
      [[{ rows: [{ role: "reactant", smiles: CORE, mmol: 1 }, { role: "reagent", name: "Et3N", mw: 101.19, volumeUl: 100 }] }], "reactions.0.rows.1.volumeUl", /density .* or a concentration/],
      [[{ rows: [{ role: "reactant", smiles: CORE, mmol: 1, reference: true }, { role: "reagent", smiles: "CCO", mmol: 1, reference: true }] }], "reactions.0.rows.1.reference", /both marked as the reference/],
      [[{ rows: [{ role: "reactant", smiles: CORE, mmol: 1 }, { role: "product", name: "the ether", isolatedMg: 100 }] }], "reactions.0.rows.1.mw", /yield needs the product's structure/],
      [[{ smiles: "CC>>C1CC" }], "reactions.0.smiles", /structure 2 of the scheme .* cannot be read/],
      [[{ smiles: "CC.CC" }], "reactions.0.smiles", /not reaction SMILES/],
      [[{ rows: Array.from({ length: 200 }, () => ({ role: "reagent", name: "x" })) }], "reactions.0.rows", /at most 50 rows/],
      [[{ rows: [{ role: "reactant", smiles: "C1CC", mmol: 1 }] }], "reactions.0.rows.0.smiles", /cannot be read/],
      [[{ rows: [{ role: "reactant", molecule: "NOPE-S-1", mmol: 1 }] }], "reactions.0.rows.0.molecule", /no registered molecule/],
      [[{ rows: [{ role: "oxidant" }] }], "reactions.0.rows.0.role", /must be one of/],
    ];
    for (const [reactions, field, message] of cases) {
      const error = await rejects(createEntry(db, chemist, { ...base, reactions }), "validation_failed").catch((e: Error) => {
        throw new Error(`${JSON.stringify(reactions).slice(0, 120)}: ${e.message}`);
      });
      expect(Object.keys(error.details?.fields ?? {}), JSON.stringify(reactions).slice(0, 80)).toContain(field);
      expect(error.details!.fields![field]).toMatch(message);
    }
    // Nothing was saved half: no entry titled "Bad" exists.
    expect(await db.select().from(entries).where(eq(entries.title, "Bad"))).toEqual([]);
  });

  it("registers a product from its row in a new revision, links an already registered structure, and refuses a stale page", async () => {
    const { db } = get();
    const chemist = await makeUser(db);
    const { slug } = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    const entry = await createEntry(db, chemist, { campaign: slug, date: "2024-03-05", title: "SNAr", reactions: [snar(212)] });
    await rejects(registerProduct(db, chemist, { entryId: entry.id, reactionId: "r1", row: 4, baseRevision: entry.revisionId + 1000 }), "conflict");
    await rejects(registerProduct(db, chemist, { entryId: entry.id, reactionId: "r1", row: 0, baseRevision: entry.revisionId }), "validation_failed", /not a product/);
    const first = await registerProduct(db, chemist, { entryId: entry.id, reactionId: "r1", row: 4, baseRevision: entry.revisionId });
    expect(first.registered).toBe(true);
    const uses = await reactionsUsing(db, first.code);
    expect(uses.madeIn).toMatchObject([{ entry: { id: entry.id }, isolatedMg: 212 }]);
    expect(uses.madeIn[0]!.yieldPercent).toBeGreaterThan(60);
    // A second entry making the same product links to the molecule instead of registering it twice.
    const again = await createEntry(db, chemist, { campaign: slug, date: "2024-03-06", title: "SNAr again", reactions: [snar()] });
    expect(again.reactions[0]!.rows[4]!.molecule).toBe(first.code); // already linked on save by its structure
    const other = await createEntry(db, chemist, { campaign: slug, date: "2024-03-07", title: "Other", reactions: [{ rows: [{ role: "reactant", smiles: CORE, mmol: 1 }, { role: "product", smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OC)n23" }] }] });
    const made = await registerProduct(db, chemist, { entryId: other.id, reactionId: "r1", row: 1, baseRevision: other.revisionId });
    const linked = await registerProduct(db, chemist, { entryId: other.id, reactionId: "r1", row: 1, baseRevision: made.revisionId });
    expect(linked).toEqual({ code: made.code, registered: false, revisionId: made.revisionId });
  });

  it("keeps entry templates: the body and the reaction skeleton without a run's amounts, replaced by name, for members only", async () => {
    const { db } = get();
    const chemist = await makeUser(db);
    const outsider = await makeUser(db);
    const { slug } = await makeRegistry(db, [{ actor: chemist, role: "member" }]);
    const entry = await createEntry(db, chemist, { campaign: slug, date: "2024-03-05", title: "SNAr", body: "Procedure", reactions: [snar(212)] });
    const template = await saveTemplate(db, chemist, entry.id, "  SNAr on the core ");
    expect(template).toMatchObject({ name: "SNAr on the core", title: "SNAr", body: "Procedure" });
    const rows = template.reactions[0]!.rows!;
    expect(rows.map((r) => r.role)).toEqual(["reactant", "reagent", "reagent", "solvent", "product"]);
    expect(rows[0]).toEqual({ role: "reactant", smiles: CORE });
    expect(rows[1]).toMatchObject({ purity: 60, equivalents: 1.2 });
    expect(rows.some((r) => "massMg" in r || "isolatedMg" in r || "volumeUl" in r || "structure" in r)).toBe(false);
    const replaced = await saveTemplate(db, chemist, entry.id, "snar ON the core");
    const campaign = await requireCampaign(db, slug);
    expect((await listTemplates(db, campaign.id)).map((t) => t.id)).toEqual([replaced.id]);
    expect(replaced.id).toBe(template.id);
    expect((await getTemplate(db, campaign.id, template.id))?.name).toBe("snar ON the core");
    await rejects(saveTemplate(db, outsider, entry.id, "Mine"), "forbidden");
    await rejects(saveTemplate(db, chemist, entry.id, ""), "validation_failed", /name/);
    // A new entry from the template saves like any other (the editor sends the skeleton with the day's amounts).
    const next = await createEntry(db, chemist, { campaign: slug, date: "2024-03-08", title: "From the template", reactions: [{ ...template.reactions[0], rows: rows.map((r, i) => (i === 0 ? { ...r, massMg: 500 } : r)) }] });
    expect(next.reactions[0]!.computed.rows[1]!.mmol).toBeCloseTo(1.2 * (500 / 296.66), 3);
  });
});
