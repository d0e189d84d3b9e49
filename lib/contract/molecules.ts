import { z } from "zod";
import { workDate } from "../entries/input";
import { campaignCode, alias, compareModes, oneLine, site, unit } from "../molecules/input";
import { moleculeStatuses, qualifiers } from "../molecules/model";
import { moleculeProperties, propertyKeys, propertyNamed, tablePropertyKeys } from "../molecules/properties";
import { PREFIX_PATTERN } from "../molecules/registry-prefix";
import { STRUCTURE_LIMITS } from "../chem/limits";
import { licenseId } from "./campaigns";
import { isoDate, isoDateTime, nullableString, url } from "./common";

// The molecule registry: registration, measurements, parking, numbering, lists and the molecule table's filters,
// and the answers. A molecule's properties come from lib/molecules/properties.ts.

export const registerMoleculeInput = z.strictObject({
  campaign: z.string({ error: "is required (the campaign's slug)" }).min(1, "is required (the campaign's slug)"),
  // Sizes and content are checked by lib/chem before parsing (too long → 413, unreadable → 422).
  smiles: z
    .string({ error: "must be a string" })
    .nullish()
    .meta({ description: `at most ${STRUCTURE_LIMITS.smilesChars.toLocaleString("en")} characters` }),
  molfile: z
    .string({ error: "must be a string" })
    .nullish()
    .meta({ description: `V2000 or V3000, at most ${STRUCTURE_LIMITS.molfileBytes / 1000} kB` }),
  id: campaignCode.optional().meta({ description: "an existing campaign ID to register under (unused; moves the counter past it)" }),
  site: site.optional().meta({ description: "the site letter of the new ID (default: the campaign's)" }),
  name: oneLine(200).optional(),
  series: oneLine(50).optional(),
  aliases: z.array(alias).max(50, "at most 50 aliases").default([]),
  compare: z
    .enum(compareModes, { error: "must be exact, no-stereo or parent" })
    .default("exact")
    .meta({ description: "what counts as the same structure for the duplicate check" }),
  parentId: campaignCode.optional().meta({ description: "maintainers: register a batch or salt form of this molecule" }),
  allowDuplicateOf: campaignCode
    .optional()
    .meta({ description: "maintainers: register although it duplicates this molecule (linked to it as parent)" }),
});
export type RegisterMoleculeInput = z.infer<typeof registerMoleculeInput>;

export const measurementInput = z.strictObject({
  assay: oneLine(100)
    .pipe(z.string().min(1, "is required, e.g. IC50"))
    .meta({ examples: ["IC50"] }),
  target: oneLine(100).optional().meta({ examples: ["Pfal (3D7)"] }),
  lab: oneLine(100).optional(),
  value: z
    .number({ error: "must be a number" })
    .refine(Number.isFinite, "must be a finite number")
    .refine((v) => Math.abs(v) < 1e15, "is too large"),
  unit: unit.nullish().meta({ examples: ["µM"], description: "uM, ug/ml... are normalized; null or omitted for dimensionless values" }),
  qualifier: z.enum(qualifiers, { error: "must be =, < or >" }).default("="),
  measuredOn: workDate.optional(),
  entryId: z
    .number({ error: "must be an entry id" })
    .int("must be an integer")
    .positive("must be positive")
    .optional()
    .meta({ description: "the entry that reports it, in the same campaign" }),
});
export type MeasurementInput = z.infer<typeof measurementInput>;

export const parkInput = z.strictObject({
  reason: oneLine(500).pipe(z.string().min(1, "is required: say why the molecule is parked")),
});
export type ParkInput = z.infer<typeof parkInput>;

export const registrySettingsInput = z.strictObject({
  prefix: z
    .string({ error: "must be a string" })
    .trim()
    .toUpperCase()
    .regex(PREFIX_PATTERN, "must be 1-12 letters or digits, starting with a letter")
    .optional(),
  defaultSite: site.optional(),
});
export type RegistrySettingsInput = z.infer<typeof registrySettingsInput>;

