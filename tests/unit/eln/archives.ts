import { strToU8, zipSync, type ZippableFile } from "fflate";

/**
 * Hostile and broken .eln archives, crafted byte by byte where a zip tool would refuse to write them: members
 * outside the root, symlinks, a zip bomb whose declared sizes lie, a crate that is not one. Shared by the unit and
 * integration tests.
 */

export const EXAMPLES = ["ai4green-workbook", "elabftw-export", "pasta", "rspace-selection", "sampledb-export"] as const;

/** A small valid crate: one experiment with one file (its sha256 given or omitted). */
export function minimalCrate(options: { sha256?: string; fileId?: string; extraGraph?: object[] } = {}): object {
  return {
    "@context": "https://w3id.org/ro/crate/1.1/context",
    "@graph": [
      {
        "@id": "ro-crate-metadata.json",
        "@type": "CreativeWork",
        about: { "@id": "./" },
        conformsTo: { "@id": "https://w3id.org/ro/crate/1.1" },
        version: "1.0",
        sdPublisher: { "@id": "#pub" },
      },
      { "@id": "#pub", "@type": "Organization", name: "Test ELN" },
      { "@id": "./", "@type": "Dataset", name: "root", hasPart: [{ "@id": "./exp/" }] },
      {
        "@id": "./exp/",
        "@type": "Dataset",
        name: "An experiment",
        author: { "@id": "#ada" },
        dateCreated: "2024-05-02T10:00:00+02:00",
        text: "<p>Hello <b>world</b></p>",
        hasPart: [{ "@id": options.fileId ?? "./exp/data.txt" }],
      },
      { "@id": "#ada", "@type": "Person", givenName: "Ada", familyName: "Lovelace" },
      {
        "@id": options.fileId ?? "./exp/data.txt",
        "@type": "File",
        name: "data.txt",
        encodingFormat: "text/plain",
        contentSize: "5",
        ...(options.sha256 === undefined ? {} : { sha256: options.sha256 }),
      },
      ...(options.extraGraph ?? []),
    ],
  };
}

/** SHA-256 of "hello". */
export const HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

export function zip(files: Record<string, Uint8Array | string | ZippableFile>): Uint8Array {
  const tree: Record<string, ZippableFile> = {};
  for (const [name, data] of Object.entries(files)) tree[name] = typeof data === "string" ? strToU8(data) : data;
  return zipSync(tree);
}

export function archiveWith(
  extra: Record<string, Uint8Array | string | ZippableFile> = {},
  crate: object = minimalCrate({ sha256: HELLO_SHA256 }),
): Uint8Array {
  return zip({ "test/ro-crate-metadata.json": JSON.stringify(crate), "test/exp/data.txt": "hello", ...extra });
}

const u32 = (b: Uint8Array, o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const put32 = (b: Uint8Array, o: number, v: number) => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
};

/** Rewrites the uncompressed size one member declares (local header and central directory), leaving its data as it is. */
export function lieAboutSize(archive: Uint8Array, name: string, size: number): Uint8Array {
  const out = archive.slice();
  const target = strToU8(name);
  const matches = (at: number, nameAt: number, length: number) =>
    length === target.length && target.every((c, i) => out[nameAt + i] === c) && at >= 0;
  for (let at = 0; at + 46 < out.length; at++) {
    const sig = u32(out, at);
    if (sig === 0x04034b50 && matches(at, at + 30, out[at + 26]! | (out[at + 27]! << 8))) put32(out, at + 22, size);
    if (sig === 0x02014b50 && matches(at, at + 46, out[at + 28]! | (out[at + 29]! << 8))) put32(out, at + 24, size);
  }
  return out;
}

/** A zip bomb: a megabyte of zeros (about a kilobyte deflated) that declares itself ten bytes long. */
export function lyingBomb(): Uint8Array {
  const bomb = archiveWith({ "test/exp/zeros.bin": new Uint8Array(1024 * 1024) }, minimalCrate({ fileId: "./exp/zeros.bin" }));
  return lieAboutSize(bomb, "test/exp/zeros.bin", 10);
}
