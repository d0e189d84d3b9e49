// The molecule registry: campaign ID settings and counters, molecules, aliases and append-only measurements.
import { sql } from "drizzle-orm";
import {
  bigint,
  date,
  index,
  integer,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
  check,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { oneOf, bytea, createdAt, propertyColumns } from "./columns";
import { users } from "./identity";
import { campaigns } from "./campaigns";
import { entries } from "./notebook";
import { moleculeStatuses, qualifiers } from "../../lib/molecules/model";

/**
 * How a campaign numbers its molecules: IDs are `<prefix>-<site>-<n>` (OSM-S-123). A prefix belongs to one campaign
 * only, so an ID names one molecule across the whole notebook (mentions and /molecules/{id} rely on that). A row is
 * written on the first registration (or by a maintainer); until then the campaign uses a default from its slug.
 */
export const campaignRegistrySettings = pgTable("campaign_registry_settings", {
  campaignId: integer("campaign_id")
    .primaryKey()
    .references(() => campaigns.id),
  prefix: text("prefix").notNull().unique(),
  defaultSite: text("default_site").notNull().default("A"),
  updatedAt: timestamp("updated_at", { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});
export type CampaignRegistrySettings = typeof campaignRegistrySettings.$inferSelect;

/**
 * The next free number per campaign, prefix and site. Allocation is an upsert that increments and returns in the
 * registering transaction, so two registrations never get the same number; an ID given on import moves it past
 * that number. Numbers are never handed out twice, even after a molecule is parked.
 */
export const campaignIdCounters = pgTable(
  "campaign_id_counters",
  {
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    prefix: text("prefix").notNull(),
    site: text("site").notNull(),
    nextNumber: integer("next_number").notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.prefix, t.site] })],
);

/** Hands out molecules.search_version numbers (see there). */
export const moleculesSearchVersionSeq = pgSequence("molecules_search_version_seq");

