import { describe, expect, it } from "vitest";
import { describeValue, moleculeTimeline, type MoleculeTimelineFacts } from "@/lib/molecules/timeline";

const at = (day: number, hour = 12) => new Date(Date.UTC(2026, 2, day, hour));
const entry = (id: number, title: string) => ({ id, title });

const facts = (more: Partial<MoleculeTimelineFacts> = {}): MoleculeTimelineFacts => ({
  molecule: { code: "OSM-S-272", registeredAt: at(2, 15), registeredBy: "ada", status: "active", parkedAt: null, parkReason: null },
  measurements: [],
  mentions: [],
  reactions: [],
  todos: [],
  ...more,
});

describe("moleculeTimeline", () => {
  it("tells a molecule's life oldest first: made, registered, written about, measured, discussed, parked", () => {
    const items = moleculeTimeline(
      facts({
        molecule: {
          code: "OSM-S-272",
          registeredAt: at(2, 15),
          registeredBy: "ada",
          status: "parked",
          parkedAt: at(20),
          parkReason: "Poor solubility",
        },
        reactions: [
          // Its work date is the registration day: on one day, registration comes first.
          { entry: entry(5, "Ether synthesis"), date: "2026-03-02", made: true, reaction: { id: "r1", title: "SNAr" }, role: "product" },
          { entry: entry(9, "Amide coupling"), date: "2026-03-12", made: false, reaction: { id: "r2", title: null }, role: "reactant" },
        ],
        mentions: [
          { entry: entry(5, "Ether synthesis"), date: "2026-03-02", author: "ada" }, // told by its reaction already
          { entry: entry(6, "Sent to Dundee"), date: "2026-03-04", author: "grace" },
        ],
        measurements: [
          {
            id: 1,
            assay: "IC50",
            target: "Pfal",
            lab: "Dundee",
            value: 0.143,
            unit: "µM",
            qualifier: "=",
            measuredOn: "2026-03-09",
            at: at(10),
            addedBy: "grace",
            entry: entry(6, "Sent to Dundee"),
          },
          {
            id: 2,
            assay: "pIC50",
            target: null,
            lab: null,
            value: 4.5,
            unit: null,
            qualifier: "<",
            measuredOn: null,
            at: at(11),
            addedBy: "ada",
            entry: null,
          },
        ],
        todos: [
          { id: 3, title: "Measure solubility", openedAt: at(12, 9), openedBy: "ada", closedAt: at(18), path: "/campaigns/osm/todos/3" },
        ],
      }),
    );
    expect(items.map((i) => `${i.at.toISOString().slice(5, 10)} ${i.kind}: ${i.title}`)).toEqual([
      "03-02 registered: OSM-S-272 registered",
      "03-02 made: Made in “Ether synthesis”",
      "03-04 mentioned: Mentioned in “Sent to Dundee”",
      "03-10 measured: Pfal IC50: 0.143 µM",
      "03-11 measured: pIC50: < 4.5",
      "03-12 used: Used in “Amide coupling”",
      "03-12 todo-opened: To-do opened: Measure solubility",
      "03-18 todo-closed: To-do closed: Measure solubility",
      "03-20 parked: OSM-S-272 parked",
    ]);
    expect(items[0]).toMatchObject({ actor: "ada", molecule: "OSM-S-272" });
    expect(items[1]).toMatchObject({ entry: { id: 5 }, path: "/entries/5#reaction-r1", detail: "SNAr" });
    expect(items[2]).toMatchObject({ actor: "grace", entry: { id: 6, title: "Sent to Dundee" } });
    expect(items[3]).toMatchObject({ actor: "grace", entry: { id: 6 }, detail: "Dundee · measured on 2026-03-09" });
    expect(items[4]).not.toHaveProperty("entry");
    expect(items[5]).toMatchObject({ detail: "reactant", path: "/entries/9#reaction-r2" });
    expect(items[6]).toMatchObject({ actor: "ada", path: "/campaigns/osm/todos/3" });
    expect(items[8]).toMatchObject({ detail: "Poor solubility" });
  });

  it("tells an open to-do and an active molecule without closing or parking them", () => {
    const items = moleculeTimeline(
      facts({ todos: [{ id: 1, title: "Scale up", openedAt: at(3), openedBy: null, closedAt: null, path: "/t/1" }] }),
    );
    expect(items.map((i) => i.kind)).toEqual(["registered", "todo-opened"]);
    expect(items[1]).not.toHaveProperty("actor");
  });
});

describe("describeValue", () => {
  it("writes values as chemists do, to four significant digits", () => {
    expect(describeValue({ value: 0.143, unit: "µM", qualifier: "=" })).toBe("0.143 µM");
    expect(describeValue({ value: 10, unit: "µM", qualifier: ">" })).toBe("> 10 µM");
    expect(describeValue({ value: 6.123456, unit: null, qualifier: "=" })).toBe("6.123");
    expect(describeValue({ value: 49.3, unit: "nM", qualifier: "<" })).toBe("< 49.3 nM");
  });
});
