import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { z } from "zod";
import { searchModes, searchSorts } from "../contract/search";
import { canonicalCode } from "../molecules/campaign-id";
import { moleculeStatuses } from "../molecules/model";
import { propertyNamed, searchPropertyKeys } from "../molecules/properties";

// The live blocks of a wiki page: fenced code blocks whose language names a block kind, with `key: value` lines as
// their body, and a campaign ID alone on a line (a molecule card). The page's text is cut at these into markdown
// segments and blocks; every read of the page evaluates the blocks against the data (db/queries/wiki-blocks.ts), so
// the page cannot fall behind the registry. Pure and synchronous: the editor's preview can parse a page too.
//
// Keys use the structure search API's names where they overlap (query → its `q`, mode, threshold, status, assay,
// potency, sort, limit), so a block is a saved search a reader can also run by hand.

export const blockKinds = ["molecules", "sar", "chart", "entries", "todos"] as const;
export type BlockKind = (typeof blockKinds)[number];

/** A block's body: at most this many characters and lines (a block is a query, not data). */
export const BLOCK_BODY_MAX = 2000;
export const BLOCK_LINES_MAX = 20;
/** Live blocks evaluated per page; later ones show an error in place (each read runs every block's query). */
export const BLOCKS_PER_PAGE = 20;

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);
const count = (max: number, fallback: number) =>
  z.coerce
    .number({ error: `must be a whole number from 1 to ${max}` })
    .int(`must be a whole number from 1 to ${max}`)
    .min(1, `must be a whole number from 1 to ${max}`)
    .max(max, `must be a whole number from 1 to ${max}`)
    .default(fallback);
const finite = z.coerce.number({ error: "must be a number" }).refine(Number.isFinite, "must be a number");
const moleculeId = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const code = canonicalCode(value);
    if (!code) {
      ctx.addIssue({ code: "custom", message: "must be a campaign ID like OSM-S-106" });
      return z.NEVER;
    }
    return code;
  });

/** Which molecules a block reads: the registry filters every molecule-reading block shares. */
const moleculeFilter = {
  query: text(2000).optional().meta({ description: "SMILES or SMARTS: structure search (the search API's q)" }),
  mode: z.enum(searchModes, { error: `must be one of ${searchModes.join(", ")}` }).default("substructure"),
  threshold: z.coerce.number({ error: "must be a number" }).min(0.05, "at least 0.05").max(1, "at most 1").default(0.5),
  series: text(100).optional(),
  status: z.enum([...moleculeStatuses, "any"], { error: "must be active, parked or any" }).default("active"),
  assay: text(300).optional(),
  potency: finite.optional(),
  campaign: text(100).optional().meta({ description: "another campaign's slug (default: the page's campaign)" }),
};

const withPotency = <T extends { assay?: string; potency?: number }>(b: T, ctx: z.RefinementCtx) => {
  if (b.potency !== undefined && b.assay === undefined) ctx.addIssue({ code: "custom", path: ["potency"], message: "needs an assay" });
};

const sortKeys = searchSorts as readonly string[];

/** What an author may write in each kind of block. */
const blockShapes = {
  molecules: {
    ...moleculeFilter,
    sort: z
      .string()
      .trim()
      .transform((value, ctx) => {
        const property = propertyNamed(value.replace(/^-/, ""))?.key;
        const spelled = property ? `${value.startsWith("-") ? "-" : ""}${property}` : value;
        if (spelled === "id" || spelled === "-id" || sortKeys.includes(spelled)) return spelled;
        ctx.addIssue({
          code: "custom",
          message: `must be potency, id, -id (newest first), relevance, or a property (${searchPropertyKeys.join(", ")}) with an optional leading -`,
        });
        return z.NEVER;
      })
      .default("id"),
    limit: count(100, 24),
    view: z.enum(["grid", "table"], { error: "must be grid or table" }).default("grid"),
  },
  sar: {
    core: text(500).meta({ description: "the core with numbered attachment points, e.g. [*:1]c1nnc2cncc([*:2])n12" }),
    assay: text(300).optional(),
    series: moleculeFilter.series,
    status: moleculeFilter.status,
    campaign: moleculeFilter.campaign,
    limit: count(500, 200),
    view: z.enum(["table", "matrix", "both"], { error: "must be table, matrix or both" }).default("both"),
  },
  chart: {
    ...moleculeFilter,
    assay: text(300),
    x: z
      .string()
      .trim()
      .transform((value, ctx) => {
        if (value === "date" || value === "time") return "date";
        const key = propertyNamed(value)?.key;
        if (key && (searchPropertyKeys as readonly string[]).includes(key)) return key;
        ctx.addIssue({ code: "custom", message: `must be date or a property (${searchPropertyKeys.join(", ")})` });
        return z.NEVER;
      })
      .default("date"),
    limit: count(2000, 1000),
  },
  entries: {
    molecule: moleculeId.optional(),
    words: text(200).optional().meta({ description: "full-text search syntax" }),
    campaign: moleculeFilter.campaign,
    limit: count(50, 10),
  },
  todos: {
    molecule: moleculeId.optional(),
    label: text(100).optional(),
    words: text(200).optional(),
    state: z.enum(["open", "closed", "all"], { error: "must be open, closed or all" }).default("open"),
    limit: count(50, 10),
  },
} as const;

