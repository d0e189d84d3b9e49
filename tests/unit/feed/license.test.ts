// The licence of a campaign's data travels with its feeds: Atom <rights> (feed and entry), JSON Feed `_license`.
import { describe, expect, it } from "vitest";
import { licenseOf } from "@/lib/campaigns/licenses";
import { rightsText, toAtom, toJsonFeed, type FeedEntry } from "@/lib/feed";

const options = {
  title: "Series 4",
  description: "d",
  homeUrl: "http://nb.test/campaigns/s4",
  selfUrl: "http://nb.test/campaigns/s4/feed",
  siteName: "Open Notebook",
};
const entry: FeedEntry = {
  id: "http://nb.test/events/1",
  title: "ada wrote “Day 1”",
  url: "http://nb.test/entries/1",
  html: "<p>x</p>",
  summary: "x",
  published: new Date("2024-03-05T10:00:00Z"),
  author: { name: "ada" },
  category: "Series 4",
  license: licenseOf("CC0-1.0"),
};

describe("feeds with a licence", () => {
  it("write the campaign's licence as the feed's and each entry's Atom <rights>", () => {
    const xml = toAtom([entry], { ...options, license: licenseOf("CC-BY-4.0") });
    expect(rightsText(licenseOf("CC-BY-4.0"))).toBe(
      "Data: CC BY 4.0 (Creative Commons Attribution 4.0 International), https://creativecommons.org/licenses/by/4.0/",
    );
    expect(xml).toMatch(
      /<feed[^>]*>[\s\S]*<rights>Data: CC BY 4\.0 \(Creative Commons Attribution 4\.0 International\), https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/<\/rights>[\s\S]*<entry>/,
    );
    expect(xml).toMatch(/<entry>[\s\S]*<rights>Data: CC0 1\.0 [^<]*<\/rights>[\s\S]*<\/entry>/);
  });

  it("write JSON Feed's _license extension on the feed and on each item", () => {
    const feed = JSON.parse(toJsonFeed([entry], { ...options, license: licenseOf("CC-BY-4.0") })) as {
      _license: unknown;
      items: { _license: unknown }[];
    };
    expect(feed._license).toEqual({
      id: "CC-BY-4.0",
      name: "Creative Commons Attribution 4.0 International",
      url: "https://creativecommons.org/licenses/by/4.0/",
    });
    expect(feed.items[0]!._license).toMatchObject({ id: "CC0-1.0" });
  });

  it("say, without one campaign's licence, that each item carries its own", () => {
    const xml = toAtom([{ ...entry, license: undefined }], options);
    expect(xml).toContain("<rights>Public data of open science campaigns: each item under its campaign's licence</rights>");
    expect(JSON.parse(toJsonFeed([entry], options))).not.toHaveProperty("_license");
  });
});
