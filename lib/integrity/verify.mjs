#!/usr/bin/env node
// @ts-check
// A campaign's hash chain: how each link's hash is made and how a chain is checked. One file, plain JavaScript with no
// dependency but Node's crypto, because it serves twice: the notebook imports it (lib/integrity/chain.ts), and every
// campaign archive carries a copy, so that anyone holding the archive can check it with `node verify.mjs <folder>`,
// with no server and nothing else installed.
//
// A link's hash is SHA-256 over "<previous hash>\n<kind>\n<canonical JSON of the record>", where canonical JSON has
// every object's keys sorted (by UTF-16 code units), no spaces, dates as ISO 8601 in UTC with milliseconds, and
// `undefined` members left out. The first link's previous hash is 64 zeros.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const GENESIS = "0".repeat(64);

/**
 * The canonical JSON text of a value.
 * @param {unknown} value
 * @returns {string}
 */
export function canonicalJson(value) {
  if (value === null) return "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) throw new Error(`canonical JSON has no ${value}`);
      return JSON.stringify(value);
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "object": {
      const record = /** @type {Record<string, unknown>} */ (value);
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(",")}}`;
    }
    default:
      throw new Error(`canonical JSON has no ${typeof value}`);
  }
}

/**
 * The hash of a link.
 * @param {string} prevHash
 * @param {string} kind
 * @param {unknown} record
 * @returns {string}
 */
export function linkHash(prevHash, kind, record) {
  return createHash("sha256")
    .update(`${prevHash}\n${kind}\n${canonicalJson(record)}`)
    .digest("hex");
}

/**
 * @typedef {{ seq: number; kind: string; recordId: number; prevHash: string; hash: string }} Link
 * @typedef {{ ok: true; links: number; head: string } | { ok: false; links: number; head: string; failure: { seq: number; kind: string; recordId: number; reason: string } }} Verdict
 */

/**
 * Checks a chain: links in order, each one's previous hash the hash before it, and each record — looked up by kind
 * and id as it is now — hashing to its link's hash. Stops at the first link that fails and says why.
 * @param {Iterable<Link>} links
 * @param {(kind: string, id: number) => unknown} recordOf the record as stored now, or undefined when it is gone
 * @returns {Verdict}
 */
export function verifyChain(links, recordOf) {
  let prev = GENESIS;
  let count = 0;
  let expectedSeq = 1;
  for (const link of links) {
    const fail = (/** @type {string} */ reason) => ({
      ok: /** @type {const} */ (false),
      links: count,
      head: prev,
      failure: { seq: link.seq, kind: link.kind, recordId: link.recordId, reason },
    });
    if (link.seq !== expectedSeq) return fail(`link ${expectedSeq} is missing (found ${link.seq})`);
    if (link.prevHash !== prev) return fail("its previous hash is not the hash of the link before it");
    const record = recordOf(link.kind, link.recordId);
    if (record === undefined) return fail("the record is gone");
    if (linkHash(prev, link.kind, record) !== link.hash) return fail("the record was changed after it was sealed");
    prev = link.hash;
    count++;
    expectedSeq++;
  }
  return { ok: true, links: count, head: prev };
}

/**
 * `node verify.mjs <archive folder>`: checks the chain of an extracted campaign archive (its integrity/chain.json and
 * the records in integrity/records.json), and the SHA-256 of every file its manifest.json lists.
 */
async function main() {
  const root = process.argv[2] ?? ".";
  const read = async (/** @type {string} */ name) => JSON.parse(await readFile(path.join(root, name), "utf8"));
  const manifest = /** @type {{ files: { path: string; sha256: string }[] }} */ (await read("manifest.json"));
  let bad = 0;
  for (const file of manifest.files) {
    const digest = createHash("sha256")
      .update(await readFile(path.join(root, file.path)))
      .digest("hex");
    if (digest !== file.sha256) {
      console.log(`FILE CHANGED ${file.path}`);
      bad++;
    }
  }
  const chain = /** @type {Link[]} */ (await read("integrity/chain.json"));
  const records = /** @type {Record<string, Record<string, unknown>>} */ (await read("integrity/records.json"));
  const verdict = verifyChain(chain, (kind, id) => records[kind]?.[String(id)]);
  if (verdict.ok && bad === 0) {
    console.log(`OK: ${manifest.files.length} files match the manifest; ${verdict.links} chain links verify; head ${verdict.head}`);
    return;
  }
  if (!verdict.ok)
    console.log(
      `CHAIN BROKEN at link ${verdict.failure.seq} (${verdict.failure.kind} ${verdict.failure.recordId}): ${verdict.failure.reason}`,
    );
  process.exitCode = 1;
}

// Run as a script (not when imported): check the folder named on the command line.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((/** @type {unknown} */ error) => {
    console.error(error);
    process.exitCode = 2;
  });
}