/** Orders of the molecule list: the campaign's numbering, name, time of registration, or any property. */
export const moleculeSorts = ["id", "name", "created", ...propertyKeys] as const;

/** A sort parameter: a field (a property by its key or an earlier spelling), descending with a leading "-". */
export const sortParameter = <F extends string>(fields: readonly F[], extra: readonly string[] = []) =>
  z.string().transform((text, ctx) => {
    const descending = text.startsWith("-");
    const name = descending ? text.slice(1) : text;
    const field = fields.includes(name as F) ? name : propertyNamed(name)?.key;
    if (field === undefined || !fields.includes(field as F)) {
      ctx.addIssue({ code: "custom", message: `must be one of ${[...fields, ...extra].join(", ")}, with - for descending` });
      return z.NEVER;
    }
    return `${descending ? "-" : ""}${field as F}` as F | `-${F}`;
  });

export const listMoleculesQuery = z.object({
  campaign: z.string().min(1).optional().meta({ description: "campaign slug" }),
  q: z.string().trim().max(200, "must be at most 200 characters").optional().meta({ description: "matches IDs, names and aliases (any case, any part), or an InChIKey exactly" }),
  status: z.enum(moleculeStatuses, { error: "must be active or parked" }).optional(),
  page: z.coerce
    .number({ error: "must be a positive integer" })
    .int("must be a positive integer")
    .min(1, "must be a positive integer")
    .max(1_000_000)
    .default(1),
  perPage: z.coerce
    .number({ error: "must be an integer from 1 to 1000" })
    .int("must be an integer from 1 to 1000")
    .min(1, "must be an integer from 1 to 1000")
    .max(1000, "must be an integer from 1 to 1000")
    .default(50),
  sort: sortParameter(moleculeSorts)
    .default("id")
    .meta({ description: `${moleculeSorts.join(", ")}; a leading - sorts descending` }),
});
export type ListMoleculesQuery = z.infer<typeof listMoleculesQuery>;


const finite = z.coerce.number({ error: "must be a number" }).refine(Number.isFinite, "must be a number");

/** Filters of the molecule table's feed, as query parameters (`?q=&status=&property=averageMass&min=&max=&assay=&potency=`). */
export const moleculeTableQuery = z
  .strictObject({
    q: z.string().trim().max(200, "must be at most 200 characters").optional(),
    status: z.enum(moleculeStatuses, { error: "must be active or parked" }).optional(),
    property: z
      .string()
      .transform((text, ctx) => {
        const key = propertyNamed(text)?.key;
        if (key === undefined || !(tablePropertyKeys as string[]).includes(key)) {
          ctx.addIssue({ code: "custom", message: `must be one of ${tablePropertyKeys.join(", ")}` });
          return z.NEVER;
        }
        return key as (typeof tablePropertyKeys)[number];
      })
      .optional(),
    min: finite.optional(),
    max: finite.optional(),
    /** An assay key (as in `assays[].key`) and a threshold: molecules at least that potent in it. */
    assay: z.string().max(300).optional(),
    potency: finite.optional(),
  })
  .refine((f) => (f.min === undefined && f.max === undefined) || f.property !== undefined, {
    message: "give the property that min and max apply to",
    path: ["property"],
  })
  .refine((f) => (f.potency === undefined) === (f.assay === undefined), { message: "give both assay and potency", path: ["potency"] });
export type MoleculeTableQuery = z.infer<typeof moleculeTableQuery>;

// ----- answers --------------------------------------------------------------------------------------------------

export const Potency = z
  .object({
    label: z.string().meta({ examples: ["Pfal (K1) IC50"] }),
    assay: z.string(),
    target: nullableString,
    value: z.number(),
    unit: nullableString,
    qualifier: z.enum(qualifiers),
    count: z.int(),
  })
  .meta({
    id: "Potency",
    description:
      "Best value per assay and target (labs pooled). Lower is better for IC50-like endpoints (smallest '=' or '<' value; only '>' bounds → the highest bound); higher is better for pIC50 and % inhibition. Molar units are compared in µM.",
  });

