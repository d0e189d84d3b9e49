import { describe, expect, it } from "vitest";
import { buildStory, type StoryFacts, type StoryMeasurement, type StoryMolecule, type StoryTodo } from "@/lib/wiki/story";

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 2, day, hour));

const molecule = (
  code: string,
  day: number,
  series: string | null = "Series 4",
  parked?: { day: number; reason: string },
): StoryMolecule => ({
  code,
  series,
  registeredAt: at(day),
  registeredBy: "ada",
  parkedAt: parked ? at(parked.day) : null,
  parkReason: parked?.reason ?? null,
});

let nextId = 1;
const result = (
  code: string,
  day: number,
  value: number,
  more: Partial<Omit<StoryMeasurement, "molecule" | "value" | "at">> = {},
): StoryMeasurement => ({
  id: nextId++,
  molecule: code,
  series: "Series 4",
  assay: "IC50",
  target: "Pfal",
  lab: null,
  unit: "µM",
  qualifier: "=",
  addedBy: "ada",
  entry: null,
  ...more,
  value,
  at: at(day),
});

const facts = (f: Partial<StoryFacts>): StoryFacts => ({ molecules: [], measurements: [], todos: [], months: [], ...f });
const improvements = (f: Partial<StoryFacts>, series?: string) =>
  buildStory(facts(f), series === undefined ? {} : { series })
    .items.filter((i) => i.kind === "best-improved" || i.kind === "first-result")
    .map((i) => `${i.kind} ${i.molecule}`);

describe("buildStory: best values", () => {
  it("compares molar units in µM: 800 nM does not beat 0.5 µM, 400 nM does, and 0.4 µM only equals it", () => {
    const story = buildStory(
      facts({
        measurements: [
          result("S-4", 4, 0.4),
          result("S-1", 1, 0.5, { lab: "Dundee" }),
          result("S-2", 2, 800, { unit: "nM" }),
          result("S-3", 3, 400, { unit: "nM", addedBy: "grace", entry: { id: 7, title: "Assay batch 3" } }),
        ],
      }),
    );
    expect(story.items.map((i) => [i.kind, i.molecule])).toEqual([
      ["first-result", "S-1"],
      ["best-improved", "S-3"],
    ]);
    expect(story.items[0]).toMatchObject({ title: "First Pfal IC50 result: S-1 at 0.5 µM", detail: "Dundee", actor: "ada" });
    expect(story.items[1]).toMatchObject({
      at: at(3),
      title: "New best Pfal IC50: S-3 at 400 nM",
      detail: "was 0.5 µM (S-1)",
      actor: "grace",
      entry: { id: 7, title: "Assay batch 3" },
    });
  });

  it("never counts a bound on the weak side, and counts one on the potent side", () => {
    expect(
      improvements({
        measurements: [
          result("S-1", 1, 10, { qualifier: ">" }), // inactive up to 10 µM: no result to improve on yet
          result("S-2", 2, 0.01, { qualifier: ">" }), // "> 0.01" says nothing about potency, however small
          result("S-3", 3, 1),
          result("S-4", 4, 0.2, { qualifier: "<" }), // at least that potent
          result("S-5", 5, 0.2), // equal to the bound: not better
          result("S-6", 6, 0.001, { qualifier: ">" }),
        ],
      }),
    ).toEqual(["first-result S-3", "best-improved S-4"]);
  });

  it("lets pIC50 and % inhibition improve upwards, with the roles of < and > swapped", () => {
    const pic50 = (code: string, day: number, value: number, qualifier: "=" | "<" | ">" = "=") =>
      result(code, day, value, { assay: "pIC50", unit: null, qualifier });
    expect(
      improvements({
        measurements: [
          pic50("S-1", 1, 6.2),
          pic50("S-2", 2, 5.1),
          pic50("S-3", 3, 9, "<"),
          pic50("S-4", 4, 7.1),
          pic50("S-5", 5, 7.5, ">"),
        ],
      }),
    ).toEqual(["first-result S-1", "best-improved S-4", "best-improved S-5"]);
    expect(
      improvements({
        measurements: [
          result("S-1", 1, 40, { assay: "%inhibition", unit: "%" }),
          result("S-2", 2, 20, { assay: "%inhibition", unit: "%" }),
          result("S-3", 3, 85, { assay: "%inhibition", unit: "%" }),
        ],
      }),
    ).toEqual(["first-result S-1", "best-improved S-3"]);
  });

  it("keeps targets and unconvertible units apart and pools labs, as the molecule table's columns do", () => {
    const story = buildStory(
      facts({
        measurements: [
          result("S-1", 1, 1, { lab: "Dundee" }),
          result("S-2", 2, 2, { target: "Pfal (K1)" }), // a strain of its own: its first result
          result("S-3", 3, 0.5, { lab: "Syngene" }), // another lab, same column: an improvement
          result("S-4", 4, 0.1, { unit: "µg/mL" }), // not comparable with µM
        ],
      }),
    );
    expect(story.items.map((i) => i.title)).toEqual([
      "First Pfal IC50 result: S-1 at 1 µM",
      "First Pfal (K1) IC50 result: S-2 at 2 µM",
      "New best Pfal IC50: S-3 at 0.5 µM",
      "First Pfal IC50 result: S-4 at 0.1 µg/mL",
    ]);
  });

  it("tells results in the order they were added, whatever order the facts come in", () => {
    expect(improvements({ measurements: [result("S-3", 3, 0.1), result("S-2", 2, 0.5), result("S-1", 1, 1)] })).toEqual([
      "first-result S-1",
      "best-improved S-2",
      "best-improved S-3",
    ]);
  });
});

