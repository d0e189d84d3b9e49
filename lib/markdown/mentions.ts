import { findMentions } from "@/lib/molecules/campaign-id";
import { LEAVE_ALONE, type MdNode } from "./tree";

/**
 * remark plugin: campaign IDs written in an entry (OSM-S-123) become links to their molecule,
 * `<a href="/molecules/OSM-S-123" class="mention" data-mention="OSM-S-123">`.
 *
 * Which words are mentions is decided by lib/chem's findMentions, the same function that records an entry's mentions
 * in the database, so a link appears exactly where the molecule page will list the entry. The one difference is on
 * purpose: IDs in code spans and blocks are recorded but not linked (code is shown as written), and neither are IDs
 * already inside a link's text or an image's alt text.
 *
 * Pure and synchronous, without a database: the editor preview runs it in the browser. An ID that names no molecule
 * (yet) still links; the molecule page answers 404 until it is registered.
 */

export const MENTION_CLASS = "mention";



export function remarkMentions() {
  return (tree: MdNode): void => {
    walk(tree);
  };
}

function walk(node: MdNode): void {
  const children = node.children;
  if (!children) return;
  let out: MdNode[] | null = null;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const replaced = child.type === "text" && child.value ? linkMentions(child.value) : null;
    if (replaced) {
      out ??= children.slice(0, i);
      out.push(...replaced);
      continue;
    }
    if (!LEAVE_ALONE.has(child.type)) walk(child);
    out?.push(child);
  }
  if (out) node.children = out;
}

export function mentionLink(code: string): MdNode {
  return {
    type: "link",
    url: `/molecules/${code}`,
    title: null,
    data: { hProperties: { className: [MENTION_CLASS], dataMention: code } },
    children: [{ type: "text", value: code }],
  };
}

// Anything shaped like a campaign ID; findMentions and isMentionAt decide which of these are mentions. An ID that is a
// mention is never part of a longer match (its neighbours are not letters, digits or hyphens), so none is missed.
const CANDIDATE = /[A-Z][A-Z0-9]{0,11}-[A-Z]-[1-9][0-9]{0,8}/g;

/** The text split into text and mention links, or null when it mentions nothing. */
function linkMentions(text: string): MdNode[] | null {
  const codes = new Set(findMentions(text));
  if (codes.size === 0) return null;
  const nodes: MdNode[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const [code] = match;
    const at = match.index;
    if (!codes.has(code) || !isMentionAt(text, at, code)) continue;
    if (at > last) nodes.push({ type: "text", value: text.slice(last, at) });
    nodes.push(mentionLink(code));
    last = at + code.length;
  }
  if (nodes.length === 0) return null;
  if (last < text.length) nodes.push({ type: "text", value: text.slice(last) });
  return nodes;
}

// How far around an occurrence findMentions is asked again. Addresses (URLs, paths) hold no whitespace, so the window
// is widened to whitespace; the cap keeps a pathological one-line body of thousands of IDs linear, not quadratic.
const WINDOW = 128;
const WIDEN_MAX = 4096;
const PROBE_LETTERS = ["Q", "X", "Z", "J", "K", "W"];

/**
 * Whether the occurrence of `code` at `at` is a mention by findMentions' rules (whole word, not part of an address).
 * findMentions returns IDs, not places, so it is asked about a copy of the surrounding text in which this one
 * occurrence is swapped for a probe ID of the same shape (letters for letters, digits for digits, so every word
 * boundary and address pattern sees the same characters): the occurrence is a mention if the probe is found.
 */
function isMentionAt(text: string, at: number, code: string): boolean {
  let start = Math.max(0, at - WINDOW);
  let end = Math.min(text.length, at + code.length + WINDOW);
  const floor = Math.max(0, start - WIDEN_MAX);
  const ceiling = Math.min(text.length, end + WIDEN_MAX);
  while (start > floor && !/\s/.test(text[start - 1]!)) start--;
  while (end < ceiling && !/\s/.test(text[end]!)) end++;
  const before = text.slice(start, at);
  const after = text.slice(at + code.length, end);
  for (const letter of PROBE_LETTERS) {
    const probe = code.replace(/[A-Z]/g, letter).replace(/[0-9]/g, "7");
    if (probe === code || before.includes(probe) || after.includes(probe)) continue;
    return findMentions(before + probe + after).includes(probe);
  }
  return false;
}
