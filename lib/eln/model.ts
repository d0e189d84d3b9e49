/**
 * .eln archives (The ELN Consortium's format: a zip with one root folder holding an RO-Crate 1.1
 * `ro-crate-metadata.json`): the caps every archive is read under, the error an archive that cannot be read gets,
 * and the plain data an archive is read into. Free of the database, React and Next, so that the sandbox worker that
 * reads untrusted archives (lib/sandbox/jobs.ts, job "eln") and the server share it.
 */

export const ELN_LIMITS = {
  /**
   * Bytes of an archive as uploaded (the request body): refused by Content-Length and again while the body is read.
   * 200 MB holds a campaign's entries with a hundred spectra and pictures; more is better moved as several archives.
   */
  archiveBytes: 200 * 1024 * 1024,
  /** Members (files and folders) one archive may list; the consortium's own checks use the same number. */
  members: 10_000,
  /** Uncompressed bytes of all members together, as declared, and as actually inflated. */
  totalBytes: 256 * 1024 * 1024,
  /** Uncompressed bytes of one member: a larger one refuses the archive before anything is inflated. */
  memberBytes: 64 * 1024 * 1024,
  /** Bytes of `ro-crate-metadata.json`, and nodes of its `@graph`. */
  metadataBytes: 16 * 1024 * 1024,
  graphNodes: 200_000,
  /** Experiments (Datasets) imported from one archive. */
  datasets: 2_000,
  /** Characters of one experiment's HTML text converted to markdown (more is cut, and the report says so). */
  htmlChars: 2_000_000,
  /** Milliseconds the sandbox may spend reading one archive before its worker is killed. */
  timeoutMs: 60_000,
} as const;

/** Why an archive is refused as a whole. `too_large` is a 413; every other code a 422. */
export type ElnErrorCode =
  | "too_large"
  | "not_zip"
  | "unsafe_path"
  | "zip_bomb"
  | "encrypted"
  | "unsupported"
  | "no_root_folder"
  | "no_metadata"
  | "bad_metadata"
  | "hash_mismatch";

/** An archive that cannot be imported, and why, in words a person can act on. Recognized by its name and code. */
export class ElnError extends Error {
  readonly code: ElnErrorCode;

  constructor(code: ElnErrorCode, message: string) {
    super(message);
    this.name = "ElnError";
    this.code = code;
  }
}

export function isElnError(error: unknown): error is ElnError {
  const e = error as { name?: unknown; code?: unknown } | null;
  return typeof e === "object" && e !== null && e.name === "ElnError" && typeof e.code === "string";
}

/** A file of an experiment, its bytes read and its SHA-256 checked against the crate's. */
export interface ElnFile {
  /** The File node's @id. */
  id: string;
  /** Its path inside the root folder. */
  path: string;
  name: string;
  encodingFormat: string | null;
  description: string | null;
  sha256: string;
  data: Uint8Array;
}

/** A comment on an experiment, as the archive gives it. */
export interface ElnComment {
  author: string | null;
  date: string | null;
  text: string;
}

/** One experiment (a Dataset the root lists) as the notebook will store it. */
export interface ElnDataset {
  id: string;
  title: string;
  /** Markdown: as given when the archive's text is markdown, converted when it is HTML. */
  body: string;
  /** As the archive writes them (shown in the entry's first line), and the day the work was done (YYYY-MM-DD). */
  dateCreated: string | null;
  dateModified: string | null;
  workDate: string | null;
  author: string | null;
  keywords: string[];
  url: string | null;
  comments: ElnComment[];
  files: ElnFile[];
  /** Reaction blocks as entered (lib/stoichiometry/input.ts ReactionInput, checked by the server). */
  reactions: unknown[];
  /** Structured values we do not store as such, kept in the body as a table. */
  properties: { name: string; value: string; unit: string | null }[];
}

export interface ElnMeasurement {
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: "=" | "<" | ">";
  measuredOn: string | null;
  /** The @id of the experiment that reports it. */
  dataset: string | null;
}

/** A structure the archive names (a MolecularEntity, or a product of a reaction), to register in the campaign. */
export interface ElnMolecule {
  /** The node's @id (or where it was found). */
  id: string;
  /** Its campaign ID in the notebook it came from (`identifier`). */
  code: string | null;
  name: string | null;
  aliases: string[];
  series: string | null;
  smiles: string | null;
  molfile: string | null;
  inchiKey: string | null;
  measurements: ElnMeasurement[];
}

/** Something of the archive that was not imported, and why. */
export interface ElnSkip {
  /** The node's @id or the member's path. */
  item: string;
  reason: string;
}

/** An archive read: everything the import stores, and the report of what it could not map. */
export interface ElnPackage {
  root: string;
  /** The notebook that wrote it ("eLabFTW 5.3.0-alpha6"), from the crate's publisher and CreateAction. */
  source: string;
  /** Written by this notebook: text is markdown, molecules, measurements and reactions are ours. */
  ours: boolean;
  license: string | null;
  datasets: ElnDataset[];
  molecules: ElnMolecule[];
  skipped: ElnSkip[];
}
