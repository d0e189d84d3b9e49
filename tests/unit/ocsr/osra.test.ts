// OSRA as a sandboxed child process, against the real binary (Debian package `osra`, which .ci/run installs) and
// against stand-ins that hang, crash or flood: each is stopped, answered with a clear error, and leaves no
// temporary folder behind. Real recognitions of Series 4 compounds drawn by OpenChemLib and RDKit.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getRDKit } from "@/lib/chem/inchi";
import { findExecutable, STALE_TEMP_MS, sweepStaleTempDirs, TEMP_PREFIX } from "@/lib/ocsr/child";
import { osraArgs, runOsra } from "@/lib/ocsr/osra";
import { openPdf, pageDpi, parsePdfInfo, renderPage } from "@/lib/ocsr/pdf";
import { DEFAULT_VARIANTS, recognizePicture } from "@/lib/ocsr/recognize";
import { depictSvg } from "@/lib/chem/depict";
import { Molecule } from "openchemlib";
import sharp from "sharp";
import { readSharedData } from "@/tests/unit/chem/shared-data";
import { render, STYLES } from "../../bench/ocsr-render";
import { elnPicture, pdfOf, svgAsPdfContent } from "./pictures";

let fakes: string;

/** Fails (never skips) the tests that need OSRA, saying how to get it. */
function requireOsra(): void {
  if (findExecutable("osra") === null) throw new Error("osra is not installed: install it with `apt-get install osra` (CI's .ci/run does)");
}

// Each test gets its own os.tmpdir() (TMPDIR is read at every call), so that another process recognizing pictures
// at the same time cannot hide a folder left behind, nor be taken for one.
const savedTmpdir = process.env.TMPDIR;
beforeEach(() => {
  process.env.TMPDIR = mkdtempSync(path.join(fakes, "tmp-"));
});
afterEach(() => {
  const tmp = os.tmpdir();
  process.env.TMPDIR = savedTmpdir;
  // Every run, whatever its end, removes its private folder.
  expect(readdirSync(tmp).filter((name) => name.startsWith(TEMP_PREFIX))).toEqual([]);
  expect(readdirSync(tmp)).toEqual([]);
});

/** An executable shell script standing in for osra. */
function fake(name: string, body: string): string {
  const file = path.join(fakes, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}
/** Running (a killed process whose parent is gone may linger as a zombie until init reaps it: that is dead). */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
};

/** OSM Series 4 compounds (OSM_ID, SMILES, the master list's own InChIKey as the reference). */
const series4 = readSharedData("osm-series4-master-list.tsv")
  .split(/\r?\n/)
  .slice(1)
  .map((row) => row.split("\t"))
  .filter((cells) => cells[1] === "4")
  .map((cells) => ({ id: cells[0]!, smiles: cells[18]!, inchikey: cells[19]! }));
let picture: Uint8Array;

/** The standard InChIKey of a SMILES by RDKit, or null when it is no valid structure (the tests' canonical key). */
async function keyOf(smiles: string): Promise<string | null> {
  const rdkit = await getRDKit();
  const mol = rdkit.get_mol(smiles);
  try {
    return mol?.is_valid() ? rdkit.get_inchikey_for_inchi(mol.get_inchi()) : null;
  } finally {
    mol?.delete();
  }
}

beforeAll(async () => {
  fakes = mkdtempSync(path.join(os.tmpdir(), "ocsr-test-fakes-"));
  const rdkit = await getRDKit();
  const ocl300 = STYLES.find((s) => s.name === "ocl-300")!;
  picture = (await render(series4[0]!.smiles, ocl300, rdkit, 1)).bytes;
});
afterAll(() => rmSync(fakes, { recursive: true, force: true }));

