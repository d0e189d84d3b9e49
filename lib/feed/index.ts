import { Feed } from "feed";
import type { License } from "../campaigns/licenses";

/** One item of the project feed, as the feed formats need it (absolute URLs, rendered HTML). */
export interface FeedEntry {
  id: string;
  title: string;
  url: string;
  html: string;
  summary: string;
  published: Date;
  author: { name: string; url?: string };
  category: string;
  /** The licence of the item's data (its campaign's): Atom <rights> of the entry, `_license` in JSON Feed. */
  license?: License;
}

export interface FeedOptions {
  title: string;
  description: string;
  homeUrl: string;
  /** Absolute URL of the feed without its extension: `${selfUrl}.atom`, `${selfUrl}.json`. */
  selfUrl: string;
  siteName: string;
  /** The licence of the whole feed's data (one campaign's feed): Atom <rights>, `_license` in JSON Feed. */
  license?: License;
}

/** How a licence reads in Atom <rights>: "Data: CC BY 4.0 (Creative Commons Attribution 4.0 International), <url>". */
export function rightsText(license: License): string {
  return `Data: ${license.short} (${license.name}), ${license.url}`;
}

/** JSON Feed's extension object (keys starting with "_" are extensions, https://www.jsonfeed.org/version/1.1/). */
function licenseExtension(license: License) {
  return { name: "_license", objects: { id: license.id, name: license.name, url: license.url } };
}

function build(entries: FeedEntry[], options: FeedOptions): Feed {
  const feed = new Feed({
    id: options.selfUrl,
    title: options.title,
    description: options.description,
    link: options.homeUrl,
    language: "en",
    updated: entries[0]?.published ?? new Date(0),
    generator: options.siteName,
    copyright: options.license
      ? rightsText(options.license)
      : "Public data of open science campaigns: each item under its campaign's licence",
    feedLinks: { atom: `${options.selfUrl}.atom`, json: `${options.selfUrl}.json` },
  });
  if (options.license) feed.addExtension(licenseExtension(options.license));
  for (const e of entries) {
    feed.addItem({
      id: e.id,
      title: e.title,
      link: e.url,
      description: e.summary,
      content: e.html,
      date: e.published,
      published: e.published,
      author: [{ name: e.author.name, link: e.author.url }],
      category: [{ name: e.category }],
      ...(e.license ? { copyright: rightsText(e.license), extensions: [licenseExtension(e.license)] } : {}),
    });
  }
  return feed;
}

/** Characters XML 1.0 forbids; older data may hold them, and one would break the whole feed. */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Atom 1.0 (RFC 4287), written by the `feed` library. It declares titles and summaries as
 * type="html" inside CDATA, so plain text is escaped first, and "]]>" can never end a CDATA early.
 */
export function toAtom(entries: FeedEntry[], options: FeedOptions): string {
  const safe = entries.map((e) => ({
    ...e,
    title: escapeHtml(e.title.replace(XML_INVALID, "")),
    summary: escapeHtml(e.summary.replace(XML_INVALID, "")),
    html: e.html.replace(XML_INVALID, "").replaceAll("]]>", "]]&gt;"),
  }));
  return build(safe, options).atom1();
}

/**
 * JSON Feed 1.1. The `feed` library writes version 1; 1.1 differs in the version URL, `authors`
 * arrays instead of `author`, and `language`, so its output is lifted to 1.1 here.
 */
export function toJsonFeed(entries: FeedEntry[], options: FeedOptions): string {
  const v1 = JSON.parse(build(entries, options).json1()) as Record<string, unknown> & { items: Record<string, unknown>[] };
  const { author: _feedAuthor, ...feed } = v1;
  return JSON.stringify({
    ...feed,
    version: "https://jsonfeed.org/version/1.1",
    language: "en",
    items: v1.items.map(({ author, ...item }) => ({ ...item, ...(author ? { authors: [author] } : {}) })),
  });
}
