import { STRUCTURE_LIMITS } from "@/lib/chem/limits";
import { isCampaignId } from "@/lib/molecules/campaign-id";
import { MENTION_CLASS } from "./mentions";
import type { HtmlNode, MdNode } from "./tree";

/**
 * remark plugin: structures drawn inline (issue 13).
 *
 * - A paragraph at the top level of the text that holds nothing but one campaign ID (made a mention link by
 *   ./mentions.ts, or written as a link to its own molecule page) becomes a figure: the molecule's drawing
 *   (`/molecules/{code}.svg`) linking to its page, with the ID as caption. An ID in a sentence stays a mention.
 * - A fenced code block in the language `smiles` becomes one figure per line: the server's drawing of that SMILES
 *   (SMILES_IMAGE_PATH, which reads it in the chemistry sandbox) with the SMILES as caption, as text that can be
 *   selected and copied. Text after the SMILES on its line is, as in OpenSMILES, its title: shown in the caption.
 *   A block with a line that cannot be a SMILES (a character SMILES never uses, over the length cap, too many lines)
 *   stays a code block, shown as written.
 *
 * Pure and synchronous like the other plugins (the editor preview runs it in the browser): nothing is parsed here.
 * Image addresses are made only from a campaign ID (checked against its pattern) or from the SMILES percent-encoded
 * into the query of our own route, so no text of the author's becomes an address of its own; the sanitizer
 * (./index.ts) allows these figures and nothing more.
 */

/** The route that draws a SMILES (app/depictions/smiles.svg/route.ts). */
export const SMILES_IMAGE_PATH = "/depictions/smiles.svg";
/** The class of every structure figure; globals.css styles `structure-*`. */
export const STRUCTURE_FIGURE_CLASS = "structure-figure";
/** The drawings' box: the image routes' default size, so every view of a structure shares one cached drawing. */
export const STRUCTURE_IMAGE_SIZE = { width: 300, height: 200 } as const;
/** More lines than this in one `smiles` block and it is a list to read, not a row of pictures. */
export const MAX_STRUCTURES_PER_BLOCK = 24;