describe("runOsra: the real binary", () => {
  it("reads a clean OpenChemLib drawing of a Series 4 compound: the master list's InChIKey", { timeout: 60_000 }, async () => {
    requireOsra();
    const compound = series4[0]!;
    const result = await recognizePicture(picture, "image/png", { canonicalize: keyOf });
    expect(result).toMatchObject({ pageCount: 1, pagesRead: 1, warnings: [] });
    expect(result.structures.map((s) => s.key)).toEqual([compound.inchikey]);
    expect(result.structures[0]!.votes).toBeGreaterThanOrEqual(2);
    // The box is in the picture's own pixels, around the drawing.
    const { box } = result.structures[0]!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.width).toBeGreaterThan(200);
  });

  it(
    "reads a chlorine whose label touches its bond in RDKit's drawing (OSM-S-271), which OSRA alone reads as a methyl",
    { timeout: 90_000 },
    async () => {
      requireOsra();
      const compound = series4.find((c) => c.id === "OSM-S-271")!;
      const rdkit300 = STYLES.find((s) => s.name === "rdkit-300")!;
      const drawn = (await render(compound.smiles, rdkit300, await getRDKit(), 1)).bytes;
      // The bond to Cl ends on the "l": at OSRA's own threshold the two are one stroke, and the label a carbon.
      const [plain] = await runOsra(drawn, "png");
      expect(plain!.smiles).not.toContain("Cl");
      const result = await recognizePicture(drawn, "image/png", { canonicalize: keyOf });
      expect(result.structures.map((s) => s.key)).toEqual([compound.inchikey]);
    },
  );

  it(
    "reads the fluorines and the chlorine of a small JPEG (OSM-S-201 drawn at 150 dpi, quality 80), which the enlarged variants read as iodine unless sharpened",
    { timeout: 120_000 },
    async () => {
      requireOsra();
      const compound = series4.find((c) => c.id === "OSM-S-201")!;
      const ocl150 = STYLES.find((s) => s.name === "ocl-150")!;
      const drawn = (await render(compound.smiles, ocl150, await getRDKit(), 1)).bytes;
      const jpeg = new Uint8Array(await sharp(drawn).jpeg({ quality: 80 }).toBuffer());
      expect(DEFAULT_VARIANTS.filter((v) => v.stroke !== undefined).every((v) => v.sharpen! > 0)).toBe(true);
      const unsharpened = DEFAULT_VARIANTS.map((variant) => ({ ...variant, sharpen: undefined }));
      const soft = await recognizePicture(jpeg, "image/jpeg", { canonicalize: keyOf, variants: unsharpened });
      expect(soft.structures.map((s) => s.key)).not.toContain(compound.inchikey);
      const result = await recognizePicture(jpeg, "image/jpeg", { canonicalize: keyOf });
      expect(result.structures.map((s) => s.key)).toEqual([compound.inchikey]);
    },
  );

  it("stops the real OSRA at a tiny time limit: a ChemError timeout, the process gone", { timeout: 30_000 }, async () => {
    requireOsra();
    await expect(runOsra(picture, "png", { limits: { timeoutMs: 30 } })).rejects.toMatchObject({
      name: "ChemError",
      code: "timeout",
      message: "The recognizer took longer than 30 ms on this file and was stopped.",
    });
  });

  it("stops the real OSRA at its memory cap: answered as a crash", { timeout: 30_000 }, async () => {
    requireOsra();
    await expect(runOsra(picture, "png", { limits: { memoryBytes: 100 * 1024 * 1024 } })).rejects.toMatchObject({
      code: "crashed",
      message: expect.stringMatching(
        /^The recognizer stopped on this file \((SIGABRT|SIGSEGV|exit code \d+)\); try a cleaner or smaller picture\.$/,
      ),
    });
  });

  it("answers a picture GraphicsMagick cannot read (a PNG cut short) as damaged, not as a server error", { timeout: 30_000 }, async () => {
    requireOsra();
    await expect(runOsra(picture.subarray(0, 500), "png")).rejects.toMatchObject({ name: "ChemError" });
  });
});

describe("osraArgs", () => {
  it("passes a variant's resolution and ink threshold before the file, and refuses a threshold OSRA would not take", () => {
    expect(osraArgs("input.png", { resolution: 300, threshold: 0.7 })).toEqual([
      "-f",
      "smi",
      "-p",
      "-e",
      "-c",
      "-r",
      "300",
      "-t",
      "0.70",
      "--",
      "input.png",
    ]);
    expect(osraArgs("input.png")).toEqual(["-f", "smi", "-p", "-e", "-c", "--", "input.png"]);
    expect(() => osraArgs("input.png", { threshold: 0.9 })).toThrow(/0\.2-0\.8/);
    expect(() => osraArgs("input.png", { threshold: Number.NaN })).toThrow(/0\.2-0\.8/);
  });
});

