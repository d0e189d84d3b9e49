import { isChemError } from "../chem/errors";
import { isAppError } from "../errors";
import { MEDIA_TYPES } from "./sniff";

// The background scan of pictures attached to entries (issue 18): which attachments are scanned, how a failed scan is
// retried, and the name of the recognizer that read a picture. The job itself (claims, storage) is
// db/queries/attachment-scans.ts; the runner is server/scan-runner.ts.

export const scanStatuses = ["pending", "done", "failed"] as const;
export type ScanStatus = (typeof scanStatuses)[number];

/**
 * The pipeline's own version, part of every scan's `recognizer`: raise it when lib/ocsr reads pictures differently
 * (new variants, another vote), so `npm run admin -- rescan-pictures --outdated` rescans what an older one read.
 */
export const PIPELINE_VERSION = 4;

/** `osra 2.1.3 · notebook 1`: who read a picture. */
export function recognizerName(osraVersion: string | null): string {
  return `osra ${osraVersion ?? "unknown"} · notebook ${PIPELINE_VERSION}`;
}

/** The attachment types a scan reads (as attachments store them: lib/entries/attachments.ts contentTypeFor). */
export const SCANNED_TYPES: readonly string[] = Object.values(MEDIA_TYPES);

/** Attempts before a scan that keeps failing for reasons other than the picture is given up. */
export const MAX_SCAN_ATTEMPTS = 4;

/** Wait before attempt `attempts + 1`: 1, 4, 16 minutes. */
export function scanRetryDelayMs(attempts: number): number {
  return 60_000 * 4 ** Math.max(0, attempts - 1);
}

export type ScanFailure =
  /** The picture is at fault (not a picture, too large, the recognizer hung or crashed on it): scanning it again gives the same. */
  | { kind: "final"; message: string }
  /** Something else failed (the sandbox, the database): try again later, up to MAX_SCAN_ATTEMPTS. */
  | { kind: "retry"; message: string }
  /** OSRA is not installed: not an attempt; the scan waits until it is. */
  | { kind: "unavailable"; message: string };

/** What a failed scan means for the job, by the error's brand (not its class: bundles differ). */
export function classifyScanFailure(error: unknown): ScanFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (isAppError(error)) {
    if (error.code === "chemistry_unavailable") return { kind: "unavailable", message };
    if (error.status >= 400 && error.status < 500) return { kind: "final", message };
    return { kind: "retry", message };
  }
  if (isChemError(error)) {
    if (error.code === "worker_failed" || error.code === "aborted") return { kind: "retry", message };
    return { kind: "final", message };
  }
  // Not the picture's fault, and not a message for the public page (the runner logs the error itself).
  return { kind: "retry", message: "The scan could not finish." };
}
