/** The vocabulary of the molecule registry. The database schema takes its enums and checks from here. */

/** A registered molecule is worked on, or parked (kept, with its ID, but set aside with a reason). */
export const moleculeStatuses = ["active", "parked"] as const;
export type MoleculeStatus = (typeof moleculeStatuses)[number];

/** How a measured value is bounded: exactly, or below / above what the assay could tell (">10 µM"). */
export const qualifiers = ["=", "<", ">"] as const;
export type Qualifier = (typeof qualifiers)[number];