export const molecules = pgTable(
  "molecules",
  {
    id: serial("id").primaryKey(),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    /** The public ID, e.g. OSM-S-123. Unique across campaigns (prefixes are), which implies unique per campaign. */
    campaignCode: text("campaign_code").notNull(),
    site: text("site").notNull(),
    number: integer("number").notNull(),
    name: text("name"),
    series: text("series"),
    /** The SMILES as the chemist gave it; null when a molfile was given. */
    inputSmiles: text("input_smiles"),
    /** OpenChemLib's canonical isomeric SMILES. */
    smiles: text("smiles").notNull(),
    idcode: text("idcode").notNull(),
    idcodeNoStereo: text("idcode_no_stereo").notNull(),
    parentIdcode: text("parent_idcode").notNull(),
    /**
     * The registry's keys from RDKit's reading (lib/chem/keys.ts: canonical isomeric SMILES, without stereo, of the
     * charge parent), which the duplicate check moves to (issue 12). Null when RDKit cannot read the structure, and
     * for a molecule registered before them until the data repair "registry-keys-<RDKit version>" has made them
     * (again after an RDKit upgrade: its canonical SMILES are not promised across releases).
     */
    registryKey: text("registry_key"),
    registryKeyNoStereo: text("registry_key_no_stereo"),
    parentRegistryKey: text("parent_registry_key"),
    /**
     * The molfile as given (a drawing keeps its coordinates); null for a structure registered from a SMILES, whose
     * 2D coordinates are made when a molfile is asked for (lib/chem molfileFromIdcode), like its depictions.
     */
    molfile: text("molfile"),
    formula: text("formula").notNull(),
    /** The computed properties: one column each, from lib/molecules/properties.ts. */
    ...propertyColumns(),
    /** Null when RDKit cannot compute a standard InChI (e.g. carboranes): the molecule is registered anyway. */
    inchi: text("inchi"),
    inchikey: text("inchikey"),
    /**
     * The structure-search record (lib/search/record.ts: screen and similarity fingerprints, compact graph), filled by
     * the search index the first time it meets the molecule, so later starts load it instead of recomputing.
     */
    searchRecord: bytea("search_record"),
    status: text("status", { enum: moleculeStatuses }).notNull().default("active"),
    /**
     * Position in the order in which the search index must learn about molecules: a new number from
     * molecules_search_version_seq when the row is inserted and again, by trigger (migration 0012), whenever its
     * status changes. Every process's index reads the rows above the highest number it has seen.
     */
    searchVersion: bigint("search_version", { mode: "number" })
      .notNull()
      .default(sql`nextval('molecules_search_version_seq')`),
    parkReason: text("park_reason"),
    /** When it was last parked (null while active, and for molecules parked before this was kept): the newsletter tells it. */
    parkedAt: timestamp("parked_at", { withTimezone: true }),
    /** A batch or salt form points at the molecule it is a form of. */
    parentMoleculeId: integer("parent_molecule_id").references((): AnyPgColumn => molecules.id),
    registeredById: integer("registered_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("molecules_campaign_code_idx").on(t.campaignCode),
    index("molecules_campaign_number_idx").on(t.campaignId, t.site, t.number),
    // Hash indexes: an idcode of a large molecule can pass btree's ~2.7 kB row limit, and lookups are by equality.
    // (Hash indexes take one column; the campaign is filtered after.)
    index("molecules_idcode_idx").using("hash", t.idcode),
    index("molecules_idcode_no_stereo_idx").using("hash", t.idcodeNoStereo),
    index("molecules_parent_idcode_idx").using("hash", t.parentIdcode),
    index("molecules_registry_key_idx").using("hash", t.registryKey),
    index("molecules_registry_key_no_stereo_idx").using("hash", t.registryKeyNoStereo),
    index("molecules_parent_registry_key_idx").using("hash", t.parentRegistryKey),
    index("molecules_inchikey_idx").on(t.inchikey),
    index("molecules_parent_idx").on(t.parentMoleculeId),
    // The structure-search index catches up before every search by reading the rows above its version
    // (db/queries/molecule-search.ts): usually none, found in this index without touching the table.
    index("molecules_search_version_idx").on(t.searchVersion),
    check("molecules_status_check", oneOf(t.status, moleculeStatuses)),
  ],
);
export type Molecule = typeof molecules.$inferSelect;

/** Other names of a molecule: inherited codes (MMV numbers), older campaign IDs. Unique per campaign, any case. */
export const moleculeAliases = pgTable(
  "molecule_aliases",
  {
    id: serial("id").primaryKey(),
    moleculeId: integer("molecule_id")
      .notNull()
      .references(() => molecules.id),
    campaignId: integer("campaign_id")
      .notNull()
      .references(() => campaigns.id),
    alias: text("alias").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("molecule_aliases_campaign_alias_idx").on(t.campaignId, sql`lower(${t.alias})`),
    index("molecule_aliases_alias_idx").on(sql`lower(${t.alias})`),
    index("molecule_aliases_molecule_idx").on(t.moleculeId),
  ],
);
export type MoleculeAlias = typeof moleculeAliases.$inferSelect;

/** Assay results. Append-only like revisions: a trigger refuses UPDATE and DELETE; a correction is a new row. */
export const measurements = pgTable(
  "measurements",
  {
    id: serial("id").primaryKey(),
    moleculeId: integer("molecule_id")
      .notNull()
      .references(() => molecules.id),
    /** The endpoint, e.g. IC50. */
    assay: text("assay").notNull(),
    /** Organism, target or strain, e.g. "Pfal (K1)". */
    target: text("target"),
    lab: text("lab"),
    value: numeric("value", { mode: "number" }).notNull(),
    /** Null for dimensionless values such as pIC50. */
    unit: text("unit"),
    qualifier: text("qualifier", { enum: qualifiers }).notNull().default("="),
    measuredOn: date("measured_on", { mode: "string" }),
    /** The entry that reports the measurement. */
    entryId: integer("entry_id").references(() => entries.id),
    addedById: integer("added_by_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("measurements_molecule_idx").on(t.moleculeId),
    index("measurements_entry_idx").on(t.entryId),
    check("measurements_qualifier_check", oneOf(t.qualifier, qualifiers)),
  ],
);
export type Measurement = typeof measurements.$inferSelect;
