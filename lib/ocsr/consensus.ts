import type { Box, OsraStructure } from "./parse";
import type { Guess } from "./repair";

/**
 * Choosing among OSRA's answers on several variants of one picture: an answer with labels OSRA could not read (`*`)
 * has them guessed (repair.ts) when a `guess` is given, answers that no toolkit accepts are dropped, the rest are
 * grouped by where they are in the picture, and in each place the structure read the same way from the most variants
 * wins (then OSRA's confidence), an answer resting on guesses only where nothing was read without them. One variant
 * misreading an atom label loses to two reading it alike.
 */

export interface Candidate extends OsraStructure {
  /** The variant it was read from (a place counts each variant's vote once). */
  variant: string;
}

export interface Recognized {
  /** As OSRA wrote it (the caller canonicalizes it in the sandbox). */
  smiles: string;
  /** The canonical key the votes were counted by. */
  key: string;
  confidence: number;
  page: number;
  /** In the original picture's pixels (for a PDF, of the page rasterized at pdf.ts's resolution). */
  box: Box;
  /** Variants that read this structure here, out of `readings` that read anything here. */
  votes: number;
  readings: number;
  /** Labels OSRA could not read, guessed (repair.ts): present only when the structure rests on such guesses. */
  guessed?: { asCarbon: number; leftOut: number };
}

type Member = Candidate & { key: string; guessed?: { asCarbon: number; leftOut: number } };

interface Place {
  page: number;
  box: Box;
  members: Member[];
}

/** Boxes overlapping by at least this share of the smaller one are the same place. */
const SAME_PLACE = 0.5;

export async function consensus(
  candidates: readonly Candidate[],
  canonicalize: (smiles: string) => Promise<string | null>,
  guess?: (smiles: string) => Promise<Guess | null>,
): Promise<Recognized[]> {
  const guesses = new Map<string, Guess | null>();
  const read: (Candidate & { guessed?: Member["guessed"] })[] = [];
  for (const c of candidates) {
    if (!guess || !c.smiles.includes("*")) {
      read.push(c);
      continue;
    }
    if (!guesses.has(c.smiles)) guesses.set(c.smiles, await guess(c.smiles));
    const g = guesses.get(c.smiles);
    read.push(g ? { ...c, smiles: g.smiles, guessed: { asCarbon: g.asCarbon, leftOut: g.leftOut } } : c);
  }
  const keys = new Map<string, string | null>();
  for (const c of read) {
    if (!keys.has(c.smiles)) keys.set(c.smiles, await canonicalize(c.smiles));
  }
  const valid = read
    .map((c) => ({ ...c, key: keys.get(c.smiles) ?? null }))
    .filter((c): c is Member => c.key !== null)
    .sort((a, b) => b.confidence - a.confidence);
  const places: Place[] = [];
  for (const c of valid) {
    const place = places.find((p) => p.page === c.page && overlap(p.box, c.box) >= SAME_PLACE);
    if (place) place.members.push(c);
    else places.push({ page: c.page, box: c.box, members: [c] });
  }
  return places.map(decide).sort((a, b) => a.page - b.page || a.box.y - b.box.y || a.box.x - b.box.x);
}

/** An answer resting on labels OSRA could not read: guessed, or still `*` (when nothing guessed). */
const unsure = (m: Member) => m.guessed !== undefined || m.smiles.includes("*");

function decide(place: Place): Recognized {
  const byKey = new Map<string, Member[]>();
  for (const m of place.members) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const readings = new Set(place.members.map((m) => m.variant)).size;
  const ranked = [...byKey.values()]
    .map((group) => ({
      group,
      votes: new Set(group.map((m) => m.variant)).size,
      unreadable: group.every(unsure),
      confidence: Math.max(...group.map((m) => m.confidence)),
    }))
    // A reading that rests on guesses only counts where nothing was read without them: guesses agree with each other
    // more often than they are right (measured by bench:ocsr on RDKit's drawings, where they outvoted plain readings).
    .sort((a, b) => Number(a.unreadable) - Number(b.unreadable) || b.votes - a.votes || b.confidence - a.confidence);
  const best = ranked[0]!;
  // The group's most confident reading, one read without guessing if there is one.
  const top = best.group.reduce((a, b) => ((Number(unsure(a)) - Number(unsure(b)) || b.confidence - a.confidence) > 0 ? b : a));
  return {
    smiles: top.smiles,
    key: top.key,
    confidence: top.confidence,
    page: top.page,
    box: top.box,
    votes: best.votes,
    readings,
    ...(top.guessed ? { guessed: top.guessed } : {}),
  };
}

/** Intersection over the smaller box's area (0 when either box is empty). */
export function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const smaller = Math.min(a.width * a.height, b.width * b.height);
  return w <= 0 || h <= 0 || smaller <= 0 ? 0 : (w * h) / smaller;
}
