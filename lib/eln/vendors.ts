import type { Element, Root, RootContent } from "hast";
import rehypeParse from "rehype-parse";
import { unified } from "unified";
import { markdownFromHtml } from "./html";
import type { ElnMolecule } from "./model";

/**
 * What two notebooks keep outside the crate's own vocabulary, read from the files they put beside it:
 *
 * - AI4Green writes each reaction as JSON (`AI4-001.json`): reactants, reagents, solvents and products with their
 *   SMILES and amounts. It becomes a reaction block (masses for reactants and reagents, volumes for solvents, the
 *   isolated mass of the product from AI4Green's yield, which it stores instead of the mass weighed) and the products
 *   become molecules of the campaign.
 * - RSpace writes a document's name, author, dates and fields (HTML) in `doc_….xml`, and little in the crate. The
 *   XML is read with the HTML parser (lenient, no entity expansion, no external DTDs) and only its known elements
 *   are used.
 */

const num = (value: unknown): number | null => {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
};
const str = (value: unknown, max = 200): string | null =>
  typeof value === "string" && value.trim() !== "" ? value.trim().slice(0, max) : null;

interface Ai4GreenComponent {
  name?: unknown;
  SMILES?: unknown;
  mass?: unknown;
  mass_unit?: unknown;
  volume?: unknown;
  volume_unit?: unknown;
}

/** An AI4Green reaction JSON as a reaction block and the molecules it made; null when the file is not one. */
export function ai4greenReaction(json: unknown, where: string): { reaction: Record<string, unknown>; products: ElnMolecule[] } | null {
  if (typeof json !== "object" || json === null) return null;
  const r = json as Record<string, unknown>;
  if (!Array.isArray(r.reactants) || !Array.isArray(r.products)) return null;
  const items = (key: string) =>
    Array.isArray(r[key]) ? (r[key] as Ai4GreenComponent[]).filter((c) => typeof c === "object" && c !== null) : [];
  const mass = (c: Ai4GreenComponent) =>
    c.mass_unit === undefined || c.mass_unit === "mg" ? num(c.mass) : c.mass_unit === "g" ? (num(c.mass) ?? 0) * 1000 || null : null;
  const volume = (c: Ai4GreenComponent) => {
    const v = num(c.volume);
    if (v === null) return null;
    return c.volume_unit === "µL" || c.volume_unit === "uL" ? v : c.volume_unit === "L" ? v * 1e6 : v * 1000; // mL by default
  };
  const yieldPercent = num(r.percent_yield);
  const rows = [
    ...items("reactants").map((c) => ({ role: "reactant", name: str(c.name), smiles: str(c.SMILES, 2000), massMg: mass(c) })),
    ...items("reagents").map((c) => ({ role: "reagent", name: str(c.name), smiles: str(c.SMILES, 2000), massMg: mass(c) })),
    ...items("solvents").map((c) => ({ role: "solvent", name: str(c.name), smiles: str(c.SMILES, 2000), volumeUl: volume(c) })),
    ...items("products").map((c, i) => {
      // AI4Green stores the theoretical mass and the yield of the main product, not the mass weighed.
      const theoretical = mass(c);
      const isolated = i === 0 && theoretical !== null && yieldPercent !== null ? Math.round(theoretical * yieldPercent) / 100 : null;
      return { role: "product", name: str(c.name), smiles: str(c.SMILES, 2000), isolatedMg: isolated };
    }),
  ].map((row) => Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)));
  const products: ElnMolecule[] = items("products").flatMap((c, i) => {
    const smiles = str(c.SMILES, 2000);
    return smiles
      ? [
          {
            id: `${where}#products.${i}`,
            code: null,
            name: str(c.name),
            aliases: [],
            series: null,
            smiles,
            molfile: null,
            inchiKey: null,
            measurements: [],
          },
        ]
      : [];
  });
  return { reaction: { title: str(r.reaction_name) ?? str(r.reaction_id), rows }, products };
}

export interface RSpaceDocument {
  name: string | null;
  createdBy: string | null;
  creationDate: string | null;
  lastModifiedDate: string | null;
  tags: string[];
  /** The document's fields as markdown sections. */
  body: string;
}

const children = (node: Root | Element): Element[] => (node.children as RootContent[]).filter((c): c is Element => c.type === "element");
const textOf = (node: Element | undefined): string | null => {
  if (!node) return null;
  const parts: string[] = [];
  const walk = (n: Element | RootContent) => {
    if (n.type === "text") parts.push(n.value);
    else if (n.type === "element") n.children.forEach(walk);
  };
  walk(node);
  const joined = parts.join("").trim();
  return joined === "" ? null : joined;
};

/** An RSpace structured document (`doc_….xml`), or null when the file is not one. */
export function rspaceDocument(xml: string): RSpaceDocument | null {
  if (!xml.includes("<archivalDocument")) return null;
  const tree = unified()
    .use(rehypeParse, { fragment: true })
    .parse(xml.replace(/^<\?xml[^>]*>/, ""));
  const find = (node: Root | Element, name: string): Element | undefined => {
    for (const c of children(node)) {
      if (c.tagName === name) return c;
      const deeper = find(c, name);
      if (deeper) return deeper;
    }
    return undefined;
  };
  const doc = find(tree, "archivaldocument");
  if (!doc) return null;
  const own = (name: string) => children(doc).find((c) => c.tagName === name);
  const sections: string[] = [];
  const fields = own("listfields");
  for (const field of fields ? children(fields).filter((c) => c.tagName === "field") : []) {
    const title = textOf(children(field).find((c) => c.tagName === "fieldname"));
    const data = textOf(children(field).find((c) => c.tagName === "fielddata"));
    if (!data) continue;
    const { markdown } = markdownFromHtml(data);
    sections.push(title ? `## ${title}\n\n${markdown}` : markdown);
  }
  return {
    name: textOf(own("name")),
    createdBy: textOf(own("createdby")),
    creationDate: textOf(own("creationdate")),
    lastModifiedDate: textOf(own("lastmodifieddate")),
    tags: children(doc)
      .filter((c) => c.tagName === "tag")
      .flatMap((c) => (textOf(c) ?? "").split(","))
      .map((t) => t.trim())
      .filter(Boolean),
    body: sections.join("\n\n"),
  };
}
