import { describe, expect, it } from "vitest";
import { addWeeks, describeWindow, formatIsoWeek, isoWeekOf, parseIsoWeek, weekProblem, weeksInYear, weekWindow } from "@/lib/newsletter/week";

const week = (iso: string) => formatIsoWeek(isoWeekOf(new Date(iso)));

describe("ISO weeks in UTC", () => {
  it("names the week a moment falls in, by the year of its Thursday", () => {
    expect(week("2026-12-05T05:57:00Z")).toBe("2026-W49");
    expect(week("2026-11-30T00:00:00Z")).toBe("2026-W49"); // Monday 00:00 opens the week
    expect(week("2026-11-29T23:59:59.999Z")).toBe("2026-W48"); // Sunday's last millisecond is the week before
    expect(week("2021-01-03T12:00:00Z")).toBe("2020-W53"); // a Sunday in January of the year before's last week
    expect(week("2024-12-30T08:00:00Z")).toBe("2025-W01"); // a Monday in December of the next year's first week
    expect(week("2027-01-01T00:00:00Z")).toBe("2026-W53");
    // UTC, whatever the offset the moment was written with: 01:00 in Paris on Monday is still Sunday in UTC.
    expect(week("2026-11-30T01:00:00+02:00")).toBe("2026-W48");
  });

  it("knows which years have a 53rd week", () => {
    expect([2020, 2021, 2025, 2026, 2027, 2032].map(weeksInYear)).toEqual([53, 52, 52, 53, 52, 53]);
  });

  it("turns a week into its window, Monday 00:00 UTC to the next Monday, and back", () => {
    expect(weekWindow("2026-W49")).toEqual({ start: new Date("2026-11-30T00:00:00Z"), end: new Date("2026-12-07T00:00:00Z") });
    expect(weekWindow("2026-W01").start).toEqual(new Date("2025-12-29T00:00:00Z"));
    expect(weekWindow("2026-W53").end).toEqual(new Date("2027-01-04T00:00:00Z"));
    for (let year = 2019; year <= 2031; year++) {
      for (let w = 1; w <= weeksInYear(year); w++) {
        const name = formatIsoWeek({ year, week: w });
        const { start, end } = weekWindow(name);
        expect(week(start.toISOString())).toBe(name);
        expect(week(new Date(end.getTime() - 1).toISOString())).toBe(name);
        expect(end.getTime() - start.getTime()).toBe(7 * 86_400_000);
      }
    }
  });

  it("refuses strings that are not weeks, saying why", () => {
    for (const bad of ["2026-w49", "2026-W4", "2026W49", "2026-W049", " 2026-W49", "2026-W49 ", "26-W49", "2026-12-05", ""]) {
      expect(parseIsoWeek(bad), bad).toBeNull();
      expect(weekProblem(bad), bad).toMatch(/ISO week like 2026-W49/);
    }
    expect(parseIsoWeek("2026-W00")).toBeNull();
    expect(weekProblem("2027-W53")).toBe("week 53 does not exist in 2027 (its weeks are W01 to W52)");
    expect(weekProblem("2026-W54")).toBe("week 54 does not exist in 2026 (its weeks are W01 to W53)");
    expect(weekProblem("0999-W10")).toMatch(/year from 1970/);
    expect(parseIsoWeek("2026-W53")).toEqual({ year: 2026, week: 53 });
    expect(weekProblem("2026-W53")).toBeNull();
  });

  it("steps across year ends and reads as days", () => {
    expect(addWeeks("2026-W01", -1)).toBe("2025-W52");
    expect(addWeeks("2026-W53", 1)).toBe("2027-W01");
    expect(addWeeks("2026-W49", 0)).toBe("2026-W49");
    expect(describeWindow("2026-W49")).toBe("30 Nov – 6 Dec 2026");
    expect(describeWindow("2026-W53")).toBe("28 Dec 2026 – 3 Jan 2027");
  });
});