describe("buildStory: milestones and series", () => {
  const todo = (id: number, title: string, opened: number, closed: number | null, series: string[] = []): StoryTodo => ({
    id,
    title,
    openedAt: at(opened),
    openedBy: id === 1 ? "ada" : null,
    closedAt: closed === null ? null : at(closed),
    series,
    path: `/campaigns/osm/todos/${id}`,
  });
  const world = facts({
    molecules: [
      molecule("S-10", 5, "Series 4"),
      molecule("S-1", 1, null),
      molecule("S-20", 8, "Series 3", { day: 20, reason: "Insoluble" }),
      molecule("S-11", 9, "Series 4", { day: 15, reason: "Inactive at 10 µM" }),
      molecule("S-20", 8, "Series 3", { day: 20, reason: "Insoluble" }), // given twice: first of its series, and parked
    ],
    measurements: [
      result("S-10", 10, 0.5),
      result("S-20", 11, 0.1, { series: "Series 3" }),
      result("S-11", 12, 0.3), // beats Series 4's best, not the campaign's (Series 3 holds 0.1)
    ],
    todos: [todo(1, "Resynthesize S-10", 6, 14, ["Series 4"]), todo(2, "Order reagents", 7, null)],
  });

  it("tells a campaign's beginnings, parkings and to-dos oldest first", () => {
    const story = buildStory(world);
    expect(story.items.map((i) => `${i.at.toISOString().slice(5, 10)} ${i.kind}: ${i.title}`)).toEqual([
      "03-01 first-molecule: First molecule registered: S-1",
      "03-05 series-started: Series 4 begins: S-10 registered",
      "03-06 todo-opened: To-do opened: Resynthesize S-10",
      "03-07 todo-opened: To-do opened: Order reagents",
      "03-08 series-started: Series 3 begins: S-20 registered",
      "03-10 first-result: First Pfal IC50 result: S-10 at 0.5 µM",
      "03-11 best-improved: New best Pfal IC50: S-20 at 0.1 µM",
      "03-14 todo-closed: To-do closed: Resynthesize S-10",
      "03-15 parked: S-11 parked",
      "03-20 parked: S-20 parked",
    ]);
    expect(story.items.find((i) => i.molecule === "S-11" && i.kind === "parked")).toMatchObject({ detail: "Inactive at 10 µM" });
    expect(story.items[2]).toMatchObject({ actor: "ada", path: "/campaigns/osm/todos/1" });
    expect(story.items[3]).not.toHaveProperty("actor");
  });

  it("tells one series on its own: its first molecule, its best values, its parkings, its to-dos", () => {
    const story = buildStory(world, { series: "Series 4" });
    expect(story.items.map((i) => `${i.kind} ${i.molecule ?? i.title}`)).toEqual([
      "first-molecule S-10",
      "todo-opened To-do opened: Resynthesize S-10",
      "first-result S-10",
      "best-improved S-11",
      "todo-closed To-do closed: Resynthesize S-10",
      "parked S-11",
    ]);
    expect(story.items[0]!.title).toBe("First Series 4 molecule registered: S-10");
    expect(buildStory(world, { series: "Series 9" }).items).toEqual([]);
  });
});

describe("buildStory: months", () => {
  const month = (m: string, series: string | null, molecules: number, measurements: number, entries: number) => ({
    month: m,
    series,
    molecules,
    measurements,
    entries,
  });

  it("adds up the story's rows per month and fills the quiet months between, across a new year", () => {
    const months = [
      month("2026-02", null, 0, 7, 0),
      month("2025-11", null, 3, 0, 0),
      month("2026-02", null, 1, 0, 2),
      month("2025-12", "Series 4", 9, 9, 9), // another story's counts
    ];
    expect(buildStory(facts({ months })).months).toEqual([
      { month: "2025-11", molecules: 3, measurements: 0, entries: 0 },
      { month: "2025-12", molecules: 0, measurements: 0, entries: 0 },
      { month: "2026-01", molecules: 0, measurements: 0, entries: 0 },
      { month: "2026-02", molecules: 1, measurements: 7, entries: 2 },
    ]);
    expect(buildStory(facts({ months }), { series: "Series 4" }).months).toEqual([
      { month: "2025-12", molecules: 9, measurements: 9, entries: 9 },
    ]);
  });

  it("does not fill a century of empty months for one mistyped date", () => {
    const months = [month("1926-03", null, 0, 0, 1), month("2026-03", null, 1, 0, 0)];
    expect(buildStory(facts({ months })).months.map((m) => m.month)).toEqual(["1926-03", "2026-03"]);
  });
});
