import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Spectra the tests read. Real NMR files come from cheminfo's `jcamp-data-test` package (MIT; a Bruker TopSpin
 * export of aspirin, and MestReNova exports of rutin from the Harvard Dataverse set it credits); the IR file is our
 * own computed fixture (its header says how it was made), because no package ships a real IR spectrum we may copy.
 */
const dataDir = path.join(path.dirname(createRequire(import.meta.url).resolve("jcamp-data-test/package.json")), "data");

export type RealSpectrum =
  | "aspirin-1h.dx"
  | "aspirin-1h.fid.dx"
  | "Rutin_3080ug200uL_DMSOd6_13CNMR_400MHz_JDX.jdx"
  | "Rutin_3080ug200uL_DMSOd6_qHNMR_400MHz_JDX.jdx";

export function realSpectrum(name: RealSpectrum): Uint8Array {
  return readFileSync(path.join(dataDir, name));
}

export function fixture(name: "polystyrene-film-ir.jdx"): Uint8Array {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/spectra/${name}`, import.meta.url)));
}