describe("runOsra: the child-process limits, with misbehaving stand-ins", () => {
  it("kills a hanging recognizer's whole process group at the deadline", async () => {
    const slow = fake("slow", `sleep 30 &\necho $$ $! > ${fakes}/pids\nwait`);
    await expect(runOsra(picture, "png", { binary: slow, limits: { timeoutMs: 300 } })).rejects.toMatchObject({ code: "timeout" });
    const pids = readFileSync(path.join(fakes, "pids"), "utf8").trim().split(" ").map(Number);
    expect(pids).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The script and the `sleep` it started: both gone, not only the one we spawned.
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
  });

  it("answers a recognizer that dies of SIGSEGV with “the recognizer stopped on this picture”", async () => {
    const segv = fake("segv", "kill -SEGV $$");
    await expect(runOsra(picture, "png", { binary: segv })).rejects.toMatchObject({
      name: "ChemError",
      code: "crashed",
      message: "The recognizer stopped on this file (SIGSEGV); try a cleaner or smaller picture.",
    });
    // Through the whole pipeline: every variant crashed, so the picture gets the error once.
    await expect(recognizePicture(picture, "image/png", { binary: segv, canonicalize: async () => "x" })).rejects.toMatchObject({
      code: "crashed",
      message: "The recognizer stopped on this file (SIGSEGV); try a cleaner or smaller picture.",
    });
  });

  it("stops a recognizer that floods its output past the cap", async () => {
    const chatty = fake("chatty", 'while :; do echo "CCO 1.0 1 0x0-10x10"; done');
    await expect(runOsra(picture, "png", { binary: chatty, limits: { maxStdoutBytes: 10_000 } })).rejects.toMatchObject({
      code: "crashed",
      message: "The recognizer wrote more output than expected on this file and was stopped.",
    });
  });

  it("runs it in a private folder holding only the input, with a minimal environment and no core dumps", async () => {
    const spy = fake(
      "spy",
      `ls -A > ${fakes}/files; pwd > ${fakes}/cwd; env > ${fakes}/env; ulimit -c > ${fakes}/core; ulimit -v > ${fakes}/mem`,
    );
    expect(await runOsra(picture, "png", { binary: spy })).toEqual([]);
    const read = (name: string) => readFileSync(path.join(fakes, name), "utf8").trim();
    expect(read("files")).toBe("input.png");
    expect(path.basename(read("cwd")).startsWith(TEMP_PREFIX)).toBe(true);
    expect(existsSync(read("cwd"))).toBe(false); // removed afterwards
    const names = read("env")
      .split("\n")
      .map((line) => line.split("=")[0]);
    expect(
      names.filter((n) => !["PATH", "HOME", "TMPDIR", "MAGICK_TMPDIR", "LC_ALL", "OMP_NUM_THREADS", "PWD", "SHLVL", "_"].includes(n!)),
    ).toEqual([]);
    expect(read("core")).toBe("0");
    expect(read("mem")).toBe(String(2 * 1024 * 1024));
  });

  it("sweeps away the folders a killed process left behind (over an hour old), and nothing younger", () => {
    const old = mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
    const young = mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
    const other = mkdtempSync(path.join(os.tmpdir(), "someone-else-"));
    writeFileSync(path.join(old, "input.png"), picture);
    const hourAgo = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    utimesSync(other, hourAgo, hourAgo);
    sweepStaleTempDirs();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(young)).toBe(true);
    expect(existsSync(other)).toBe(true);
    rmSync(young, { recursive: true });
    rmSync(other, { recursive: true });
  });

  it("refuses a 100-megapixel picture before starting anything", async () => {
    const marker = path.join(fakes, "started");
    const spy = fake("marker", `touch ${marker}`);
    const bomb = new Uint8Array(33);
    bomb.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(bomb.buffer).setUint32(16, 10_000);
    new DataView(bomb.buffer).setUint32(20, 10_000);
    await expect(recognizePicture(bomb, "image/png", { binary: spy, canonicalize: async () => "x" })).rejects.toMatchObject({
      code: "payload_too_large",
    });
    expect(existsSync(marker)).toBe(false);
  });

  it("says how to install OSRA when it is missing (503)", async () => {
    const missing = { binary: path.join(fakes, "no-such-osra"), canonicalize: async () => "x" };
    await expect(recognizePicture(picture, "image/png", missing)).rejects.toMatchObject({
      name: "AppError",
      code: "chemistry_unavailable",
      message:
        "Structure recognition needs OSRA, which is not installed on this server: install it with `apt-get install osra` (Debian/Ubuntu).",
    });
  });
});

