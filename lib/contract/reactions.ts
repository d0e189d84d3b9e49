import { z } from "zod";
import { reactionRowInput } from "../stoichiometry/input";
import type { StoredReaction } from "../stoichiometry/reaction";

// Reactions in entries as the API answers them: the rows as entered (a registered molecule's row with its SMILES and
// formula), and the table computed when the revision was saved.

const figure = z.number().nullable();

const ComputedRow = z
  .object({
    mw: figure.meta({ description: "g/mol" }),
    mmol: figure,
    massMg: figure,
    volumeUl: figure,
    equivalents: figure,
    entered: z.array(z.enum(["mw", "mmol", "massMg", "volumeUl", "equivalents"])).meta({ description: "cells the chemist entered (measured) rather than computed" }),
    theoreticalMmol: figure.optional().meta({ description: "products" }),
    theoreticalMg: figure.optional().meta({ description: "products" }),
    yieldPercent: figure.optional().meta({ description: "products, from the isolated mass" }),
  })
  .meta({ id: "ReactionComputedRow" });

export const ReactionRow = reactionRowInput
  .extend({ formula: z.string().optional().meta({ description: "of the row's structure" }) })
  .meta({ id: "ReactionRow" });

export const Reaction = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    smiles: z.string().nullable().meta({ description: "reaction SMILES of the scheme, as entered" }),
    rows: z.array(ReactionRow),
    computed: z.object({
      rows: z.array(ComputedRow).meta({ description: "per row, in the same order" }),
      reaction: z.object({
        atomEconomyPercent: figure,
        massEfficiencyPercent: figure,
        solventVolumeMl: figure,
        referenceConcentrationM: figure.meta({ description: "mol/L of the reference row in the total solvent volume" }),
      }),
    }),
  })
  .meta({ id: "Reaction" });
export type ReactionBody = z.input<typeof Reaction>;

/** A stored reaction as the API shows it: the resolved structure's SMILES and formula on its row, nothing internal. */
export function reactionJson(reaction: StoredReaction): ReactionBody {
  return {
    id: reaction.id,
    title: reaction.title,
    smiles: reaction.smiles,
    rows: reaction.rows.map(({ structure, ...row }) => ({
      ...row,
      ...(structure ? { smiles: row.smiles ?? structure.smiles, formula: structure.formula } : {}),
    })),
    computed: reaction.computed,
  };
}
