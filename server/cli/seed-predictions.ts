import { eq } from "drizzle-orm";
import type { Db } from "@/db/index";
import { requireCampaign } from "@/db/queries/campaigns";
import { addMeasurement } from "@/db/queries/measurements";
import { registerMolecule } from "@/db/queries/molecules";
import { importSheet } from "@/db/queries/molecules/imports";
import { assayResults, setScoringSettings } from "@/db/queries/prediction-data";
import { submitPredictions } from "@/db/queries/predictions";
import { molecules } from "@/db/schema";
import { importInput } from "@/lib/contract/imports";
import { measurementInput, registerMoleculeInput } from "@/lib/contract/molecules";
import { scoringSettingsInput } from "@/lib/contract/predictions";
import {
  osmForecastResults,
  osmForecastSheet,
  osmForecastUnit,
  osmForecastUnregistered,
  type OsmForecastResult,
} from "@/lib/demo/osm-predictions";
import { nearest } from "@/lib/models/knn";
import { predictionSetDetails } from "@/lib/predictions/input";
import { observedValue } from "@/lib/predictions/observed";
import { fromPic50 } from "@/lib/predictions/units";
import { safeParseMany } from "@/lib/sandbox/pool";
import { recordParts } from "@/lib/search/record";
import { parseInput } from "@/lib/validation";

// The demo's forecasting round, as Open Source Malaria lived it: compounds made but not tested, forecasts sent for
// them (and for one compound by its SMILES, before anyone registered it), then the results, which score the
// forecasts on the scoreboard. Every step goes through the use case a person's request would reach. The forecasts
// are computed here from the campaign's measured compounds by the methods their descriptions state.

const ASSAY = "Pfal IC50";
const NEIGHBOURS = 5;

interface Person {
  id: number;
  login: string;
}

/** A compound to forecast: a registered ID or a SMILES, with what the methods read of its structure. */
interface Compound {
  molecule: string | null;
  smiles: string | null;
  morgan: Uint16Array;
}

interface Measured {
  morgan: Uint16Array;
  pic50: number;
}

/** Runs after the demo's molecules and entries are in (server/cli/seed.ts). */
export async function seedPredictions(db: Db, people: ReadonlyMap<string, Person>, slug: string): Promise<void> {
  const maintainer = person(people, "ada-bench");
  const chemist = person(people, "ben-synth");
  // OSM counted the actives among a forecast's top 20; with 15 compounds scored here that would be all of them.
  await setScoringSettings(db, maintainer, slug, parseInput(scoringSettingsInput, { topK: 5 }));
  const imported = await importSheet(db, chemist, slug, parseInput(importInput, { format: "tsv", text: osmForecastSheet }));
  if (imported.failed > 0) console.warn(`Demo forecast molecules: ${imported.failed} rows failed`, imported.errors.slice(0, 5));

  const { measured, made } = await compounds(db, slug);
  const forecast = [...made, await unregistered()];
  const neighbours = (c: Compound) => {
    const close = nearest(
      c.morgan,
      measured.map((m) => m.morgan),
      NEIGHBOURS,
    ).filter((n) => n.similarity > 0);
    if (close.length === 0) return mean(measured.map((m) => m.pic50));
    return close.reduce((sum, n) => sum + n.similarity * measured[n.index]!.pic50, 0) / close.reduce((sum, n) => sum + n.similarity, 0);
  };
  await submit(db, chemist, slug, forecast, neighbours, {
    name: "Nearest analogues (ben-synth)",
    method: "https://en.wikipedia.org/wiki/K-nearest_neighbors_algorithm",
    description:
      `Nearest neighbours by Tanimoto on Morgan fingerprints (radius 2, 2048 bits) of the ${measured.length} measured compounds, ` +
      `weighted by similarity: each forecast is the similarity-weighted mean pIC50 of the ${NEIGHBOURS} most similar ones ` +
      "(replicates averaged; an inactive compound's bound, such as > 10 µM, taken at the bound).",
  });
  const average = mean(measured.map((m) => m.pic50));
  await submit(db, maintainer, slug, forecast, () => average, {
    name: "Series mean (ada-bench)",
    description:
      `Every compound forecast at the mean pIC50 of the ${measured.length} measured compounds, ${average.toFixed(2)} (replicates ` +
      "averaged; an inactive compound's bound taken at the bound): the reference a method has to beat. It cannot rank " +
      "compounds, so it has no Spearman ρ.",
  });

  // The results come back after the forecasts were sealed: only results recorded after a submission score it.
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (const result of osmForecastResults) await addResult(db, maintainer, result);
  // Made after all, and registered under its OSM ID: its structure equals the SMILES forecast, which is scored.
  await registerMolecule(
    db,
    chemist,
    parseInput(registerMoleculeInput, {
      campaign: slug,
      smiles: osmForecastUnregistered.smiles,
      id: osmForecastUnregistered.id,
      series: "4",
    }),
  );
  for (const result of osmForecastUnregistered.results) await addResult(db, maintainer, result);
}

