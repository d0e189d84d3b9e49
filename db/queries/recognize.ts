import { asc, inArray } from "drizzle-orm";
import { isChemError } from "@/lib/chem/errors";
import type { Box } from "@/lib/ocsr/parse";
import type { Guess } from "@/lib/ocsr/repair";
import { recognizePicture, type Recognized } from "@/lib/ocsr/recognize";
import { callSandbox, type SandboxControl } from "@/lib/sandbox/call";
import type { SafeParseResult } from "@/lib/sandbox/pool";
import type { Queryable } from "../index";
import { molecules } from "../schema";
import { moleculePath } from "./molecules/index";

/** What the chemist is shown for one structure found in a picture, before anyone registers or searches with it. */
export interface RecognizedStructure {
  /** Canonical, as the chemistry sandbox wrote it (not OSRA's raw text). */
  smiles: string;
  /** With 2D coordinates, for the structure editor. */
  molfile: string;
  formula: string;
  /** OSRA's confidence estimate (higher is better). */
  confidence: number;
  /** Variants of the picture that read this structure here, out of those that read anything here. */
  agreement: { votes: number; readings: number };
  page: number;
  box: Box;
  /** Labels OSRA could not read that were guessed (lib/ocsr/repair.ts): the chemist checks these against the picture. */
  guessed?: { asCarbon: number; leftOut: number };
  /** A registered molecule with the same structure (same idcode: stereo, charges and isotopes equal). */
  match?: { id: string; path: string };
}

export interface RecognitionAnswer {
  structures: RecognizedStructure[];
  /** "nothing recognized" when the list is empty. */
  message?: string;
  /** Pages skipped, a page the recognizer stopped on. */
  warnings: string[];
}

/** Time kept back from OSRA for reading its answers in the sandbox and matching them. */
const ANSWER_RESERVE_MS = 5_000;

/**
 * Structures in an uploaded picture or PDF (bytes as sent; the declared type is checked against them): OSRA in its
 * child processes (lib/ocsr), every SMILES it writes read in the chemistry sandbox like any untrusted structure (one
 * it cannot read is dropped), drawn as a molfile, and matched to registered molecules. Nothing is stored. Throws the
 * AppErrors of lib/ocsr/sniff.ts (413, 415, 422), a ChemError `timeout`/`crashed` when the recognizer stops on the
 * picture, and AppError `chemistry_unavailable` (503) when OSRA is not installed.
 */
export async function recognizeUpload(
  db: Queryable,
  bytes: Uint8Array,
  declaredType: string | null,
  control: SandboxControl,
): Promise<RecognitionAnswer> {
  const { found, warnings } = await readPicture(bytes, declaredType, control);
  const matches = await registeredByIdcode(db, [...new Set(found.map((f) => f.result.structure.idcode))]);
  const structures: RecognizedStructure[] = [];
  for (const { r, result } of found) {
    const molfile = await callSandbox<string>("molfile", result.structure.idcode, control);
    structures.push(answerOf(r, result, molfile, matches.get(result.structure.idcode)));
  }
  return {
    structures,
    ...(structures.length === 0 ? { message: "nothing recognized" } : {}),
    warnings,
  };
}

/** A structure found in a picture, with the chemistry sandbox's reading of it (canonical SMILES, idcode, search record). */
export interface PictureStructure {
  r: Recognized;
  result: SafeParseResult;
}

/**
 * The structures in a picture or PDF, each read in the chemistry sandbox (one it cannot read is dropped): the part
 * shared by the upload (above) and the background scan of attachments (./attachment-scans.ts).
 */
export async function readPicture(
  bytes: Uint8Array,
  declaredType: string | null,
  control: SandboxControl,
): Promise<{ found: PictureStructure[]; warnings: string[] }> {
  const parsed = new Map<string, SafeParseResult | null>();
  const canonicalize = async (smiles: string): Promise<string | null> => {
    if (!parsed.has(smiles)) parsed.set(smiles, await readInSandbox(smiles, control));
    return parsed.get(smiles)?.structure.idcode ?? null;
  };
  // Labels OSRA could not read, guessed in the sandbox; a guess that fails leaves the answer unread (dropped).
  const guess = (smiles: string) => orUnreadable(() => callSandbox<Guess | null>("ocsr-guess", smiles, control));
  const recognition = await recognizePicture(bytes, declaredType, {
    canonicalize,
    guess,
    deadline: control.deadline - ANSWER_RESERVE_MS,
    signal: control.signal,
  });
  return { found: recognition.structures.map((r) => ({ r, result: parsed.get(r.smiles)! })), warnings: recognition.warnings };
}

function answerOf(r: Recognized, result: SafeParseResult, molfile: string, match: string | undefined): RecognizedStructure {
  return {
    smiles: result.structure.smiles,
    molfile,
    formula: result.structure.formula,
    confidence: Math.round(r.confidence * 1000) / 1000,
    agreement: { votes: r.votes, readings: r.readings },
    page: r.page,
    box: r.box,
    ...(r.guessed ? { guessed: r.guessed } : {}),
    ...(match === undefined ? {} : { match: { id: match, path: moleculePath(match) } }),
  };
}

/** OSRA's SMILES read like any untrusted structure; null when it is no valid structure (or too odd to read in time). */
function readInSandbox(smiles: string, control: SandboxControl): Promise<SafeParseResult | null> {
  return orUnreadable(() => callSandbox<SafeParseResult>("parse", { smiles }, control));
}

/** A sandbox call on OSRA's text, null when the text is at fault; the client gone or the workers down still throw. */
async function orUnreadable<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if (!isChemError(error) || error.code === "aborted" || error.code === "worker_failed") throw error;
    return null;
  }
}

/** Campaign IDs of registered molecules by idcode: the first registered when several campaigns hold the structure. */
export async function registeredByIdcode(db: Queryable, idcodes: string[]): Promise<Map<string, string>> {
  if (idcodes.length === 0) return new Map();
  const rows = await db
    .select({ idcode: molecules.idcode, code: molecules.campaignCode })
    .from(molecules)
    .where(inArray(molecules.idcode, idcodes))
    .orderBy(asc(molecules.id));
  const found = new Map<string, string>();
  for (const row of rows) if (!found.has(row.idcode)) found.set(row.idcode, row.code);
  return found;
}