export const blockSchemas = {
  molecules: z
    .strictObject(blockShapes.molecules)
    .superRefine(withPotency)
    .superRefine((b, ctx) => {
      if (b.sort === "potency" && !b.assay) ctx.addIssue({ code: "custom", path: ["sort"], message: "potency needs an assay" });
    }),
  sar: z.strictObject(blockShapes.sar),
  chart: z.strictObject(blockShapes.chart).superRefine(withPotency),
  entries: z.strictObject(blockShapes.entries),
  todos: z.strictObject(blockShapes.todos),
} as const;

export type BlockSpec<K extends BlockKind = BlockKind> = K extends BlockKind ? { kind: K } & z.output<(typeof blockSchemas)[K]> : never;
export type MoleculesBlock = BlockSpec<"molecules">;
export type SarBlock = BlockSpec<"sar">;
export type ChartBlock = BlockSpec<"chart">;
export type EntriesBlock = BlockSpec<"entries">;
export type TodosBlock = BlockSpec<"todos">;

export type ParsedBlock = { ok: true; spec: BlockSpec } | { ok: false; error: string };

/**
 * One block's body: `key: value` per line (a value may hold colons, as SMARTS do), blank lines and `#` comments
 * skipped, each key once. Every mistake is named ("limit: must be a whole number from 1 to 100"); the first few are
 * joined into the one message the page shows in place of the block.
 */
export function parseBlock(kind: BlockKind, body: string): ParsedBlock {
  if (body.length > BLOCK_BODY_MAX)
    return { ok: false, error: `A ${kind} block is at most ${BLOCK_BODY_MAX.toLocaleString("en")} characters.` };
  const lines = body.split(/\r?\n/);
  if (lines.length > BLOCK_LINES_MAX) return { ok: false, error: `A ${kind} block is at most ${BLOCK_LINES_MAX} lines.` };
  const fields: Record<string, string> = {};
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    const key = colon > 0 ? line.slice(0, colon).trim() : "";
    if (!/^[a-z][a-zA-Z]*$/.test(key)) return { ok: false, error: `Line ${i + 1}: write “key: value” (for example “limit: 24”).` };
    if (key in fields) return { ok: false, error: `Line ${i + 1}: ${key} is given twice.` };
    fields[key] = line.slice(colon + 1).trim();
  }
  const parsed = blockSchemas[kind].safeParse(fields);
  if (parsed.success) return { ok: true, spec: { kind, ...parsed.data } as BlockSpec };
  const messages = parsed.error.issues.slice(0, 3).map((issue) => {
    const key = issue.path.join(".");
    if (issue.code === "unrecognized_keys") {
      const allowed = Object.keys(blockShapes[kind]);
      return `${issue.keys.join(", ")}: not a key of a ${kind} block (keys: ${allowed.join(", ")})`;
    }
    if (issue.code === "invalid_type" && issue.input === undefined) return `${key}: is required`;
    return key ? `${key}: ${issue.message}` : issue.message;
  });
  return { ok: false, error: messages.join("; ") };
}

// ----- cutting a page into segments ------------------------------------------------------------------------------

export type Segment =
  | { type: "markdown"; text: string }
  | { type: "block"; kind: BlockKind; source: string; parsed: ParsedBlock; index: number }
  | { type: "molecule"; code: string; index: number };

interface Node {
  type: string;
  lang?: string | null;
  value?: string;
  url?: string;
  children?: Node[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

const parser = unified().use(remarkParse).use(remarkGfm);
const KINDS = new Set<string>(blockKinds);

/** The campaign ID a top-level paragraph holds and nothing else (written plainly, or as a link to its page). */
function loneId(node: Node): string | null {
  if (node.type !== "paragraph" || node.children?.length !== 1) return null;
  const only = node.children[0]!;
  const text =
    only.type === "text" ? only.value : only.type === "link" && only.children?.length === 1 ? only.children[0]!.value : undefined;
  if (typeof text !== "string") return null;
  const code = canonicalCode(text.trim());
  return code && text.trim().toUpperCase() === code ? code : null;
}

/**
 * A page's text as markdown segments and live blocks, in order. Only top-level nodes are blocks: a fenced block
 * inside a list or a quote stays code, as written. Blocks past BLOCKS_PER_PAGE carry an error instead of a query.
 */
export function pageSegments(markdown: string): Segment[] {
  const tree = parser.parse(markdown) as Node;
  const segments: Segment[] = [];
  let cursor = 0;
  let blocks = 0;
  for (const node of tree.children ?? []) {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) continue;
    const kind = node.type === "code" && node.lang && KINDS.has(node.lang) ? (node.lang as BlockKind) : null;
    const code = kind ? null : loneId(node);
    if (!kind && !code) continue;
    if (start > cursor) segments.push({ type: "markdown", text: markdown.slice(cursor, start) });
    cursor = end;
    const index = blocks++;
    if (code) {
      segments.push({ type: "molecule", code, index });
      continue;
    }
    const parsed: ParsedBlock =
      index >= BLOCKS_PER_PAGE
        ? { ok: false, error: `A page shows at most ${BLOCKS_PER_PAGE} live blocks; this one is past that.` }
        : parseBlock(kind!, node.value ?? "");
    segments.push({ type: "block", kind: kind!, source: markdown.slice(start, end), parsed, index });
  }
  if (cursor < markdown.length) segments.push({ type: "markdown", text: markdown.slice(cursor) });
  return segments.filter((s) => s.type !== "markdown" || s.text.trim() !== "");
}
