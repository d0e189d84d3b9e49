// What a citation of something in the notebook says, whatever the format it is written in (lib/cite/bibtex.ts, ris.ts,
// csl.ts, text.ts). Built from an entry, a wiki page, a molecule or a campaign by lib/cite/build.ts; plain data.
import type { License } from "../campaigns/licenses";

/** A person as the notebook knows them: a login always, a display name when they gave one. */
export interface Person {
  login: string;
  name: string | null;
}

export type CitedKind = "entry" | "page" | "molecule" | "campaign";

export interface Citation {
  kind: CitedKind;
  /** A citation key: ASCII letters, digits, "-", "_" and ":" only (BibTeX keys, CSL ids, RIS IDs). */
  key: string;
  title: string;
  authors: Person[];
  /** When the cited text was published (a revision's time, a registration's), YYYY-MM-DD in UTC. */
  issued: string;
  /** The day the citation was made, YYYY-MM-DD in UTC (the notebook is a living record). */
  accessed: string;
  /** The stable address of what is cited: for an entry, the page of the revision cited. */
  url: string;
  /** The revision cited (entries and wiki pages). */
  revision?: number;
  /** The page that always shows the newest revision, when `url` is a revision's. */
  latestUrl?: string;
  /** The campaign it belongs to: the container of everything else, or the campaign itself. */
  container: { title: string; url: string };
  /** The notebook (site name). */
  publisher: string;
  license: License;
  /** What kind of record, in words: "Lab notebook entry", "Molecule record". */
  genre: string;
}

/** "Ada Lovelace" → given "Ada", family "Lovelace"; "Lovelace, Ada" likewise; one word (or a login) stays whole. */
export function splitName(person: Person): { family: string; given: string } | { literal: string } {
  const name = (person.name ?? "").replace(/\s+/g, " ").trim();
  if (name === "") return { literal: person.login };
  const comma = name.indexOf(",");
  if (comma > 0 && comma < name.length - 1) {
    return { family: name.slice(0, comma).trim(), given: name.slice(comma + 1).trim() };
  }
  const words = name.split(" ");
  if (words.length < 2) return { literal: name };
  return { family: words[words.length - 1]!, given: words.slice(0, -1).join(" ") };
}

/** Distinct people, in order of first appearance (the same login twice is one author). */
export function distinctPeople(people: readonly Person[]): Person[] {
  const seen = new Map<string, Person>();
  for (const p of people) if (!seen.has(p.login.toLowerCase())) seen.set(p.login.toLowerCase(), p);
  return [...seen.values()];
}

/** A citation key from parts: accents dropped (é → e), anything else but ASCII letters and digits becomes "-". */
export function citationKey(...parts: (string | number)[]): string {
  return (
    parts
      .map((p) =>
        String(p)
          .normalize("NFKD")
          .replace(/[\u0300-\u036f]/g, "")
          .replace(/[^A-Za-z0-9]+/g, "-")
          .replace(/^-+|-+$/g, ""),
      )
      .filter((p) => p !== "")
      .join("_") || "notebook"
  );
}

/** YYYY-MM-DD of a time, in UTC. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** [year, month, day] of a YYYY-MM-DD date. */
export function dateParts(day: string): [number, number, number] {
  const [y, m, d] = day.split("-").map(Number);
  return [y!, m!, d!];
}
