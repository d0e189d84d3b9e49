// Forecasts and the campaign's own models (issue 17): prediction sets sealed at submission, scored on every read
// against the measurements as they stand, and the baseline models trained on each assay's data.
import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, numeric, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { compareModes } from "../../lib/molecules/input";
import { modelAlgorithms } from "../../lib/models/algorithms";
import { campaigns } from "./campaigns";
import { oneOf } from "./columns";
import { users } from "./identity";
import { molecules } from "./registry";

/**
 * A model of one assay of a campaign, trained on the measurements as they were at `dataVersion` (a hash of the
 * training rows): one row per version, so the background training that finds a changed version trains it once across
 * processes (scheduled_runs claims it; the unique index refuses a second row).
 */
export const predictionModels = pgTable(
  "prediction_models",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** The assay as the pages label it: target and endpoint, labs pooled ("Pfal IC50"). */
    assayLabel: text("assay_label").notNull(),
    dataVersion: text("data_version").notNull(),
    algorithm: text("algorithm", { enum: modelAlgorithms }).notNull(),
    trainedOn: integer("trained_on").notNull(),
    /** Cross-validation by scaffold and the time split, with the references measured on the same splits. */
    evaluation: jsonb("evaluation").notNull(),
    /** The fitted model as plain data (lib/models), with the training molecules' fingerprints for neighbours. */
    model: jsonb("model").notNull(),
    trainedAt: timestamp("trained_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("prediction_models_version_idx").on(t.campaignId, t.assayLabel, t.dataVersion),
    index("prediction_models_latest_idx").on(t.campaignId, t.assayLabel, t.trainedAt),
    check("prediction_models_algorithm_check", oneOf(t.algorithm, modelAlgorithms)),
  ],
);
export type PredictionModel = typeof predictionModels.$inferSelect;

/**
 * A prediction set, sealed at submission: append-only (a trigger refuses UPDATE and DELETE), `hash` is SHA-256 over
 * its canonical form (lib/predictions/seal.ts) and `submittedAt` the server's time. A new version is a new set.
 * Sets of the campaign's model have `modelId` and no submitter.
 */
export const predictionSets = pgTable(
  "prediction_sets",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    assayLabel: text("assay_label").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    /** A link to the code or the method's write-up. */
    method: text("method"),
    /** The unit the values were given in: "pIC50" or a molar unit of the assay. */
    unit: text("unit").notNull(),
    submittedById: integer("submitted_by_id").references(() => users.id),
    modelId: integer("model_id").references(() => predictionModels.id),
    rowCount: integer("row_count").notNull(),
    hash: text("hash").notNull(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("prediction_sets_assay_idx").on(t.campaignId, t.assayLabel, t.submittedAt),
    uniqueIndex("prediction_sets_model_idx").on(t.modelId),
    check("prediction_sets_hash_check", sql`${t.hash} ~ '^[0-9a-f]{64}$'`),
    check("prediction_sets_author_check", sql`(${t.submittedById} is null) <> (${t.modelId} is null)`),
  ],
);
export type PredictionSet = typeof predictionSets.$inferSelect;

/**
 * One forecast: a registered molecule, or a structure not registered yet (its SMILES as given and the registry's
 * keys of it, so that a molecule registered later with the same structure is scored). Append-only with its set.
 */
export const predictionRows = pgTable(
  "prediction_rows",
  {
    setId: integer("set_id")
      .notNull()
      .references(() => predictionSets.id),
    /** The row's number as the submitter sees it (a CSV line, a JSON row from 1). */
    row: integer("row").notNull(),
    moleculeId: integer("molecule_id").references(() => molecules.id),
    smiles: text("smiles"),
    idcode: text("idcode"),
    idcodeNoStereo: text("idcode_no_stereo"),
    parentIdcode: text("parent_idcode"),
    /** As given, in the set's unit. */
    value: numeric("value", { mode: "number" }).notNull(),
    /** The value on the scale every score uses. */
    pic50: numeric("pic50", { mode: "number" }).notNull(),
    uncertainty: numeric("uncertainty", { mode: "number" }),
    rank: integer("rank"),
  },
  (t) => [
    primaryKey({ columns: [t.setId, t.row] }),
    index("prediction_rows_molecule_idx").on(t.moleculeId),
    index("prediction_rows_idcode_idx").using("hash", t.idcode),
    index("prediction_rows_idcode_no_stereo_idx").using("hash", t.idcodeNoStereo),
    index("prediction_rows_parent_idcode_idx").using("hash", t.parentIdcode),
    check("prediction_rows_subject_check", sql`(${t.moleculeId} is not null) or (${t.idcode} is not null)`),
  ],
);
export type PredictionRow = typeof predictionRows.$inferSelect;

/**
 * How a campaign scores predictions, set by its maintainers: what counts as active for the top-k hit rate, k, and
 * how a predicted structure is matched to a molecule registered later (the duplicate check's comparisons).
 */
export const predictionSettings = pgTable(
  "prediction_settings",
  {
    campaignId: integer("campaign_id")
      .primaryKey()
      .references(() => campaigns.id),
    activeThreshold: numeric("active_threshold", { mode: "number" }).notNull().default(6),
    topK: integer("top_k").notNull().default(20),
    compare: text("compare", { enum: compareModes }).notNull().default("exact"),
    updatedAt: timestamp("updated_at", { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    check("prediction_settings_compare_check", oneOf(t.compare, compareModes)),
    check("prediction_settings_top_k_check", sql`${t.topK} between 1 and 1000`),
  ],
);
export type PredictionSettings = typeof predictionSettings.$inferSelect;
