import { diffLines, diffWordsWithSpace } from "diff";

export type DiffLine = { kind: "same" | "added" | "removed"; text: string; oldNumber?: number; newNumber?: number };

export interface EntryDiff {
  title: { kind: "same" | "added" | "removed"; text: string }[];
  lines: DiffLine[];
  added: number;
  removed: number;
}

/** A line diff of two revisions' bodies (word diff for the title), with line numbers on both sides. */
export function diffRevisions(from: { title: string; body: string }, to: { title: string; body: string }): EntryDiff {
  const lines: DiffLine[] = [];
  let oldNumber = 1;
  let newNumber = 1;
  let added = 0;
  let removed = 0;
  // A last line without a newline would otherwise differ from the same line with one.
  const withNewline = (text: string) => (text === "" || text.endsWith("\n") ? text : `${text}\n`);
  for (const part of diffLines(withNewline(from.body), withNewline(to.body))) {
    const texts = part.value.replace(/\n$/, "").split("\n");
    for (const text of texts) {
      if (part.added) {
        lines.push({ kind: "added", text, newNumber: newNumber++ });
        added++;
      } else if (part.removed) {
        lines.push({ kind: "removed", text, oldNumber: oldNumber++ });
        removed++;
      } else {
        lines.push({ kind: "same", text, oldNumber: oldNumber++, newNumber: newNumber++ });
      }
    }
  }
  const title = diffWordsWithSpace(from.title, to.title).map((p) => ({
    kind: p.added ? ("added" as const) : p.removed ? ("removed" as const) : ("same" as const),
    text: p.value,
  }));
  return { title, lines, added, removed };
}

/** Keep changed lines and a few lines of context around them; long unchanged stretches fold. */
export function withContext(lines: DiffLine[], context = 3): (DiffLine | { kind: "fold"; count: number })[] {
  const keep = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === "same") return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: (DiffLine | { kind: "fold"; count: number })[] = [];
  let folded = 0;
  lines.forEach((line, i) => {
    if (keep[i]) {
      if (folded) out.push({ kind: "fold", count: folded });
      folded = 0;
      out.push(line);
    } else folded++;
  });
  if (folded) out.push({ kind: "fold", count: folded });
  return out;
}
