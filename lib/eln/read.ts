import { checkEln, type ElnCheckReport } from "./checks";
import { Crate, isObject, METADATA_FILE } from "./crate";
import { mapCrate } from "./map";
import { ELN_LIMITS, ElnError, isElnError, type ElnErrorCode, type ElnPackage } from "./model";
import { inflateBudget, listMembers, readMember, type ZipMember } from "./zip";

/**
 * Reads an untrusted .eln archive into what the notebook stores (lib/eln/map.ts), or refuses it whole with an
 * ElnError: over the size cap, not a zip, a member outside the root folder (`..`, an absolute path, a symlink), a zip
 * bomb (declared sizes and member count are checked before anything is inflated, and the caps are enforced while
 * inflating), no single root folder, a missing or malformed ro-crate-metadata.json, or a file whose SHA-256 is not
 * the crate's. Runs in the sandbox worker (job "eln", lib/eln/sandboxed.ts), never on the server's event loop.
 */
export function readElnArchive(bytes: Uint8Array): ElnPackage {
  const { members, root, metadata, read } = openArchive(bytes);
  const graph = metadata["@graph"] as unknown[];
  return mapCrate(new Crate(graph), { root, members, read });
}

/** The consortium's checks (lib/eln/checks.ts) on an archive's bytes, with the archive read under the same caps. */
export function checkElnArchive(bytes: Uint8Array): ElnCheckReport {
  let opened;
  try {
    opened = openArchive(bytes);
  } catch (error) {
    if (isElnError(error)) return { ok: false, errors: [error.message], warnings: [] };
    throw error;
  }
  return checkEln(opened.listing, opened.metadata);
}

function openArchive(bytes: Uint8Array) {
  if (bytes.byteLength > ELN_LIMITS.archiveBytes) {
    throw new ElnError(
      "too_large",
      `The archive is larger than ${ELN_LIMITS.archiveBytes / 1024 / 1024} MB; export fewer entries at a time.`,
    );
  }
  const all = listMembers(bytes);
  // macOS's zip adds a folder of resource forks beside the root: not part of the archive's content.
  const listed = all.filter((m) => m.path !== "__MACOSX" && !m.path.startsWith("__MACOSX/"));
  const loose = listed.filter((m) => !m.directory && !m.path.includes("/"));
  if (loose.length) {
    throw new ElnError(
      "no_root_folder",
      `The archive has files outside a root folder (${loose
        .slice(0, 3)
        .map((m) => JSON.stringify(m.path))
        .join(", ")}); an .eln file holds one folder with everything inside.`,
    );
  }
  const roots = [...new Set(listed.map((m) => m.path.split("/")[0]!))];
  if (roots.length !== 1) {
    throw new ElnError(
      "no_root_folder",
      roots.length === 0
        ? "The archive is empty."
        : `The archive has ${roots.length} folders at its top (${roots.slice(0, 3).join(", ")}); an .eln file holds exactly one.`,
    );
  }
  const root = roots[0]!;
  const members = new Map<string, ZipMember>();
  for (const m of listed) if (m.path !== root) members.set(m.path.slice(root.length + 1), m);
  const descriptor = members.get(METADATA_FILE);
  if (!descriptor || descriptor.directory)
    throw new ElnError("no_metadata", `The archive has no ${root}/${METADATA_FILE}; it is not an .eln file.`);
  if (descriptor.size > ELN_LIMITS.metadataBytes) {
    throw new ElnError("bad_metadata", `${METADATA_FILE} is larger than ${ELN_LIMITS.metadataBytes / 1024 / 1024} MB.`);
  }
  const budget = inflateBudget();
  const read = (m: ZipMember) => readMember(bytes, m, budget);
  let metadata: unknown;
  try {
    metadata = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read(descriptor)));
  } catch (error) {
    if (isElnError(error)) throw error;
    throw new ElnError(
      "bad_metadata",
      `${METADATA_FILE} is not valid JSON (UTF-8): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isObject(metadata) || !Array.isArray(metadata["@graph"])) {
    throw new ElnError("bad_metadata", `${METADATA_FILE} is not an RO-Crate: it has no "@graph" array.`);
  }
  if (metadata["@graph"].length > ELN_LIMITS.graphNodes) {
    throw new ElnError("bad_metadata", `${METADATA_FILE} describes more than ${ELN_LIMITS.graphNodes.toLocaleString("en")} nodes.`);
  }
  const listing = all.map((m) => ({ name: m.rawName, directory: m.directory, size: m.size }));
  return { members, root, metadata, read, listing };
}

/** What the sandbox answers: the package, or why the archive is refused (as data: it crosses a process boundary). */
export type ElnJobResult = { package: ElnPackage } | { error: { code: ElnErrorCode; message: string } };