describe("PDFs: pages drawn by poppler under the same limits", () => {
  function requirePoppler(): void {
    if (findExecutable("pdftoppm") === null || findExecutable("pdfinfo") === null) {
      throw new Error("poppler is not installed: install it with `apt-get install poppler-utils` (CI's .ci/run does)");
    }
  }
  it("reads a page size and count from pdfinfo, and draws a poster-sized page below the pixel cap", () => {
    const info = parsePdfInfo("Pages:          2\nPage    1 size:  1683.78 x 1190.55 pts (A2)\nPage    1 rot:   0\n");
    expect(info.pageCount).toBe(2);
    expect(info.sizes.get(1)).toEqual({ width: 1683.78, height: 1190.55 });
    expect(pageDpi({ width: 612, height: 792 })).toBe(300); // US letter
    expect(pageDpi({ width: 14_400, height: 14_400 })).toBe(31); // 200 in square: 40 megapixels at 31 dpi
  });

  it("recognizes a structure drawn as vector graphics in a PDF (a Series 4 compound, as in a paper)", { timeout: 90_000 }, async () => {
    requireOsra();
    requirePoppler();
    const compound = series4[0]!;
    const svg = depictSvg(Molecule.fromSmiles(compound.smiles).getIDCode(), {
      width: 2000,
      height: 2000,
      autoCrop: true,
      suppressChiralText: true,
    });
    const [, w, h] = /width="(\d+)px" height="(\d+)px"/.exec(svg)!.map(Number) as [number, number, number];
    // OpenChemLib's 24-unit bonds at 0.6 pt a unit: 14.4 pt bonds, the ACS style; half an inch of margin.
    const [width, height] = [Math.ceil(w * 0.6) + 72, Math.ceil(h * 0.6) + 72];
    const pdf = pdfOf(1, width, height, svgAsPdfContent(svg, 0.6, height, 36));
    const result = await recognizePicture(pdf, "application/pdf", { canonicalize: keyOf });
    expect(result).toMatchObject({ pageCount: 1, pagesRead: 1, warnings: [] });
    expect(result.structures.map((s) => s.key)).toContain(compound.inchikey);
  });

  it("reads only the first 20 pages of a 2,000-page PDF, and says so", { timeout: 120_000 }, async () => {
    requireOsra();
    requirePoppler();
    const result = await recognizePicture(pdfOf(2000, 144, 144), "application/pdf", { canonicalize: async () => "x" });
    expect(result).toMatchObject({
      structures: [],
      pageCount: 2000,
      pagesRead: 20,
      warnings: ["Only the first 20 of 2000 pages were read; split the file to read the rest."],
    });
    expect(result.runs).toHaveLength(20); // one OSRA run a page: the other 1,980 pages were never drawn or read
  });

  it("draws the pages of a real PDF (the AI4Green workbook's A2 summary) one at a time", { timeout: 60_000 }, async () => {
    requirePoppler();
    const dir = mkdtempSync(path.join(os.tmpdir(), "ocsr-pdf-"));
    try {
      const opened = await openPdf(elnPicture("ai4green-workbook.eln", "AI4-001-summary.pdf"), dir, { maxPages: 1 });
      expect(opened.pageCount).toBe(2);
      expect([...opened.sizes.keys()]).toEqual([1]);
      const page = await renderPage(dir, 1, opened);
      expect(page.dpi).toBe(300);
      expect(Buffer.from(page.png.subarray(1, 4)).toString("latin1")).toBe("PNG");
      expect(readdirSync(dir)).toEqual(["input.pdf"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a damaged PDF (422) and leaves nothing behind", { timeout: 30_000 }, async () => {
    requireOsra();
    requirePoppler();
    const damaged = new TextEncoder().encode("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
    await expect(recognizePicture(damaged, "application/pdf", { canonicalize: async () => "x" })).rejects.toMatchObject({
      code: "validation_failed",
      message: "file: this PDF could not be read: it may be damaged.",
    });
  });
});
