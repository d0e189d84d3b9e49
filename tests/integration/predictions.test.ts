// Predictions on both databases: a set is read, checked and sealed at submission (append-only, its SHA-256 over the
// canonical set, sealed into the campaign's hash chain too); scores are computed against the results recorded after
// the submission — values checked by hand on a small set with a censored result, a molecule measured before the
// submission (not scored), and a structure predicted by SMILES and registered later (scored); bad sets are refused
// with every row named and nothing stored. The campaign's model is trained once per version of its data, even when
// two processes look at once, and enters the scoreboard with its sealed predictions.
import crypto from "node:crypto";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import type { Db } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { verifyCampaign } from "@/db/queries/integrity";
import { moleculePrediction, nextCompounds, structurePrediction, trainStaleModels } from "@/db/queries/prediction-models";
import { getPredictionSet, scoreboard } from "@/db/queries/predictions";
import { chainLinks, predictionModels, predictionRows, predictionSets } from "@/db/schema";
import { osmDemoSheet, osmDemoUnit } from "@/lib/demo/osm-molecules";
import { sealHash } from "@/lib/predictions/seal";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { describeEachDatabase } from "./support/databases";
import { makeRegistry, refusal, rejects } from "./support/molecules";
import { makeUser } from "./support/seed";
import { addMeasurement, importSheet, registerMolecule, setScoringSettings, submitPredictions } from "./support/use-cases";

afterAll(async () => {
  await closeSharedChemPool();
});

const SMILES = {
  a: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23",
  b: "Clc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23",
  c: "N#Cc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23",
  d: "COc1ccc(cc1)c2nnc3cncc(OCCc4ccccc4)n23",
  /** Predicted by SMILES, registered only afterwards (written here in another atom order). */
  e: "c1ccc(cc1)CCOc1cncc2nnc(-c3ccc(C)cc3)n12",
};

async function smallCampaign(db: Db) {
  const chemist = await makeUser(db, `chem-${crypto.randomBytes(3).toString("hex")}`);
  const forecaster = await makeUser(db, `fore-${crypto.randomBytes(3).toString("hex")}`);
  const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], `P${crypto.randomBytes(2).toString("hex").toUpperCase()}`);
  const reg = async (smiles: string) => (await registerMolecule(db, chemist, { campaign: made.slug, smiles })).molecule;
  const [a, b, c, d] = [await reg(SMILES.a), await reg(SMILES.b), await reg(SMILES.c), await reg(SMILES.d)];
  // The assay exists once something was measured; d is measured before any forecast, so no forecast of d scores.
  await addMeasurement(db, chemist, d.code, { assay: "IC50", target: "Pfal", value: 2, unit: "µM" });
  return { ...made, chemist, forecaster, a: a, b: b, c: c, d: d };
}

const later = () => new Promise((resolve) => setTimeout(resolve, 15));

