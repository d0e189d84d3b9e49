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
