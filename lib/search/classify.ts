import { SmilesParser } from "openchemlib";

import { parseSubstructureQuery } from "./query";

/**
 * What the header search box was given, so one box serves everything: an InChIKey, a structure (SMILES or SMARTS), or
 * words (which may also be a molecule ID or alias: the caller looks those up first).
 *
 * A structure is text without spaces that OpenChemLib reads and that carries SMILES syntax a word never has (bonds,
 * branches, rings, brackets, aromatic atoms, charges), or that is made only of organic-subset element symbols and at
 * least three long (CCO, CCN). Plain words ("amide", "coupling", "DMSO") stay words.
 */
export type HeaderQueryKind = "inchikey" | "structure" | "text";

const INCHIKEY = /^[A-Z]{14}-[A-Z]{10}-[A-Z]$/;
const SMILES_SYNTAX = /[=#()[\]@%+\\/]|\d|^[cnos]|[a-z][cnos]?[0-9]/;
const ORGANIC_ONLY = /^(Cl|Br|[BCNOSPFI])+$/;

/** The part of the decision that needs no toolkit: "structure?" when only reading the text can tell. */
export function classifyByPattern(raw: string): HeaderQueryKind | "structure?" {
  const text = raw.trim();
  if (INCHIKEY.test(text)) return "inchikey";
  if (text === "" || /\s/.test(text) || text.length > 2000) return "text";
  if (!SMILES_SYNTAX.test(text) && !(ORGANIC_ONLY.test(text) && text.length >= 3)) return "text";
  return "structure?";
}

export function classifyHeaderQuery(raw: string): HeaderQueryKind {
  const text = raw.trim();
  const guess = classifyByPattern(text);
  if (guess !== "structure?") return guess;
  try {
    const mol = new SmilesParser({ smartsMode: "guess" }).parseMolecule(text, { noCoordinates: true });
    if (mol.getAllAtoms() > 0) return "structure";
  } catch {
    // not SMILES as OpenChemLib reads it; maybe SMARTS with atoms only our reader knows ([a], [N;!+])
  }
  try {
    parseSubstructureQuery(text);
    return "structure";
  } catch {
    return "text";
  }
}
