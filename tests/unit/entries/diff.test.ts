import { describe, expect, it } from "vitest";
import { diffRevisions, withContext } from "@/lib/entries/diff";

describe("diffRevisions", () => {
  it("numbers lines on both sides and counts changes", () => {
    const d = diffRevisions({ title: "Day 1", body: "a\nb\nc" }, { title: "Day 1", body: "a\nB\nc\nd" });
    expect(d.lines).toEqual([
      { kind: "same", text: "a", oldNumber: 1, newNumber: 1 },
      { kind: "removed", text: "b", oldNumber: 2 },
      { kind: "added", text: "B", newNumber: 2 },
      { kind: "same", text: "c", oldNumber: 3, newNumber: 3 },
      { kind: "added", text: "d", newNumber: 4 },
    ]);
    expect([d.added, d.removed]).toEqual([2, 1]);
  });

  it("does not report an unchanged last line as changed when text is appended after it", () => {
    const d = diffRevisions({ title: "t", body: "first\nlast" }, { title: "t", body: "first\nlast\n\nmore" });
    expect(d.removed).toBe(0);
    expect(d.lines.filter((l) => l.kind === "added").map((l) => l.text)).toEqual(["", "more"]);
  });

  it("diffs the title word by word", () => {
    const d = diffRevisions({ title: "SNAr with NaH", body: "" }, { title: "SNAr with KOtBu", body: "" });
    expect(d.title).toEqual([
      { kind: "same", text: "SNAr with " },
      { kind: "removed", text: "NaH" },
      { kind: "added", text: "KOtBu" },
    ]);
  });
});

describe("withContext", () => {
  it("folds long unchanged stretches and keeps three lines around changes", () => {
    const body = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const d = diffRevisions({ title: "t", body }, { title: "t", body: body.replace("line 10", "line ten") });
    const view = withContext(d.lines);
    expect(view[0]).toEqual({ kind: "fold", count: 6 });
    expect(view.filter((l) => l.kind !== "fold")).toHaveLength(8);
    expect(view.at(-1)).toEqual({ kind: "fold", count: 7 });
  });
});