/** The computed properties, one member per row of lib/molecules/properties.ts. */
export const MoleculeProperties = z
  .object(
    Object.fromEntries(
      moleculeProperties.map((p) => [
        p.key,
        (p.type === "integer" ? z.int() : z.number()).meta({ description: `${p.name}${p.unit ? ` (${p.unit})` : ""}: ${p.description}` }),
      ]),
    ) as { [K in (typeof propertyKeys)[number]]: z.ZodNumber },
  )
  .meta({ id: "MoleculeProperties" });

const MentioningEntry = z.object({ id: z.int(), title: z.string(), date: isoDate, campaign: z.string(), author: z.string(), url });
export type MentioningEntryBody = z.input<typeof MentioningEntry>;

export const Molecule = z
  .object({
    id: z.string().meta({ description: "campaign ID, <PREFIX>-<site>-<n>", examples: ["OSM-S-123"] }),
    campaign: z.string().meta({ description: "campaign slug" }),
    name: nullableString,
    aliases: z.array(z.string()),
    series: nullableString,
    status: z.enum(moleculeStatuses),
    parkReason: nullableString,
    parent: nullableString.meta({ description: "ID of the molecule this is a batch or salt form of" }),
    smiles: z.string().meta({ description: "canonical isomeric SMILES (OpenChemLib)" }),
    inputSmiles: nullableString.meta({ description: "the SMILES as registered; null when a molfile was given" }),
    idcode: z.string().meta({ description: "OpenChemLib idcode: the registry's identity key" }),
    inchi: nullableString,
    inchikey: nullableString.meta({ description: "null when no standard InChI can be computed (e.g. carboranes)" }),
    formula: z.string(),
    properties: MoleculeProperties,
    potency: z.array(Potency),
    registeredBy: z.string(),
    createdAt: isoDateTime,
    license: licenseId.meta({ description: "SPDX identifier of the licence of its campaign's data" }),
    licenseUrl: url,
    url,
    links: z.object({ pubchem: url, chembl: url }).nullable(),
    molfile: z.string().optional().meta({ description: "single molecule only" }),
    forms: z.array(z.string()).optional().meta({ description: "single molecule only: IDs of its batch and salt forms" }),
    warnings: z.array(z.string()).optional().meta({ description: "registration only, e.g. no InChI could be computed" }),
    mentionedIn: z
      .array(MentioningEntry)
      .optional()
      .meta({ description: "single molecule only: entries that mention it by ID or by an alias that is an ID" }),
  })
  .meta({ id: "Molecule" });
export type MoleculeBody = z.input<typeof Molecule>;

export const MoleculeList = z.object({
  molecules: z.array(Molecule),
  page: z.int(),
  perPage: z.int(),
  total: z.int(),
  hasMore: z.boolean(),
});

export const Measurement = z
  .object({
    id: z.int(),
    molecule: z.string(),
    assay: z.string().meta({ examples: ["IC50"] }),
    target: nullableString,
    lab: nullableString,
    value: z.number(),
    unit: nullableString,
    qualifier: z.enum(qualifiers),
    measuredOn: isoDate.nullable(),
    entry: z.object({ id: z.int(), url }).nullable(),
    addedBy: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: "Measurement" });
export type MeasurementBody = z.input<typeof Measurement>;

export const Registry = z
  .object({
    campaign: z.string(),
    prefix: z.string().regex(/^[A-Z][A-Z0-9]{0,11}$/),
    defaultSite: z.string().regex(/^[A-Z]$/),
    saved: z.boolean().meta({ description: "false while the campaign uses the default from its slug" }),
    counters: z.array(z.object({ prefix: z.string(), site: z.string(), next: z.int() })),
  })
  .meta({ id: "Registry" });
export type RegistryBody = z.input<typeof Registry>;
