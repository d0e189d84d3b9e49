import { describe, expect, it } from "vitest";

import {
  findMentions,
  formatCampaignId,
  isCampaignId,
  normalizeCampaignId,
  parseCampaignId,
  splitCampaignIds,
  tryParseCampaignId,
} from "@/lib/molecules/campaign-id";
import { ChemError } from "@/lib/chem/errors";

describe("campaign IDs", () => {
  it("parses and formats OSM-style IDs", () => {
    expect(parseCampaignId("OSM-S-123")).toEqual({ prefix: "OSM", site: "S", number: 123 });
    expect(parseCampaignId(" OSM-A-7 ")).toEqual({ prefix: "OSM", site: "A", number: 7 });
    expect(parseCampaignId("TB2-W-1")).toEqual({ prefix: "TB2", site: "W", number: 1 });
    expect(formatCampaignId({ prefix: "OSM", site: "E", number: 42 })).toBe("OSM-E-42");
    expect(normalizeCampaignId("  OSM-L-2")).toBe("OSM-L-2");
  });

  it.each(["", "OSM-S-0", "OSM-S-007", "OSM-S--1", "OSM-s-1", "osm-S-1", "OSM-SS-1", "OSM-S-1a", "1OSM-S-1", "OSM_S_1", "OSM-S-1.5", "OSM S 1"])(
    "refuses %j",
    (text) => {
      expect(tryParseCampaignId(text)).toBeNull();
      expect(isCampaignId(text)).toBe(false);
      expect(() => parseCampaignId(text)).toThrow(ChemError);
    },
  );

  it("explains a refusal to the chemist", () => {
    expect(() => parseCampaignId("OSM-S-007")).toThrow(
      '"OSM-S-007" is not a campaign ID: expected a prefix, a site letter and a number, like OSM-S-123.',
    );
    try {
      parseCampaignId("x");
    } catch (error) {
      expect((error as ChemError).code).toBe("invalid_campaign_id");
      expect((error as ChemError).field).toBe("id");
    }
  });

  it("refuses to format impossible parts", () => {
    expect(() => formatCampaignId({ prefix: "osm", site: "S", number: 1 })).toThrow(ChemError);
    expect(() => formatCampaignId({ prefix: "OSM", site: "SS", number: 1 })).toThrow(ChemError);
    expect(() => formatCampaignId({ prefix: "OSM", site: "S", number: 0 })).toThrow(ChemError);
    expect(() => formatCampaignId({ prefix: "OSM", site: "S", number: 1.5 })).toThrow(ChemError);
  });

  it("splits a cell naming several IDs", () => {
    expect(splitCampaignIds("OSM-S-208;OSM-S-218;OSM-S-416")).toEqual({
      ids: ["OSM-S-208", "OSM-S-218", "OSM-S-416"],
      invalid: [],
    });
    expect(splitCampaignIds(" OSM-S-586 ; OSM-S-636; OSM-S-586 ;; ")).toEqual({ ids: ["OSM-S-586", "OSM-S-636"], invalid: [] });
    expect(splitCampaignIds("OSM-S-1, MMV669848")).toEqual({ ids: ["OSM-S-1"], invalid: ["MMV669848"] });
  });
});

describe("findMentions", () => {
  it("finds the distinct IDs of a note, in order of first mention", () => {
    const note = [
      "# Potency round 3",
      "",
      "OSM-S-106 was re-made; compare with **OSM-S-35** and (OSM-A-7).",
      "OSM-S-106 again, and OSM-S-12, OSM-S-13/OSM-S-14 in one breath.",
      "- [ ] resynthesise `OSM-E-4`",
    ].join("\n");
    expect(findMentions(note)).toEqual(["OSM-S-106", "OSM-S-35", "OSM-A-7", "OSM-S-12", "OSM-S-13", "OSM-S-14", "OSM-E-4"]);
  });

  it("only counts whole words", () => {
    expect(findMentions("aOSM-S-1 2OSM-S-1 OSM-S-2a OSM-S-3_b OSM-S-4-5 OSM-S-6.5 OSM-S-007 osm-s-8 OSM-S-9.")).toEqual(["OSM-S-9"]);
    expect(findMentions("(OSM-S-1), OSM-S-2; 'OSM-S-3' \"OSM-S-4\" #OSM-S-5")).toEqual(["OSM-S-1", "OSM-S-2", "OSM-S-3", "OSM-S-4", "OSM-S-5"]);
  });

  it("counts link text but not link targets, URLs or paths", () => {
    expect(findMentions("See [OSM-S-1](/molecules/OSM-S-2) and [the batch](https://example.org/OSM-S-3).")).toEqual(["OSM-S-1"]);
    expect(findMentions("Raw data: https://github.com/OpenSourceMalaria/Series4/blob/master/OSM-S-4.csv")).toEqual([]);
    expect(findMentions("<https://example.org/OSM-S-5> www.example.org/OSM-S-6 /molecules/OSM-S-7 /OSM-S-8")).toEqual([]);
    expect(findMentions('<a href="/molecules/OSM-S-9">OSM-S-10</a>')).toEqual(["OSM-S-10"]);
    expect(findMentions("[ref]: /molecules/OSM-S-11\n\nOSM-S-12 per [ref]")).toEqual(["OSM-S-12"]);
  });

  it("can be limited to the campaign's prefixes", () => {
    const text = "OSM-S-1 beats MMV-A-2 and TB-W-3; XOSM-S-4 is not ours.";
    expect(findMentions(text)).toEqual(["OSM-S-1", "MMV-A-2", "TB-W-3", "XOSM-S-4"]);
    expect(findMentions(text, { prefixes: ["OSM"] })).toEqual(["OSM-S-1"]);
    expect(findMentions(text, { prefixes: ["OSM", "TB"] })).toEqual(["OSM-S-1", "TB-W-3"]);
    expect(findMentions(text, { prefixes: ["not a prefix("] })).toEqual([]);
  });

  it("copes with empty and large text", () => {
    expect(findMentions("")).toEqual([]);
    const big = Array.from({ length: 5000 }, (_, i) => `OSM-S-${(i % 700) + 1}`).join(" ");
    expect(findMentions(big)).toHaveLength(700);
  });
});
