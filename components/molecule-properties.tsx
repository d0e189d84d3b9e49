import type { ReactNode } from "react";
import type { MoleculeDetail } from "@/db/queries/molecules";

/** What a medicinal chemist reads first: formula, masses and the rule-of-five descriptors. */
export function MoleculeProperties({ molecule }: { molecule: MoleculeDetail }) {
  const p = molecule.properties;
  const rows: [string, ReactNode, string?][] = [
    ["Formula", <Formula key="f" formula={molecule.formula} />],
    ["Average mass", `${p.averageMass.toFixed(2)} g/mol`],
    ["Monoisotopic mass", `${p.monoisotopicMass.toFixed(4)} Da`],
    ["cLogP", p.clogp.toFixed(2), "OpenChemLib's estimate"],
    ["TPSA", `${p.tpsa.toFixed(1)} Å²`, "topological polar surface area"],
    ["H-bond donors / acceptors", `${p.hbd} / ${p.hba}`],
    ["Rotatable bonds", String(p.rotatableBonds)],
    ["Heavy atoms", String(p.heavyAtoms)],
    ...(p.charge !== 0 ? ([["Net charge", p.charge > 0 ? `+${p.charge}` : String(p.charge)]] as [string, string][]) : []),
    ["Lipinski violations", `${p.lipinskiViolations} of 4`, "MW > 500, cLogP > 5, HBD > 5, HBA > 10"],
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
