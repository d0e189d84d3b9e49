// How the wiki's live blocks write numbers: potency with its qualifier and unit, properties to their decimals.

const significant = new Intl.NumberFormat("en", { maximumSignificantDigits: 3, useGrouping: false });

/** "0.052 µM", "< 0.05 µM", "> 10 µM", "7.3" (pIC50 has no unit). */
export function formatPotency(p: { value: number; qualifier: "=" | "<" | ">"; unit: string | null } | null): string {
  if (!p) return "—";
  const qualifier = p.qualifier === "=" ? "" : `${p.qualifier} `;
  return `${qualifier}${significant.format(p.value)}${p.unit ? ` ${p.unit}` : ""}`;
}

export function formatNumber(value: number): string {
  return significant.format(value);
}
