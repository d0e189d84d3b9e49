import { canonicalJson, GENESIS, linkHash, verifyChain } from "./verify.mjs";
import type { ChainKind } from "./model";

// A campaign's verifiable history (issue 16): every revision, molecule registration, measurement and prediction set
// (issue 17) is sealed into
// a hash chain shortly after it is written (db/queries/integrity.ts). What a link covers of each record is fixed
// here — the fields that never change once written — so that a record changed directly in the database no longer
// hashes to its link. Molecules keep their identity (IDs, structure, who and when); their status (parked or active)
// is a later decision, not part of the registration.

export { canonicalJson, GENESIS, linkHash, verifyChain };

export interface ChainLinkView {
  seq: number;
  kind: ChainKind;
  recordId: number;
  prevHash: string;
  hash: string;
}

export interface SealedRevision {
  id: number;
  entryId: number;
  number: number;
  authorId: number;
  title: string;
  body: string;
  reactions: unknown;
  message: string | null;
  createdAt: Date;
}

export interface SealedMolecule {
  id: number;
  campaignCode: string;
  inputSmiles: string | null;
  smiles: string;
  molfile: string | null;
  formula: string;
  inchikey: string | null;
  registeredById: number;
  createdAt: Date;
}

export interface SealedMeasurement {
  id: number;
  moleculeId: number;
  assay: string;
  target: string | null;
  lab: string | null;
  value: number;
  unit: string | null;
  qualifier: string;
  measuredOn: string | null;
  entryId: number | null;
  addedById: number;
  createdAt: Date;
}

/** A prediction set as sealed at submission; its rows are covered by `hash` (lib/predictions/seal.ts). */
export interface SealedPredictionSet {
  id: number;
  assayLabel: string;
  name: string;
  description: string | null;
  method: string | null;
  unit: string;
  submittedById: number | null;
  modelId: number | null;
  rowCount: number;
  hash: string;
  submittedAt: Date;
}

export type SealedRecord =
  | { kind: "revision"; record: SealedRevision }
  | { kind: "molecule"; record: SealedMolecule }
  | { kind: "measurement"; record: SealedMeasurement }
  | { kind: "prediction"; record: SealedPredictionSet };

const timeOf = (r: SealedRecord): number => ("submittedAt" in r.record ? r.record.submittedAt : r.record.createdAt).getTime();

/** The records of one campaign to seal, oldest first (ties: revisions, molecules, measurements, predictions, then by id). */
export function sealingOrder(records: SealedRecord[]): SealedRecord[] {
  const rank = { revision: 0, molecule: 1, measurement: 2, prediction: 3 } as const;
  return [...records].sort((a, b) => timeOf(a) - timeOf(b) || rank[a.kind] - rank[b.kind] || a.record.id - b.record.id);
}

/** The links that seal `records` after a chain whose last link is `head` (seq and hash; seq 0 and GENESIS when empty). */
export function sealLinks(head: { seq: number; hash: string }, records: SealedRecord[]): ChainLinkView[] {
  const links: ChainLinkView[] = [];
  let prev = head;
  for (const { kind, record } of sealingOrder(records)) {
    const hash = linkHash(prev.hash, kind, record);
    links.push({ seq: prev.seq + 1, kind, recordId: record.id, prevHash: prev.hash, hash });
    prev = { seq: prev.seq + 1, hash };
  }
  return links;
}
