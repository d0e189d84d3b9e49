/**
 * The chemistry domain: plain TypeScript over OpenChemLib and RDKit, returning plain data and throwing ChemError.
 *
 * Server code may import from here. Client components should import the module they need directly
 * (`@/lib/chem/campaign-id`, `@/lib/chem/depict`): this index also re-exports safe.ts (node:worker_threads) and
 * inchi.ts (RDKit's wasm), which do not belong in a browser bundle.
 */
export { ChemError, isChemError, type ChemErrorCode } from "./errors";
export { SHEET_LIMITS, STRUCTURE_LIMITS } from "./limits";
export {
  toChargeParent,
  describeMolecule,
  hillFormula,
  parseStructure,
  readMolecule,
  type ParsedStructure,
  type StructureInput,
} from "./structure";
export { computeInchi, getRDKit, withRDKitMol, type InchiResult, type RDKitModule } from "./inchi";
export { depictSvg, depictThumbnail, THUMBNAIL_SIZE, type DepictOptions } from "./depict";
export {
  findMentions,
  formatCampaignId,
  isCampaignId,
  normalizeCampaignId,
  parseCampaignId,
  splitCampaignIds,
  tryParseCampaignId,
  type CampaignId,
  type FindMentionsOptions,
} from "./campaign-id";
export { extractRecords, guessMapping, type ColumnMapping, type ImportMeasurement, type ImportRecord, type MeasurementColumn } from "./sheet-mapping";
export {
  parseSdf,
  parseSheet,
  toCsv,
  toSdf,
  type CellValue,
  type ParsedSdf,
  type ParsedSheet,
  type SdfExportRecord,
  type SdfRecord,
  type SheetFormat,
  type SheetLimits,
  type SheetRow,
  type SheetRowError,
} from "./sheet";
export {
  ChemWorkerPool,
  closeSharedChemPool,
  safeParseStructure,
  sharedChemPool,
  type ChemPoolOptions,
  type SafeParseOptions,
  type SafeParseResult,
} from "./safe";
