/**
 * An RO-Crate's `@graph` as read from an untrusted `ro-crate-metadata.json`: nodes by `@id`, references followed
 * safely (a value may be one reference or an array, inline or by id), text taken only where it is text. Nothing
 * here trusts the shape of what it is given.
 */

export type CrateNode = Record<string, unknown> & { "@id": string };

export const METADATA_FILE = "ro-crate-metadata.json";

export class Crate {
  readonly nodes = new Map<string, CrateNode>();
  /** @ids that occur more than once (the first is used). */
  readonly duplicates: string[] = [];
  /** What the import used, so that whatever it did not can be reported. */
  readonly used = new Set<string>();

  constructor(readonly graph: readonly unknown[]) {
    for (const value of graph) {
      if (!isObject(value) || typeof value["@id"] !== "string") continue;
      const node = value as CrateNode;
      if (this.nodes.has(node["@id"])) this.duplicates.push(node["@id"]);
      else this.nodes.set(node["@id"], node);
    }
  }

  get(id: string | null | undefined): CrateNode | undefined {
    return id == null ? undefined : this.nodes.get(id);
  }

  /** The nodes a property points at (by `{"@id"}` or inline), in order, each once. */
  refs(value: unknown): CrateNode[] {
    const out: CrateNode[] = [];
    for (const item of list(value)) {
      if (!isObject(item)) continue;
      const id = typeof item["@id"] === "string" ? item["@id"] : "";
      // By reference; or inline (AI4Green writes its publisher in place), when it says more than its @id.
      const node = this.nodes.get(id) ?? (Object.keys(item).some((k) => k !== "@id") ? { ...item, "@id": id } : undefined);
      if (node && !out.includes(node)) out.push(node);
    }
    return out;
  }

  /** The metadata descriptor: the node whose @id is ro-crate-metadata.json (or ends with it). */
  descriptor(): CrateNode | undefined {
    return this.nodes.get(METADATA_FILE) ?? [...this.nodes.values()].find((n) => n["@id"].endsWith(METADATA_FILE));
  }

  /** The root data entity: what the descriptor is `about`, else `./`. */
  root(): CrateNode | undefined {
    const about = this.refs(this.descriptor()?.about)[0];
    return about ?? this.nodes.get("./");
  }

  /** Nodes of a type, in graph order. */
  ofType(type: string): CrateNode[] {
    return [...this.nodes.values()].filter((n) => hasType(n, type));
  }

  /** A person's or an organization's name: `name`, or given and family names, or a string given in its place. */
  nameOf(value: unknown): string | null {
    if (typeof value === "string") return this.nodes.has(value) ? this.nameOf(this.nodes.get(value)) : oneLine(value);
    const node = this.refs(value)[0];
    if (!node) return null;
    if (node["@id"]) this.used.add(node["@id"]);
    const name = text(node.name);
    if (name) return oneLine(name);
    const parts = [text(node.honorificPrefix), text(node.givenName), text(node.familyName)].filter(Boolean);
    return parts.length > 1 || text(node.familyName) || text(node.givenName) ? oneLine(parts.join(" ")) : null;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function types(node: Record<string, unknown>): string[] {
  return list(node["@type"]).filter((t): t is string => typeof t === "string");
}

export function hasType(node: Record<string, unknown>, type: string): boolean {
  return types(node).includes(type);
}

/** A property's text: a string (or a number written as one); anything else is not text. */
export function text(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return null;
}

export function oneLine(value: string, max = 200): string {
  return value
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);
}

/** An @id that names something outside the archive (a web address), not a member of it. */
export function isAbsoluteUri(id: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(id);
}
