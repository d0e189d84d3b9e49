import { Crate, hasType, isAbsoluteUri, isObject, list, METADATA_FILE, types } from "./crate";

/**
 * The checks The ELN Consortium's SPECIFICATION.md lists (and its test suite runs on every archive of its examples
 * folder), as one function over an archive's member names and its parsed `ro-crate-metadata.json`:
 *
 * - the archive: every member inside exactly one root folder, no absolute or `..` path, at most 10,000 members and
 *   4 GiB inflated, `ro-crate-metadata.json` in the root folder;
 * - the crate: a JSON-LD object with `@context` and a `@graph` array whose nodes each have a string `@id` and a
 *   `@type`, no @id twice, exactly one metadata descriptor and one root `./`; the descriptor is `about` `./`,
 *   `conformsTo` RO-Crate 1.x, and has `version` and `sdPublisher` (an object naming the publisher or pointing at a
 *   node of the graph); every `hasPart` is an array of references to nodes of the graph; the root has `hasPart`;
 * - each node reachable from the root's `hasPart`: a Dataset and a File have a `name`; `keywords` is one string
 *   (comma-separated), never an array; a File that is not a web address is a member of the archive.
 *
 * Warnings (SHOULD and MAY of the specification): empty values, a Dataset without `author`, a File without
 * `sha256`, `encodingFormat` or `contentSize`, no `ro-crate-preview.html`.
 */

export interface ElnCheckReport {
  ok: boolean;
  errors: string[];
  warnings: string[];
}

export interface ArchiveListing {
  /** Member names as stored in the zip. */
  name: string;
  directory: boolean;
  size: number;
}

const MAX_MEMBERS = 10_000;
const MAX_BYTES = 4 * 1024 ** 3;

