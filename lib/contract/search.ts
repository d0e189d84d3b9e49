import { z } from "zod";
import { moleculeStatuses } from "../molecules/model";
import { propertyNamed, searchProperties, searchPropertyKeys, type SearchPropertyKey } from "../molecules/properties";
import { Potency } from "./molecules";

// Structure search: its parameters (shared by the search and its downloads) and its answer.

/** Orders of the hit list: "relevance" is registration order (substructure, exact) or similarity, best first. */
export const searchSorts = ["relevance", ...searchPropertyKeys.flatMap((k) => [k, `-${k}`] as const), "potency"] as [
  "relevance",
  ...(SearchPropertyKey | `-${SearchPropertyKey}`)[],
  "potency",
];
export type SearchSort = "relevance" | "potency" | SearchPropertyKey | `-${SearchPropertyKey}`;
export const searchModes = ["exact", "substructure", "similarity"] as const;

const number = (message: string) => z.coerce.number({ error: message }).refine(Number.isFinite, message);

/** A range filter per property the search index holds: `averageMassMin`, `averageMassMax`, `clogpMin`, ... */
const rangeShape = Object.fromEntries(
  searchProperties.flatMap((p) => {
    const bound = p.key === "clogp" ? z.coerce.number().min(-50).max(50) : z.coerce.number().min(0);
    return [
      [`${p.key}Min`, bound.optional().meta({ description: `lowest ${p.name.toLowerCase()}${p.unit ? ` (${p.unit})` : ""}` })],
      [`${p.key}Max`, bound.optional().meta({ description: `highest ${p.name.toLowerCase()}` })],
    ];
  }),
) as { [K in `${SearchPropertyKey}${"Min" | "Max"}`]: z.ZodOptional<z.ZodCoercedNumber> };

export const searchQueryObject = z.object({
  q: z.string().max(2000, "at most 2,000 characters").meta({ description: "SMILES, or SMARTS for substructure search" }),
  mode: z.enum(searchModes).default("substructure"),
  threshold: z.coerce
    .number()
    .min(0.05, "at least 0.05")
    .max(1, "at most 1")
    .default(0.5)
    .meta({ description: "similarity: lowest Tanimoto similarity; hits come best first, so limit gives the top k" }),
  limit: z.coerce.number().int().min(1, "at least 1").max(500, "at most 500").default(50),
  cursor: z.string().max(200).optional().meta({ description: "the cursor of the previous page" }),
  campaign: z.string().max(100).optional().meta({ description: "campaign slug" }),
  status: z.enum([...moleculeStatuses, "any"]).default("active"),
  total: z
    .enum(["true", "false"])
    .default("true")
    .meta({ description: "false: answer the first page without counting every hit (total is then null)" }),
  recognized: z.enum(["true", "false"]).default("false").meta({
    description:
      "true: also search the structures recognized in pictures attached to entries (answered apart, in `recognized`; only q, mode, threshold and campaign apply to them)",
  }),
  ...rangeShape,
  assay: z.string().max(300).optional().meta({
    description:
      'an assay column for potency and sort=potency: its key ("Pfal IC50|µM"), the label the pages show ("Pfal IC50 (µM)") or the assay alone when it has one unit, any case; an assay without measurements is a 422 listing the ones there are',
  }),
  potency: number("must be a number").optional().meta({
    description:
      "with assay: molecules whose best value is at least this potent (≤ for IC50-like endpoints, ≥ for pIC50 and % inhibition; a bound on the weak side such as '>10' does not qualify)",
  }),
  sort: z
    .enum(searchSorts, { error: `must be one of ${searchSorts.join(", ")}` })
    .default("relevance")
    .meta({
      description:
        "relevance: registration order (substructure, exact) or similarity, best first; a property ascending, or descending with a leading -; potency: most potent in the assay first. Molecules without the value come last. Sorting reads every hit: at most 100,000.",
    }),
});

/** Earlier spellings of a property in parameters (`mwMin`, `sort=-mw`) read as its key. */
export function canonicalSpellings(input: unknown): unknown {
  if (typeof input !== "object" || input === null) return input;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const range = /^(.+)(Min|Max)$/.exec(name);
    const key = range ? propertyNamed(range[1]!)?.key : undefined;
    out[key && range ? `${key}${range[2]}` : name] ??= value;
  }
  if (typeof out.sort === "string") {
    const descending = out.sort.startsWith("-");
    const key = propertyNamed(out.sort.replace(/^-/, ""))?.key;
    if (key) out.sort = `${descending ? "-" : ""}${key}`;
  }
  return out;
}

export const searchQuery = z.preprocess(
  canonicalSpellings,
  searchQueryObject
    .refine((p) => p.potency === undefined || p.assay !== undefined, { message: "give the assay the potency is in", path: ["assay"] })
    .refine((p) => p.sort !== "potency" || p.assay !== undefined, { message: "give the assay to sort by", path: ["assay"] }),
);
export type SearchQuery = z.output<typeof searchQuery>;

/** A download holds every hit: no page size, cursor or count. */
export const searchExportQuery = searchQuery;
export const searchExportParameters = Object.keys(searchQueryObject.shape).filter((k) => !["limit", "cursor", "total"].includes(k));

export const SearchResult = z.object({
  mode: z.enum(searchModes),
  sort: z.enum(searchSorts),
  total: z.int().nullable(),
  cursor: z.string().nullable(),
  tookMs: z.number(),
  hits: z.array(
    z.object({
      id: z.string(),
      campaign: z.string(),
      name: z.string().nullable(),
      smiles: z.string(),
      status: z.enum(moleculeStatuses),
      ...(Object.fromEntries(searchProperties.map((p) => [p.key, z.number()])) as { [K in SearchPropertyKey]: z.ZodNumber }),
      potency: z.array(Potency).meta({ description: "best value per assay and target" }),
      similarity: z.number().optional().meta({ description: "similarity mode" }),
      atoms: z.array(z.int()).optional().meta({ description: "substructure mode: matched atoms, numbered as in the molecule's depiction" }),
      url: z.string(),
      depiction: z.string(),
    }),
  ),
  recognized: z
    .object({
      total: z.int(),
      hits: z.array(
        z.object({
          smiles: z.string(),
          formula: z.string(),
          page: z.int(),
          confidence: z.number(),
          similarity: z.number().optional(),
          entry: z.object({ id: z.int(), title: z.string(), date: z.string(), url: z.string(), campaign: z.string() }),
          attachment: z.object({ id: z.int(), filename: z.string(), url: z.string() }),
          match: z
            .object({ id: z.string(), url: z.string() })
            .optional()
            .meta({ description: "the registered molecule with the same structure" }),
        }),
      ),
    })
    .optional()
    .meta({
      description: `with recognized=true: structures found by OSRA in entries' pictures (not registered; the first 50 shown, best first for similarity)`,
    }),
});
export type SearchResultBody = z.input<typeof SearchResult>;
