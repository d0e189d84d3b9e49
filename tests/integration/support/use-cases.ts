// The use cases as a route or a server action calls them: the input checked at the boundary with its contract schema
// (lib/contract), then handed, parsed, to the use case in db/queries. Tests call these with the loosely typed input a
// client sends, so they keep exercising the validation and the use case together. Async, so a refusal at the
// boundary is a rejected promise like any other.
import type { z } from "zod";
import type { Db, Queryable } from "@/db/index";
import * as campaigns from "@/db/queries/campaigns";
import * as entries from "@/db/queries/entries";
import * as measurements from "@/db/queries/measurements";
import * as molecules from "@/db/queries/molecules";
import * as imports from "@/db/queries/molecules/imports";
import * as registry from "@/db/queries/molecules/registry";
import * as search from "@/db/queries/molecules/search";
import * as table from "@/db/queries/molecules/table";
import * as todos from "@/db/queries/todos";
import * as predictions from "@/db/queries/predictions";
import * as predictionData from "@/db/queries/prediction-data";
import { scoringSettingsInput } from "@/lib/contract/predictions";
import { predictionSetDetails, submitPredictionsJson } from "@/lib/predictions/input";
import type { Actor } from "@/lib/auth/policy";
import { createCampaignInput, memberInput } from "@/lib/contract/campaigns";
import { createEntryInput, updateEntryInput } from "@/lib/contract/entries";
import { importInput } from "@/lib/contract/imports";
import {
  listMoleculesQuery,
  measurementInput,
  moleculeTableQuery,
  parkInput,
  registerMoleculeInput,
  registrySettingsInput,
} from "@/lib/contract/molecules";
import { searchQuery } from "@/lib/contract/search";
import { connectionSchema, createTodoSchema, updateTodoSchema } from "@/lib/github/input";
import { requireActor } from "@/lib/auth/policy";
import type { TodoFields } from "@/lib/github/model";
import { parseInput } from "@/lib/validation";

/** What a client may send for a schema: its input shape, loosely (tests send wrong types on purpose). */
type Sent<S extends z.ZodType> = Partial<Record<keyof z.input<S> & string, unknown>> & Record<string, unknown>;

/** Writes check the caller before the body, as the API wrapper does (a 401 is not hidden behind a 422). */
function signedIn<S extends z.ZodType>(actor: Actor, schema: S, input: unknown): z.output<S> {
  requireActor(actor);
  return parseInput(schema, input);
}

export const createCampaign = async (db: Queryable, actor: Actor, input: Sent<typeof createCampaignInput>) =>
  campaigns.createCampaign(db, actor, signedIn(actor, createCampaignInput, input));
export const setMember = async (db: Queryable, actor: Actor, slug: string, input: Sent<typeof memberInput>) =>
  campaigns.setMember(db, actor, slug, signedIn(actor, memberInput, input));

export const createEntry = async (db: Queryable, actor: Actor, input: Sent<typeof createEntryInput>) =>
  entries.createEntry(db, actor, signedIn(actor, createEntryInput, input));
export const updateEntry = async (db: Queryable, actor: Actor, id: number, input: Sent<typeof updateEntryInput>) =>
  entries.updateEntry(db, actor, id, signedIn(actor, updateEntryInput, input));

export const registerMolecule = async (db: Queryable, actor: Actor, input: Sent<typeof registerMoleculeInput>) =>
  molecules.registerMolecule(db, actor, signedIn(actor, registerMoleculeInput, input));
export const parkMolecule = async (db: Queryable, actor: Actor, key: string, input: Sent<typeof parkInput>) =>
  molecules.parkMolecule(db, actor, key, signedIn(actor, parkInput, input));
export const listMolecules = async (db: Queryable, query: Sent<typeof listMoleculesQuery> = {}) =>
  molecules.listMolecules(db, parseInput(listMoleculesQuery, query));
export const addMeasurement = async (db: Queryable, actor: Actor, key: string | number, input: Sent<typeof measurementInput>) =>
  measurements.addMeasurement(db, actor, key, signedIn(actor, measurementInput, input));
export const setRegistrySettings = async (db: Queryable, actor: Actor, slug: string, input: Sent<typeof registrySettingsInput>) =>
  registry.setRegistrySettings(db, actor, slug, signedIn(actor, registrySettingsInput, input));
export const importSheet = async (db: Queryable, actor: Actor, slug: string, input: Sent<typeof importInput>, options?: imports.ImportOptions) =>
  imports.importSheet(db, actor, slug, signedIn(actor, importInput, input), options);
export const moleculeTable = async (db: Queryable, slug: string, query: Record<string, unknown> = {}) =>
  table.moleculeTable(db, slug, parseInput(moleculeTableQuery, query));
export const searchMolecules = async (db: Db, query: Record<string, unknown>, control?: Parameters<typeof search.searchMolecules>[2]) =>
  search.searchMolecules(db, parseInput(searchQuery, query), control);

export const connectRepository = async (db: Queryable, actor: Actor, slug: string, input: Sent<typeof connectionSchema>) =>
  todos.connectRepository(db, actor, slug, signedIn(actor, connectionSchema, input));
export const createTodo = async (db: Queryable, actor: Actor, slug: string, input: Sent<typeof createTodoSchema>) =>
  todos.createTodo(db, actor, slug, signedIn(actor, createTodoSchema, input));
export const updateTodo = async (db: Queryable, actor: Actor, id: number, input: Sent<typeof updateTodoSchema>, seen?: Partial<TodoFields>) =>
  todos.updateTodo(db, actor, id, parseInput(updateTodoSchema, input), seen);

/** A prediction set as the API route reads it: the JSON body's details and rows, or a CSV with the details apart. */
export const submitPredictions = async (
  db: Queryable,
  actor: Actor,
  input: { campaign: string; assay?: string; details: Sent<typeof predictionSetDetails>; csv?: string; rows?: unknown[] },
) => {
  requireActor(actor);
  const details = parseInput(predictionSetDetails, input.details);
  const source = input.csv !== undefined ? { csv: input.csv } : { rows: parseInput(submitPredictionsJson, { ...input.details, rows: input.rows }).rows };
  return predictions.submitPredictions(db, actor, { campaign: input.campaign, assay: input.assay, details, source });
};
export const setScoringSettings = async (db: Queryable, actor: Actor, slug: string, input: Sent<typeof scoringSettingsInput>) =>
  predictionData.setScoringSettings(db, actor, slug, signedIn(actor, scoringSettingsInput, input));
