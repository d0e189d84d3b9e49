// Types of verify.mjs for the TypeScript that imports it.
export const GENESIS: string;
export function canonicalJson(value: unknown): string;
export function linkHash(prevHash: string, kind: string, record: unknown): string;
export interface Link {
  seq: number;
  kind: string;
  recordId: number;
  prevHash: string;
  hash: string;
}
export type Verdict =
  | { ok: true; links: number; head: string }
  | { ok: false; links: number; head: string; failure: { seq: number; kind: string; recordId: number; reason: string } };
export function verifyChain(links: Iterable<Link>, recordOf: (kind: string, id: number) => unknown): Verdict;
