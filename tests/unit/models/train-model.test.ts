import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { predict, neighbours } from "@/lib/models/predict";
import { MIN_FOREST_MOLECULES, trainModel, type TrainingMolecule, type TrainOutput } from "@/lib/models/train";
import { ChemWorkerPool, type WorkerOutcome } from "@/lib/sandbox/pool";
import { recordParts } from "@/lib/search/record";
import { readOsmSeries4 } from "./osm-series4";

// Workers load OpenChemLib, tsx and RDKit's wasm on start: allow for that on a busy machine.
const START = 60_000;

describe("the train-model job", () => {
  const pool = new ChemWorkerPool({ size: 1, timeoutMs: 30_000 });
  afterAll(() => pool.close());
  /** The first 60 Series 4 molecules with a Pfal IC50, read as the registry reads them (the parse job). */
  const molecules: TrainingMolecule[] = [];

  beforeAll(async () => {
    const osm = readOsmSeries4()
      .sort((a, b) => a.order - b.order)
      .slice(0, 62);
    const parsed = await pool.runMany(
      osm.map((m) => ({ smiles: m.smiles })),
      { inchi: false },
    );
    parsed.forEach((outcome, i) => {
      const morgan = outcome.ok ? recordParts(outcome.result.searchRecord)?.morgan : undefined;
      if (!outcome.ok || !morgan || morgan.length === 0) return;
      molecules.push({
        id: 1000 + i,
        idcode: outcome.result.structure.idcode,
        positions: Array.from(morgan),
        value: osm[i]!.pIC50,
        order: osm[i]!.order,
      });
    });
  }, START);

  it(
    "trains on 40 real molecules in a worker, with finite predictions and every evaluation figure",
    async () => {
      const input = { molecules: molecules.slice(0, 40), options: { seed: 1, activeThreshold: 6 } };
      const [outcome] = (await pool.call<TrainOutput>("train-model", [input])) as [WorkerOutcome<TrainOutput>];
      if (!outcome.ok) throw new Error(outcome.error.message);
      const trained = outcome.result;
      expect(trained.trainedOn).toBe(40);
      expect(trained.algorithm).toBe("knn"); // below MIN_FOREST_MOLECULES
      expect(trained.evaluation.selection.reason).toMatch(/fewer than 50/);
      for (const m of molecules.slice(40)) {
        const p = predict(trained.model, m.positions);
        expect(Number.isFinite(p.value) && Number.isFinite(p.uncertainty) && Number.isFinite(p.similarity)).toBe(true);
      }
      // Its nearest measured neighbour of a training molecule is itself, named by the id it was given.
      expect(neighbours(trained.model, molecules[3]!.positions, 1)[0]).toMatchObject({ id: molecules[3]!.id, similarity: 1 });
      const { cv, timeSplit } = trained.evaluation;
      expect(cv!.folds).toBe(5);
      expect(timeSplit!.trainedOn).toBe(32);
      for (const comparison of [cv!, timeSplit!]) {
        for (const metrics of [comparison.model, comparison.mean, comparison.nearest]) {
          expect(metrics.n).toBe(comparison === cv ? 40 : 8);
          expect(Number.isFinite(metrics.rmse) && Number.isFinite(metrics.mae)).toBe(true);
          expect(metrics.topK.k).toBe(comparison === cv ? 20 : 8);
        }
        expect(Number.isFinite(comparison.model.spearman)).toBe(true);
      }
    },
    START,
  );

  it("weighs a forest against kNN from 50 molecules, and its model survives JSON", () => {
    expect(molecules.length).toBeGreaterThanOrEqual(MIN_FOREST_MOLECULES);
    const trained = trainModel({ molecules, options: { seed: 7 } });
    const { forestRmse, knnRmse } = trained.evaluation.selection;
    expect(forestRmse).not.toBeNull();
    expect(knnRmse).not.toBeNull();
    expect(trained.algorithm).toBe(forestRmse! <= knnRmse! ? "random-forest" : "knn");
    const stored = JSON.parse(JSON.stringify(trained.model)) as typeof trained.model;
    for (const m of molecules.slice(0, 10)) expect(predict(stored, m.positions)).toEqual(predict(trained.model, m.positions));
    expect(trainModel({ molecules, options: { seed: 7 } }).model).toEqual(trained.model);
  }, 30_000); // about 2 s alone; more when the machine is shared
});