// Characters of SMILES (OpenSMILES: atoms, bonds including `$` and `:`, branches, `%nn` ring closures, `.`; `*` and `~`
// of query structures), reaction arrows excepted: a reaction SMILES stays code, as written. No quotes, angle
// brackets, spaces or non-ASCII.
const SMILES_SHAPE = /^[A-Za-z0-9@+\-[\]()=#$:/\\.%*~]+$/;

export function smilesImagePath(smiles: string): string {
  return `${SMILES_IMAGE_PATH}?s=${encodeURIComponent(smiles)}`;
}

/** The markdown of a drawn structure: a `smiles` block on lines of its own, wherever in a line it is inserted. */
export function smilesBlock(smiles: string): string {
  return `\n\`\`\`smiles\n${smiles.trim()}\n\`\`\`\n`;
}

export function moleculeImagePath(code: string): string {
  return `/molecules/${code}.svg`;
}

export function remarkStructures() {
  return (tree: MdNode): void => {
    walk(tree, true);
  };
}

function walk(node: MdNode, topLevel: boolean): void {
  const children = node.children;
  if (!children) return;
  let out: MdNode[] | null = null;
  for (let i = 0; i < children.length; i++) {
    const child = children[i]!;
    const replaced = figuresFor(child, topLevel);
    if (replaced) {
      out ??= children.slice(0, i);
      out.push(...replaced);
      continue;
    }
    // Only block containers can hold a code block; text, links and code itself are left as they are.
    if (child.type !== "paragraph" && child.type !== "code" && child.type !== "html") walk(child, false);
    out?.push(child);
  }
  if (out) node.children = out;
}

function figuresFor(node: MdNode, topLevel: boolean): MdNode[] | null {
  if (node.type === "code" && node.lang?.toLowerCase() === "smiles") {
    const lines = smilesLines(node.value ?? "");
    return lines && lines.map(({ smiles, title }) => smilesFigure(smiles, title));
  }
  if (topLevel && node.type === "paragraph") {
    const code = moleculeAlone(node);
    return code === null ? null : [moleculeFigure(code)];
  }
  return null;
}

/** The SMILES of a `smiles` block, one a line with its title, or null when the block is not all SMILES. */
export function smilesLines(text: string): { smiles: string; title: string | null }[] | null {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (lines.length === 0 || lines.length > MAX_STRUCTURES_PER_BLOCK) return null;
  const parsed: { smiles: string; title: string | null }[] = [];
  for (const line of lines) {
    const [smiles = "", ...rest] = line.split(/\s+/);
    if (smiles.length > STRUCTURE_LIMITS.smilesChars || !SMILES_SHAPE.test(smiles)) return null;
    parsed.push({ smiles, title: rest.length > 0 ? rest.join(" ") : null });
  }
  return parsed;
}

/** The campaign ID a paragraph consists of, as a link to its own molecule page, or null. */
function moleculeAlone(paragraph: MdNode): string | null {
  const content = (paragraph.children ?? []).filter((c) => !(c.type === "text" && (c.value ?? "").trim() === ""));
  const link = content.length === 1 ? content[0]! : null;
  if (link?.type !== "link" || link.children?.length !== 1) return null;
  const [label] = link.children;
  const code = label?.type === "text" ? (label.value ?? "") : "";
  return isCampaignId(code) && code === code.trim() && link.url === `/molecules/${code}` ? code : null;
}

function moleculeFigure(code: string): MdNode {
  const page = `/molecules/${code}`;
  return figure([
    element("a", { href: page }, [image(moleculeImagePath(code), `Structure of ${code}`)]),
    element("figcaption", {}, [element("a", { href: page, className: [MENTION_CLASS], dataMention: code }, [text(code)])]),
  ]);
}

function smilesFigure(smiles: string, title: string | null): MdNode {
  const caption: HtmlNode[] = title ? [text(`${title} `), element("code", {}, [text(smiles)])] : [element("code", {}, [text(smiles)])];
  return figure([image(smilesImagePath(smiles), `Structure of ${title ?? smiles}`), element("figcaption", {}, caption)]);
}

/** A node remark-rehype turns into exactly this figure (its unknown-node handler honours hName and hChildren). */
function figure(children: HtmlNode[]): MdNode {
  return { type: "structureFigure", data: { hName: "figure", hProperties: { className: [STRUCTURE_FIGURE_CLASS] }, hChildren: children } };
}

function image(src: string, alt: string): HtmlNode {
  return element("img", { src, alt, width: STRUCTURE_IMAGE_SIZE.width, height: STRUCTURE_IMAGE_SIZE.height, loading: "lazy" }, []);
}

function element(tagName: string, properties: Record<string, unknown>, children: HtmlNode[]): HtmlNode {
  return { type: "element", tagName, properties, children };
}

function text(value: string): HtmlNode {
  return { type: "text", value };
}

// What a figure's image may show: a molecule's drawing, or our drawing of a percent-encoded SMILES (the characters
// encodeURIComponent leaves as they are, and %XX).
const FIGURE_IMAGE =
  /^(?:\/molecules\/[A-Z][A-Z0-9]{0,11}-[A-Z]-[1-9][0-9]{0,8}\.svg|\/depictions\/smiles\.svg\?s=(?:[\w.!~*'()-]|%[0-9A-F]{2})+)$/;

interface AnyHtml {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: AnyHtml[];
}

/**
 * rehype plugin, after the sanitizer: a figure survives only if every image in it is one of our drawings. The
 * sanitizer's rules are per attribute, not per place (outside figures an image may show any http(s) address), so
 * this keeps figures to what this file makes, whatever a later change to it does.
 */
export function rehypeStructureGuard() {
  return (tree: AnyHtml): void => {
    guard(tree);
  };
}

function guard(node: AnyHtml): void {
  if (!node.children) return;
  node.children = node.children.filter((child) => child.tagName !== "figure" || imagesAreOurs(child));
  node.children.forEach(guard);
}

function imagesAreOurs(node: AnyHtml): boolean {
  const src = node.properties?.src;
  if (node.tagName === "img" && !(typeof src === "string" && FIGURE_IMAGE.test(src))) return false;
  return (node.children ?? []).every(imagesAreOurs);
}