describeEachDatabase("prediction sets", (get) => {
  it("seals a set at submission and scores it against the results recorded afterwards (values by hand)", async () => {
    const { db } = get();
    const w = await smallCampaign(db);
    const csv = [
      "molecule,smiles,value,uncertainty",
      `${w.a.code},,7.0,0.3`,
      `${w.b.code.toLowerCase()},,6.0,`,
      `${w.c.code},,4.5,`,
      `${w.d.code},,6.5,`,
      `,${SMILES.e},6.5,0.5`,
    ].join("\n");
    const { set, skipped } = await submitPredictions(db, w.forecaster, {
      campaign: w.slug,
      assay: "pfal ic50",
      details: { name: "Hand-made", unit: "pIC50", method: "https://example.org/code" },
      csv,
    });
    expect(skipped).toEqual([]);
    expect(set).toMatchObject({ assayLabel: "Pfal IC50", rowCount: 5, unit: "pIC50", submittedById: w.forecaster.id, modelId: null });
    const rows = await db.select().from(predictionRows).where(eq(predictionRows.setId, set.id));
    expect(rows.map((r) => r.row).sort()).toEqual([2, 3, 4, 5, 6]);
    // Anyone can recompute the hash from the set as submitted.
    expect(set.hash).toBe(
      sealHash({
        campaign: w.slug,
        assay: "Pfal IC50",
        name: "Hand-made",
        description: null,
        method: "https://example.org/code",
        unit: "pIC50",
        rows: [
          { row: 2, molecule: w.a.code, smiles: null, value: 7, pic50: 7, uncertainty: 0.3, rank: null },
          { row: 3, molecule: w.b.code, smiles: null, value: 6, pic50: 6, uncertainty: null, rank: null },
          { row: 4, molecule: w.c.code, smiles: null, value: 4.5, pic50: 4.5, uncertainty: null, rank: null },
          { row: 5, molecule: w.d.code, smiles: null, value: 6.5, pic50: 6.5, uncertainty: null, rank: null },
          { row: 6, molecule: null, smiles: SMILES.e, value: 6.5, pic50: 6.5, uncertainty: 0.5, rank: null },
        ],
      }),
    );
    expect((await getPredictionSet(db, set.id)).scores).toMatchObject({ n: 0, rmse: null, topK: { k: 0, hits: 0 } });

    await later();
    await addMeasurement(db, w.chemist, w.a.code, { assay: "IC50", target: "Pfal", lab: "Dundee", value: 0.1, unit: "µM" }); // pIC50 7
    await addMeasurement(db, w.chemist, w.b.code, { assay: "IC50", target: "Pfal", value: 500, unit: "nM" }); // 6.30103
    await addMeasurement(db, w.chemist, w.c.code, { assay: "IC50", target: "Pfal", value: 10, unit: "µM", qualifier: ">" }); // < 5
    const e = (await registerMolecule(db, w.chemist, { campaign: w.slug, smiles: "Cc1ccc(cc1)-c1nnc2cncc(OCCc3ccccc3)n12" })).molecule;
    await addMeasurement(db, w.chemist, e.code, { assay: "IC50", target: "Pfal", value: 1, unit: "µM" }); // 6

    const scored = await getPredictionSet(db, set.id);
    // Scored: a, b, c (a bound, predicted on its side) and e (registered after the forecast); d was measured before.
    expect(scored.scores.n).toBe(4);
    expect(scored.scores.nExact).toBe(3);
    // Residuals on "=" only: a 0, b 6 − 6.30103, e 6.5 − 6 → RMSE √((0.0906 + 0.25) / 3), MAE (0.30103 + 0.5) / 3.
    expect(scored.scores.rmse).toBeCloseTo(Math.sqrt((0.30103 ** 2 + 0.25) / 3), 4);
    expect(scored.scores.mae).toBeCloseTo((0.30103 + 0.5) / 3, 4);
    // Ranking values: a 7, b 6.30103, c 4.5 (the prediction, on the right side of < 5), e 6. Predicted ranks a4 b2 c1
    // e3, observed a4 b3 c1 e2: ρ = 1 − 6·2 / (4·15) = 0.8; pairs: only (b, e) discordant of 6, τ = 4/6.
    expect(scored.scores.spearman).toBeCloseTo(0.8, 10);
    expect(scored.scores.kendall).toBeCloseTo(4 / 6, 10);
    // Top-20 at pIC50 6: a, e and b are the best predicted of the four; all three are active (c is not).
    expect(scored.scores.topK).toEqual({ k: 4, hits: 3 });
    expect(scored.scores.intervals).toBeNull(); // n < 10
    const byRow = new Map(scored.predictions.map((p) => [p.row, p]));
    expect(byRow.get(5)!.observed).toBeNull();
    expect(byRow.get(6)!.molecule?.code).toBe(e.code);
    expect(byRow.get(4)!.observed).toMatchObject({ pic50: 5, qualifier: "<" });

    // The campaign's settings change every score at once.
    await rejects(setScoringSettings(db, w.forecaster, w.slug, { topK: 2 }), "forbidden");
    await setScoringSettings(db, w.maintainer, w.slug, { topK: 2, activeThreshold: 6.5 });
    expect((await getPredictionSet(db, set.id)).scores.topK).toEqual({ k: 2, hits: 1 }); // a (7) yes, e (6) no

    const board = await scoreboard(db, w.slug, "Pfal IC50");
    expect(board.submissions.map((s) => s.set.id)).toEqual([set.id]);
    expect(board.submissions[0]!.submitter).toBe(w.forecaster.login);

    // Sealed: the database refuses changes, and the set is a link of the campaign's hash chain.
    expect(await refusal(db.execute(sql`update prediction_sets set name = 'better' where id = ${set.id}`))).toMatch(
      /append-only|not allowed|refuse/i,
    );
    expect(await refusal(db.execute(sql`delete from prediction_rows where set_id = ${set.id}`))).toMatch(/append-only|not allowed|refuse/i);
    const report = await verifyCampaign(db, w.slug);
    expect(report.ok).toBe(true);
    const links = await db
      .select()
      .from(chainLinks)
      .where(and(eq(chainLinks.kind, "prediction"), eq(chainLinks.recordId, set.id)));
    expect(links).toHaveLength(1);
  });

  it("refuses a set with bad rows, naming each, and stores nothing; with confirm it stores the good rows only", async () => {
    const { db } = get();
    const w = await smallCampaign(db);
    const before = async () =>
      (
        await db
          .select({ n: count() })
          .from(predictionSets)
          .where(eq(predictionSets.campaignId, (await requireCampaign(db, w.slug)).id))
      )[0]!.n;
    const csv = [
      "molecule,smiles,value",
      `${w.a.code},,0.5`,
      `${w.prefix}-A-999,,0.5`, // unknown ID
      `,C1CC,1`, // unreadable SMILES
      `${w.b.code},,abc`, // not a number
      `,${SMILES.c},2`, // the same structure as the next row's molecule
      `${w.c.code},,3`,
      `${w.d.code},,-1`, // a concentration must be above 0
    ].join("\n");
    const details = { name: "Messy", unit: "uM" };
    const error = await rejects(
      submitPredictions(db, w.forecaster, { campaign: w.slug, assay: "Pfal IC50", details, csv }),
      "validation_failed",
    );
    expect(error.details?.fields).toMatchObject({
      "rows.3.molecule": expect.stringContaining("is not a molecule of"),
      "rows.4.smiles": expect.stringContaining("cannot be read"),
      "rows.5.value": expect.stringContaining("is not a number"),
      "rows.6.smiles": expect.stringContaining("row 7"),
      "rows.7.molecule": expect.stringContaining("row 6"),
      "rows.8.value": expect.stringContaining("above 0"),
    });
    expect(error.message).toMatch(/6 of 7 rows have errors; nothing was stored/);
    expect(await before()).toBe(0);

    const { set, skipped } = await submitPredictions(db, w.forecaster, {
      campaign: w.slug,
      assay: "Pfal IC50",
      details: { ...details, confirm: true },
      csv,
    });
    expect(set.rowCount).toBe(1);
    expect(set.unit).toBe("µM");
    expect(skipped.map((s) => s.row)).toEqual([3, 4, 5, 6, 7, 8]);
    const [row] = await db.select().from(predictionRows).where(eq(predictionRows.setId, set.id));
    expect(row).toMatchObject({ moleculeId: w.a.id, value: 0.5 });
    expect(row!.pic50).toBeCloseTo(6.30103, 5);

    // The set's unit must fit the assay; the assay must be one measured there; JSON rows are checked the same way.
    await rejects(
      submitPredictions(db, w.forecaster, {
        campaign: w.slug,
        assay: "Pfal IC50",
        details: { name: "x", unit: "%" },
        csv: "molecule,value\nX,1",
      }),
      "validation_failed",
      /unit: .*not a unit for Pfal IC50/,
    );
    const unknown = await rejects(
      submitPredictions(db, w.forecaster, {
        campaign: w.slug,
        assay: "hERG IC50",
        details: { name: "x", unit: "µM" },
        rows: [{ molecule: w.a.code, value: 1 }],
      }),
      "validation_failed",
      /no results of "hERG IC50" here; the assays are Pfal IC50/,
    );
    expect(unknown.details?.assays).toEqual(["Pfal IC50"]);
    await rejects(
      submitPredictions(db, w.forecaster, {
        campaign: w.slug,
        assay: "Pfal IC50",
        details: { name: "twice", unit: "pIC50" },
        rows: [
          { molecule: w.a.code, value: 6 },
          { molecule: w.a.code.toLowerCase(), value: 7 },
        ],
      }),
      "validation_failed",
      /2 of 2 rows have errors|no row can be accepted/,
    );
    await rejects(submitPredictions(db, null, { campaign: w.slug, assay: "Pfal IC50", details, csv }), "unauthorized");
    expect(await before()).toBe(1);
  });

  it("trains the campaign's model once per version of its data, seals its forecasts, and answers predictions", async () => {
    const { db } = get();
    const chemist = await makeUser(db, `model-${crypto.randomBytes(3).toString("hex")}`);
    const made = await makeRegistry(db, [{ actor: chemist, role: "member" }], "OSM");
    const imported = await importSheet(db, chemist, made.slug, { format: "tsv", text: osmDemoSheet, unit: osmDemoUnit });
    expect(imported.failed).toBe(0);
    // Two molecules not tested yet: the model forecasts them.
    const fresh = (await registerMolecule(db, chemist, { campaign: made.slug, smiles: "FC(F)Oc1ccc(cc1)c2nnc3cncc(OCCc4ccc(Cl)cc4)n23" }))
      .molecule;
    const campaign = await requireCampaign(db, made.slug);

    // Two processes look at once: one trains, the other finds the version claimed.
    const [one, two] = await Promise.all([trainStaleModels(db), trainStaleModels(db)]);
    const trained = [...one, ...two].filter((m) => m.campaignId === campaign.id);
    expect(trained).toHaveLength(1);
    expect(await trainStaleModels(db)).toEqual([]); // nothing changed since
    const models = await db.select().from(predictionModels).where(eq(predictionModels.campaignId, campaign.id));
    expect(models).toHaveLength(1);
    expect(models[0]!.trainedOn).toBeGreaterThanOrEqual(20);
    const evaluation = models[0]!.evaluation as { cv: { model: { n: number; rmse: number } }; timeSplit: { model: { n: number } } };
    expect(evaluation.cv.model.n).toBe(models[0]!.trainedOn);
    expect(evaluation.cv.model.rmse).toBeGreaterThan(0);
    expect(evaluation.timeSplit.model.n).toBeGreaterThan(0);

    // Its forecasts are a sealed set like anyone's, for the untested molecules only.
    const board = await scoreboard(db, made.slug, "Pfal IC50");
    const mine = board.submissions.find((s) => s.set.modelId === models[0]!.id)!;
    expect(mine.submitter).toBeNull();
    expect(mine.predictions.map((p) => p.molecule?.code)).toEqual([fresh.code]);
    expect(mine.predictions[0]!.rank).toBe(1);

    const forMolecule = await moleculePrediction(db, fresh.code, "Pfal IC50");
    expect(forMolecule.pic50).toBeCloseTo(mine.predictions[0]!.pic50, 2);
    expect(forMolecule.neighbours.length).toBeGreaterThan(0);
    expect(forMolecule.neighbours[0]!.similarity).toBeGreaterThan(0.5); // a close analogue of the phenethyl ethers
    expect(forMolecule.inDomain).toBe(true);
    expect(forMolecule.unit).toBe("µM");
    const drawn = await structurePrediction(
      db,
      { campaign: made.slug, smiles: "CCCCCCCCCCCCCCCC(=O)O" },
      { deadline: Date.now() + 20_000 },
    );
    expect(drawn.inDomain).toBe(false); // palmitic acid is nothing like a triazolopyrazine
    await rejects(
      structurePrediction(db, { campaign: made.slug, smiles: "C1CC" }, { deadline: Date.now() + 20_000 }),
      "validation_failed",
      /smiles/,
    );
    const next = await nextCompounds(db, made.slug, undefined);
    expect(next.compounds.map((c) => c.molecule?.code)).toEqual([fresh.code]);

    // A new result is a new version of the data: the next look trains again and the model's set scores.
    await addMeasurement(db, chemist, fresh.code, { assay: "IC50", target: "Pfal", value: 0.3, unit: "µM" });
    expect(await trainStaleModels(db)).toHaveLength(1);
    const scored = await getPredictionSet(db, mine.set.id);
    expect(scored.scores.n).toBe(1);
  });
});
