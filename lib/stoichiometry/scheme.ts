import type { Role } from "./compute";
import type { ReactionRowInput } from "./input";

/**
 * A reaction scheme as text: reaction SMILES (`reactants>agents>products`, components separated by dots) split into
 * its structures, and the table rows a scheme stands for. Only the text is handled here; each structure is read by a
 * toolkit elsewhere (the sandboxed workers on the server, OpenChemLib in the editor).
 */

export interface SchemeComponent {
  side: "reactants" | "agents" | "products";
  smiles: string;
  /** How often the structure appears on its side: its stoichiometric coefficient. */
  count: number;
}

export class SchemeError extends Error {
  override readonly name = "SchemeError";
}

/**
 * The structures of a reaction SMILES in order of first appearance per side, repeated ones counted once with their
 * count. CXSMILES extensions after a space (`|…|`) are ignored. Throws SchemeError when it is not reaction SMILES.
 */
export function schemeComponents(reactionSmiles: string): SchemeComponent[] {
  const text = reactionSmiles.trim().split(/\s+/)[0] ?? "";
  const sides = text.split(">");
  if (sides.length !== 3) {
    throw new SchemeError(
      sides.length === 1
        ? "is not reaction SMILES: write reactants>agents>products, e.g. CC(=O)O.OCC>[H+]>CC(=O)OCC"
        : `is not reaction SMILES: it has ${sides.length - 1} '>' where reactants>agents>products has 2`,
    );
  }
  const names = ["reactants", "agents", "products"] as const;
  const out: SchemeComponent[] = [];
  sides.forEach((side, i) => {
    const seen = new Map<string, SchemeComponent>();
    for (const smiles of splitComponents(side)) {
      const found = seen.get(smiles);
      if (found) found.count++;
      else {
        const component = { side: names[i]!, smiles, count: 1 };
        seen.set(smiles, component);
        out.push(component);
      }
    }
  });
  if (!out.some((c) => c.side === "reactants") || !out.some((c) => c.side === "products")) {
    throw new SchemeError("needs at least one reactant and one product (reactants>agents>products)");
  }
  return out;
}

/** Components of one side: dots outside brackets separate structures (a dot inside [..] does not occur in SMILES). */
function splitComponents(side: string): string[] {
  return side
    .split(".")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

const ROLE_OF: Record<SchemeComponent["side"], Role> = { reactants: "reactant", agents: "reagent", products: "product" };

/** Table rows for a scheme: one per structure, reactants first, with coefficients; the first reactant is the reference. */
export function rowsFromScheme(components: readonly SchemeComponent[]): ReactionRowInput[] {
  return components.map((c) => ({
    role: ROLE_OF[c.side],
    smiles: c.smiles,
    ...(c.count > 1 ? { coefficient: c.count } : {}),
  }));
}

/** A reaction SMILES for rows that have structures: reactants and products either side, reagents and catalysts above. */
export function schemeFromRows(rows: readonly { role: Role; smiles?: string | null; coefficient?: number | null }[]): string | null {
  const side = (roles: Role[]) =>
    rows
      .filter((r) => roles.includes(r.role) && r.smiles)
      .flatMap((r) => Array.from({ length: Math.max(1, Math.min(10, Math.round(r.coefficient ?? 1))) }, () => r.smiles!))
      .join(".");
  const reactants = side(["reactant"]);
  const products = side(["product"]);
  if (!reactants || !products) return null;
  return `${reactants}>${side(["reagent", "catalyst"])}>${products}`;
}
