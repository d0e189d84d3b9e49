import { describe, expect, it } from "vitest";
import { ChemError } from "@/lib/chem/errors";
import { AppError } from "@/lib/errors";
import { parseOsraVersion } from "@/lib/ocsr/osra";
import { classifyScanFailure, PIPELINE_VERSION, recognizerName, scanRetryDelayMs, SCANNED_TYPES } from "@/lib/ocsr/scan";

describe("the background scan's policy", () => {
  it("fails for good when the picture is at fault, and says why", () => {
    expect(classifyScanFailure(new AppError("payload_too_large", "file: has 100 megapixels"))).toEqual({
      kind: "final",
      message: "file: has 100 megapixels",
    });
    expect(classifyScanFailure(new AppError("unsupported_media_type", "file: is not a picture")).kind).toBe("final");
    expect(classifyScanFailure(new ChemError("timeout", "The recognizer stopped on this picture")).kind).toBe("final");
    expect(classifyScanFailure(new ChemError("crashed", "The recognizer crashed")).kind).toBe("final");
    expect(classifyScanFailure(new ChemError("invalid_structure", "damaged")).kind).toBe("final");
  });

  it("retries what is not the picture's fault, without showing internal errors", () => {
    expect(classifyScanFailure(new ChemError("worker_failed", "pool closed")).kind).toBe("retry");
    expect(classifyScanFailure(new ChemError("aborted", "stopped")).kind).toBe("retry");
    expect(classifyScanFailure(new AppError("database_busy", "busy")).kind).toBe("retry");
    expect(classifyScanFailure(new Error('relation "x" does not exist'))).toEqual({ kind: "retry", message: "The scan could not finish." });
  });

  it("waits, without counting an attempt, while OSRA is missing", () => {
    expect(classifyScanFailure(new AppError("chemistry_unavailable", "install osra")).kind).toBe("unavailable");
  });

  it("backs off 1, 4 and 16 minutes", () => {
    expect([1, 2, 3].map(scanRetryDelayMs)).toEqual([60_000, 240_000, 960_000]);
    expect(scanRetryDelayMs(0)).toBe(60_000);
  });

  it("names the recognizer by OSRA's version and the pipeline's", () => {
    expect(parseOsraVersion("\nosra  version: 2.1.3\n")).toBe("2.1.3");
    expect(parseOsraVersion("OSRA version 2.1.0-1\n")).toBe("2.1.0-1");
    expect(parseOsraVersion("something else")).toBeNull();
    expect(recognizerName("2.1.3")).toBe(`osra 2.1.3 · notebook ${PIPELINE_VERSION}`);
    expect(recognizerName(null)).toBe(`osra unknown · notebook ${PIPELINE_VERSION}`);
  });

  it("scans pictures and PDFs only", () => {
    expect(SCANNED_TYPES).toEqual(
      expect.arrayContaining(["image/png", "image/jpeg", "application/pdf", "image/tiff", "image/webp", "image/gif"]),
    );
    expect(SCANNED_TYPES).not.toContain("image/svg+xml");
  });
});