function person(people: ReadonlyMap<string, Person>, login: string): Person {
  const found = people.get(login);
  if (!found) throw new Error(`The demo has no ${login}`);
  return found;
}

/** The campaign's measured compounds (what the methods learn from) and the just-made ones (what they forecast). */
async function compounds(db: Db, slug: string): Promise<{ measured: Measured[]; made: Compound[] }> {
  const campaign = await requireCampaign(db, slug);
  const [rows, results] = await Promise.all([
    db
      .select({ id: molecules.id, code: molecules.campaignCode, record: molecules.searchRecord })
      .from(molecules)
      .where(eq(molecules.campaignId, campaign.id)),
    assayResults(db, campaign.id, ASSAY, null),
  ]);
  const codes = new Set(
    osmForecastSheet
      .split("\n")
      .slice(1)
      .map((line) => line.split("\t")[0]!),
  );
  const measured: Measured[] = [];
  const made: Compound[] = [];
  for (const row of rows) {
    const morgan = recordParts(row.record)?.morgan;
    if (!morgan) throw new Error(`${row.code} has no search record`);
    const observed = observedValue(ASSAY, results.get(row.id) ?? []);
    if (observed !== null) measured.push({ morgan, pic50: observed.pic50 });
    else if (codes.has(row.code)) made.push({ molecule: row.code, smiles: null, morgan });
  }
  return { measured, made: made.sort((a, b) => a.molecule!.localeCompare(b.molecule!, "en", { numeric: true })) };
}

/** The compound forecast by its SMILES, read in the chemistry sandbox as the submission itself reads it. */
async function unregistered(): Promise<Compound> {
  const { smiles } = osmForecastUnregistered;
  const [outcome] = await safeParseMany([{ smiles }], { inchi: false });
  if (!outcome?.ok) throw new Error(`The demo's SMILES ${smiles} cannot be read`);
  const morgan = recordParts(outcome.result.searchRecord)?.morgan;
  if (!morgan) throw new Error(`The demo's SMILES ${smiles} has no fingerprint`);
  return { molecule: null, smiles, morgan };
}

/** One forecast per compound, in µM as the assay's results are, sent as the CSV a person would upload. */
async function submit(
  db: Db,
  actor: Person,
  slug: string,
  forecast: readonly Compound[],
  pic50: (c: Compound) => number,
  details: { name: string; description: string; method?: string },
): Promise<void> {
  const rows = forecast.map((c) => `${c.molecule ?? ""},${c.smiles ?? ""},${Number(fromPic50(pic50(c), osmForecastUnit)!.toPrecision(3))}`);
  await submitPredictions(db, actor, {
    campaign: slug,
    assay: ASSAY,
    details: parseInput(predictionSetDetails, { ...details, unit: osmForecastUnit, confirm: false }),
    source: { csv: ["molecule,smiles,value", ...rows].join("\n") },
  });
}

async function addResult(db: Db, actor: Person, r: OsmForecastResult): Promise<void> {
  const [target, assay] = ASSAY.split(" ") as [string, string];
  await addMeasurement(
    db,
    actor,
    r.molecule,
    parseInput(measurementInput, { assay, target, lab: r.lab, value: r.value, unit: osmForecastUnit, qualifier: r.qualifier }),
  );
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
