/**
 * How much of the work one structure gets in bench:import's ladder (import-design.ts workLadder): each level adds to
 * the one before. "cartridge" is the work the RDKit cartridge does in its part of the benchmark (canonical SMILES,
 * InChIKey, Morgan bits); "keys" adds the no-stereo and parent keys; "search" the search graph and record;
 * "properties" OpenChemLib's properties, which makes everything the design's import stores.
 */
export const LEVELS = ["cartridge", "keys", "search", "properties"] as const;
export type Level = (typeof LEVELS)[number];
