import type { ReactNode } from "react";
import type { MoleculeDetail } from "@/db/queries/molecules";
import { formatProperty, moleculeProperties } from "@/lib/molecules/properties";

/** What a medicinal chemist reads first: formula, masses and the rule-of-five descriptors. */
export function MoleculeProperties({ molecule }: { molecule: MoleculeDetail }) {
  const values = molecule.properties;
  const rows: [string, ReactNode, string?][] = [
    ["Formula", <Formula key="f" formula={molecule.formula} />],
    // Every property of lib/molecules/properties.ts; a net charge only when there is one.
    ...moleculeProperties
      .filter((p) => p.key !== "charge" || values.charge !== 0)
      .map((p): [string, string, string] => [p.name, formatProperty(p, values[p.key]), p.description]),
  ];
  return (
    <table className="props" data-testid="properties">
      <tbody>
        {rows.map(([label, value, hint]) => (
          <tr key={label}>
            <th scope="row" title={hint}>
              {label}
            </th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** C19H13F5N6O2 with subscript counts and a superscript charge, as chemists write it. */
export function Formula({ formula }: { formula: string }) {
  const match = /^(.*?)(\d*[+-])?$/.exec(formula);
  const body = match?.[1] ?? formula;
  const charge = match?.[2];
  const parts = body.split(/(\d+)/).filter(Boolean);
  return (
    <span className="formula" aria-label={formula}>
      {parts.map((part, i) => (/^\d+$/.test(part) ? <sub key={i}>{part}</sub> : <span key={i}>{part}</span>))}
      {charge ? <sup>{charge}</sup> : null}
    </span>
  );
}
