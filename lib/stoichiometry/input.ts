import { z } from "zod";
import { STRUCTURE_LIMITS } from "../chem/limits";
import { MAX_ROWS, ROLES } from "./compute";

/**
 * Reactions as an entry carries them: what the chemist entered, one zod schema for the editor, the server actions and
 * the API (`POST`/`PATCH /api/v1/entries`). Sizes are capped here, before any structure reaches a toolkit.
 */

/** Reactions one entry holds (a multi-step sequence is a few; more is a different kind of page). */
export const MAX_REACTIONS = 20;
/** A reaction SMILES holds several structures; each is still capped by STRUCTURE_LIMITS when parsed. */
export const REACTION_SMILES_MAX = 10_000;

const oneLine = (max: number) =>
  z
    .string({ error: "must be a string" })
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine((t) => !/[\u0000-\u001f]/.test(t), "must be one line of text");

const amount = (what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .refine(Number.isFinite, "must be a finite number")
    .refine((v) => v > 0, "must be more than zero")
    .refine((v) => v < 1e12, "is too large")
    .nullish()
    .meta({ description: what });

export const reactionRowInput = z.strictObject({
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` }),
  name: oneLine(200).nullish().meta({ description: "what it is, as written (a common reagent's name, e.g. NaH)" }),
  molecule: oneLine(100)
    .nullish()
    .meta({ description: "a registered molecule: its campaign ID (OSM-S-123) or an alias; its structure and MW are used" }),
  smiles: z
    .string({ error: "must be a string" })
    .trim()
    .max(STRUCTURE_LIMITS.smilesChars, `must be at most ${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")} characters`)
    .nullish()
    .meta({ description: "the structure, when the row is not a registered molecule" }),
  mw: amount("g/mol; entered for a reagent without a structure, or to override the structure's"),
  purity: z
    .number({ error: "must be a number (percent)" })
    .refine((v) => v > 0 && v <= 100, "is a percentage above 0 and at most 100")
    .nullish()
    .meta({ description: "percent (NaH 60 % in oil: 60); default 100" }),
  density: amount("g/mL, for a neat liquid measured by volume"),
  concentration: amount("mol/L, for a solution measured by volume"),
  massMg: amount("mg"),
  volumeUl: amount("µL"),
  mmol: amount("mmol"),
  equivalents: amount("relative to the reference row"),
  coefficient: amount("stoichiometric coefficient in the scheme; default 1"),
  reference: z
    .boolean({ error: "must be true or false" })
    .nullish()
    .meta({ description: "the row amounts are relative to (one per reaction; default the first reactant)" }),
  isolatedMg: amount("products: the isolated mass, mg"),
  spectrum: z
    .number({ error: "must be an attachment id" })
    .int("must be an attachment id")
    .positive("must be an attachment id")
    .nullish()
    .meta({ description: "products: an attachment of this entry holding its spectrum (JCAMP-DX)" }),
});
export type ReactionRowInput = z.infer<typeof reactionRowInput>;

export const reactionId = z
  .string({ error: "must be a string" })
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "must be 1 to 40 lowercase letters, digits and hyphens");

export const reactionInput = z.strictObject({
  id: reactionId.optional().meta({ description: "stable within the entry (r1, r2…); given to new reactions when left out" }),
  title: oneLine(200).nullish(),
  smiles: z
    .string({ error: "must be a string" })
    .trim()
    .max(REACTION_SMILES_MAX, `must be at most ${REACTION_SMILES_MAX.toLocaleString("en")} characters`)
    .nullish()
    .meta({ description: "reaction SMILES (reactants>agents>products); when rows are empty, the table is built from it" }),
  rows: z.array(reactionRowInput, { error: "must be a list of rows" }).max(MAX_ROWS, `must hold at most ${MAX_ROWS} rows`).default([]),
});
export type ReactionInput = z.input<typeof reactionInput>;
export type ParsedReactionInput = z.output<typeof reactionInput>;

export const reactionsInput = z
  .array(reactionInput, { error: "must be a list of reactions" })
  .max(MAX_REACTIONS, `must hold at most ${MAX_REACTIONS} reactions`)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((r, i) => {
      if (!r.id) return;
      if (seen.has(r.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `is used by two reactions (${r.id})` });
      seen.add(r.id);
    });
  });

/** Gives every reaction without one an id that is new in the entry (r1, r2, …). */
export function withIds<T extends { id?: string | undefined }>(reactions: readonly T[]): (T & { id: string })[] {
  const used = new Set(reactions.flatMap((r) => (r.id ? [r.id] : [])));
  let next = 1;
  return reactions.map((r) => {
    if (r.id) return r as T & { id: string };
    while (used.has(`r${next}`)) next++;
    used.add(`r${next}`);
    return { ...r, id: `r${next}` };
  });
}