export function checkEln(members: readonly ArchiveListing[], metadata: unknown): ElnCheckReport {
  const errors: string[] = [];
  const warnings: string[] = [];
  const roots = new Set<string>();
  const outside: string[] = [];
  for (const m of members) {
    const parts = m.name.split("/").filter((p) => p !== "" && p !== ".");
    if (m.name.startsWith("/") || parts.length === 0 || parts.includes("..") || (parts.length === 1 && !m.directory)) outside.push(m.name);
    else roots.add(parts[0]!);
  }
  if (members.length > MAX_MEMBERS) errors.push(`the archive has more than ${MAX_MEMBERS} members`);
  if (members.reduce((sum, m) => sum + m.size, 0) > MAX_BYTES) errors.push("the archive expands beyond 4 GiB");
  if (outside.length) errors.push(`members outside the root folder: ${outside.map((n) => JSON.stringify(n)).join(", ")}`);
  if (roots.size !== 1) errors.push(`the archive must contain exactly one root folder; found ${roots.size}: ${[...roots].join(", ")}`);
  const root = roots.size === 1 ? [...roots][0]! : null;
  const inRoot = new Set(
    members
      .filter((m) => !m.directory && root !== null)
      .map((m) =>
        m.name
          .split("/")
          .filter((p) => p !== "" && p !== ".")
          .slice(1)
          .join("/"),
      ),
  );
  if (root !== null && !inRoot.has(METADATA_FILE)) errors.push(`${METADATA_FILE} is not in the root folder`);
  if (root !== null && !inRoot.has("ro-crate-preview.html")) warnings.push("no ro-crate-preview.html (optional)");
  if (!isObject(metadata)) return done([...errors, `${METADATA_FILE} is not a JSON object`], warnings);
  if (metadata["@context"] === undefined) errors.push("@context is missing");
  const graph = metadata["@graph"];
  if (!Array.isArray(graph)) return done([...errors, "@graph must be an array"], warnings);
  const badNode = graph.findIndex(
    (n) =>
      !isObject(n) ||
      typeof n["@id"] !== "string" ||
      !(
        typeof n["@type"] === "string" ||
        (Array.isArray(n["@type"]) && n["@type"].length > 0 && n["@type"].every((t) => typeof t === "string"))
      ),
  );
  if (badNode !== -1) return done([...errors, `@graph node ${badNode} has no string @id or no @type`], warnings);
  const crate = new Crate(graph);
  if (crate.duplicates.length) errors.push(`@ids occur more than once: ${[...new Set(crate.duplicates)].join(", ")}`);
  const descriptors = graph.filter((n) => (n as { "@id": string })["@id"].endsWith(METADATA_FILE));
  const rootNode = crate.get("./");
  if (descriptors.length !== 1 || !rootNode)
    return done([...errors, "the metadata descriptor or the root node ./ is missing or ambiguous"], warnings);
  const descriptor = descriptors[0] as Record<string, unknown>;
  for (const node of crate.nodes.values()) {
    const parts = node.hasPart;
    if (parts === undefined) continue;
    if (!Array.isArray(parts) || parts.some((p) => !isObject(p) || typeof p["@id"] !== "string" || !crate.nodes.has(p["@id"]))) {
      errors.push(`${node["@id"]}: hasPart must be an array of references to nodes of the graph`);
    }
  }
  const about = isObject(descriptor.about) ? descriptor.about["@id"] : undefined;
  if (about !== "./") errors.push(`${METADATA_FILE}: about must be {"@id": "./"}`);
  const conforms = list(descriptor.conformsTo).map((c) => (isObject(c) ? c["@id"] : undefined));
  if (!conforms.some((c) => typeof c === "string" && /^https:\/\/w3id\.org\/ro\/crate\/1\.\d+/.test(c)))
    errors.push(`${METADATA_FILE}: conformsTo must be RO-Crate 1.1 or later`);
  for (const key of ["version", "sdPublisher"]) if (!(key in descriptor)) errors.push(`${METADATA_FILE}: "${key}" is missing`);
  const publisher = descriptor.sdPublisher;
  if (publisher !== undefined && (!isObject(publisher) || (!("name" in publisher) && !crate.nodes.has(String(publisher["@id"]))))) {
    errors.push(`${METADATA_FILE}: sdPublisher must name the publisher or point at a node of the graph`);
  }
  if (!Array.isArray(rootNode.hasPart)) errors.push("the root node ./ has no hasPart");
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const node = crate.get(id);
    if (!node) return;
    const kinds = types(node);
    if ((kinds.includes("Dataset") || kinds.includes("File")) && !("name" in node))
      errors.push(`${id}: a ${kinds.includes("File") ? "File" : "Dataset"} needs a name`);
    if (Array.isArray(node.keywords)) errors.push(`${id}: keywords must be one comma-separated string, not an array`);
    if (Object.values(node).some((v) => v === "" || v === null)) warnings.push(`${id}: has empty values`);
    if (kinds.includes("Dataset") && !("author" in node)) warnings.push(`${id}: a Dataset should have an author`);
    if (hasType(node, "File")) {
      for (const key of ["sha256", "encodingFormat", "contentSize"]) if (!(key in node)) warnings.push(`${id}: a File should have ${key}`);
      if (!isAbsoluteUri(id) && root !== null && !memberPathsOf(id).some((p) => inRoot.has(p)))
        errors.push(`${id}: the File is not in the archive`);
    }
    for (const part of list(node.hasPart)) if (isObject(part) && typeof part["@id"] === "string") visit(part["@id"]);
  };
  for (const part of list(rootNode.hasPart)) if (isObject(part) && typeof part["@id"] === "string") visit(part["@id"]);
  return done(errors, warnings);
}

/** Where a data entity's @id may be inside the root folder (`./a/b.txt` → `a/b.txt`): as written, and percent-decoded. */
export function memberPathsOf(id: string): string[] {
  const plain = id
    .replace(/^\.\//, "")
    .split("/")
    .filter((p) => p !== "" && p !== ".")
    .join("/");
  try {
    const decoded = decodeURIComponent(plain);
    return decoded === plain ? [plain] : [plain, decoded];
  } catch {
    return [plain];
  }
}

function done(errors: string[], warnings: string[]): ElnCheckReport {
  return { ok: errors.length === 0, errors, warnings };
}
