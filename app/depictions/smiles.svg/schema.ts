import { z } from "zod";
import { STRUCTURE_LIMITS } from "@/lib/chem/limits";
import { depictionQuery } from "../[code]/[format]/schema";

/**
 * Structures with more heavy atoms than this are not drawn here. The SMILES is read in the sandbox, but the drawing
 * is made in the server's process from the idcode the sandbox returned, and its time grows with the atoms (about
 * 0.1 s at 150, 5 s for a 2,000-atom chain): anyone can ask for any SMILES, so the server's share stays small.
 */
export const SMILES_DRAWING_MAX_HEAVY_ATOMS = 150;

/** /depictions/smiles.svg?s=<SMILES>&w=&h=: the SMILES (cut at the structure cap before anything reads it) and a size. */
export const smilesImageQuery = z
  .object({
    s: z
      .string({ error: "give the SMILES to draw" })
      .trim()
      .min(1, "give the SMILES to draw")
      .max(STRUCTURE_LIMITS.smilesChars, `must be at most ${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")} characters`),
  })
  .and(depictionQuery);
export type SmilesImageQuery = z.output<typeof smilesImageQuery>;
