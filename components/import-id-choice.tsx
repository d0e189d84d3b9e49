"use client";

import type { ReactNode } from "react";
import type { ImportIdMode } from "@/lib/contract/imports";

/**
 * What the import does with IDs of another campaign (the `ids` option of POST /api/v1/imports), shown by the import
 * wizard when the file has such IDs. Keeping them as aliases is preselected: it imports every row and loses no ID.
 */
export function ImportIdChoice({
  campaignName,
  prefixes,
  foreignPrefixes,
  adoptable,
  adoptBlocked,
  value,
  onChange,
}: {
  campaignName: string;
  /** The campaign's own prefixes. */
  prefixes: string[];
  /** Prefixes of the file's IDs that are not the campaign's. */
  foreignPrefixes: string[];
  /** The prefix adopt-prefix would make the campaign's (the file's most common), or null when there is none to adopt. */
  adoptable: string | null;
  /** Why this caller cannot adopt it, or null. */
  adoptBlocked: string | null;
  value: ImportIdMode;
  onChange: (mode: ImportIdMode) => void;
}) {
  const theirs = foreignPrefixes.map((p) => `${p}-`).join(", ");
  const ours = prefixes.map((p) => `${p}-`).join(" or ");
  const option = (mode: ImportIdMode, label: ReactNode, disabled = false) => (
    <label className="check" style={{ display: "flex", alignItems: "baseline" }}>
      <input type="radio" name="import-ids" value={mode} checked={value === mode} disabled={disabled} onChange={() => onChange(mode)} />
      <span>{label}</span>
    </label>
  );
  return (
    <fieldset className="notice warn stack" data-testid="import-ids" style={{ gap: "0.3rem" }}>
      <legend style={{ fontWeight: 600 }}>IDs from another campaign</legend>
      <p style={{ margin: 0 }}>
        IDs in this file start with {theirs}; {campaignName}&apos;s IDs start with {ours}.
      </p>
      {option(
        "foreign-as-aliases",
        <>
          <strong>Keep them as aliases</strong>: the molecules get {campaignName}&apos;s own IDs, and each original ID stays on the molecule
          page and finds it.
        </>,
      )}
      {adoptable !== null
        ? option(
            "adopt-prefix",
            <>
              <strong>
                Adopt {adoptable}- as {campaignName}&apos;s prefix
              </strong>
              : the file&apos;s {adoptable}- IDs become the molecules&apos; IDs
              {foreignPrefixes.length > 1 ? "; other prefixes are kept as aliases" : ""}.
              {adoptBlocked ? <span className="meta"> {adoptBlocked}</span> : null}
            </>,
            adoptBlocked !== null,
          )
        : null}
      {option(
        "own-only",
        <>
          <strong>Refuse them</strong>: rows with these IDs fail.
        </>,
      )}
    </fieldset>
  );
}
