import { formatAmount } from "./compute";

/** Amounts in the unit a chemist would write them in: mg below a gram, µL below a millilitre. */
export function formatMass(mg: number | null | undefined): string {
  if (mg === null || mg === undefined || !Number.isFinite(mg)) return "";
  return mg >= 1000 ? `${formatAmount(mg / 1000)} g` : `${formatAmount(mg)} mg`;
}

export function formatVolume(ul: number | null | undefined): string {
  if (ul === null || ul === undefined || !Number.isFinite(ul)) return "";
  return ul >= 1000 ? `${formatAmount(ul / 1000)} mL` : `${formatAmount(ul)} µL`;
}

export function formatMmol(mmol: number | null | undefined): string {
  if (mmol === null || mmol === undefined || !Number.isFinite(mmol)) return "";
  return mmol < 0.1 ? `${formatAmount(mmol * 1000)} µmol` : `${formatAmount(mmol)} mmol`;
}

export function formatPercent(value: number | null | undefined, significant = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "";
  return `${formatAmount(value, significant)} %`;
}

/** Molar mass to two decimals, as catalogues give it. */
export function formatMw(mw: number | null | undefined): string {
  if (mw === null || mw === undefined || !Number.isFinite(mw)) return "";
  return mw.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A reaction's figures as one line of text parts (those that can be computed yet). */
export function describeFigures(figures: {
  atomEconomyPercent: number | null;
  massEfficiencyPercent: number | null;
  solventVolumeMl: number | null;
  referenceConcentrationM: number | null;
}): string[] {
  return [
    figures.atomEconomyPercent !== null ? `Atom economy ${formatPercent(figures.atomEconomyPercent)}` : null,
    figures.massEfficiencyPercent !== null ? `mass efficiency ${formatPercent(figures.massEfficiencyPercent)}` : null,
    figures.solventVolumeMl !== null ? `solvent ${formatVolume(figures.solventVolumeMl * 1000)}` : null,
    figures.referenceConcentrationM !== null ? `${formatAmount(figures.referenceConcentrationM)} M in the reference` : null,
  ].filter((part): part is string => part !== null);
}
