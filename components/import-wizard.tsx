"use client";

// Over 400 lines on purpose: the import wizard's steps (file, mapping, preview, progress) share one state.

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { splitCampaignIds, tryParseCampaignId } from "@/lib/molecules/campaign-id";
import type { SheetRowError } from "@/lib/sheets/sheet";
import { describeAssay } from "@/lib/molecules/assay";
import { planRows, resolveMapping, sheetPrefixes, type ImportMapping } from "@/lib/molecules/import-plan";
import type { ImportIdMode } from "@/lib/contract/imports";
import { addChunk, chunks, detectFormat, emptyReport, parse, post, type Format, type Report } from "./import-chunks";
import { ImportIdChoice } from "./import-id-choice";
import { ImportReport } from "./import-report";
import { tableQueryKey } from "./molecule-table";

/**
 * Import wizard. The file is read and mapped in the browser with the same lib code the server runs (parse, guess
 * the columns, plan the rows), so the preview shows the problems the import will report — all but structures, which
 * only the server's toolkit checks. The import then sends the rows in chunks to POST /api/v1/imports: each answer
 * moves a real progress bar, a failed chunk can be retried (the import is idempotent), and no request carries a
 * 20 MB body. Chunks never split the rows of one ID, and their row numbers are mapped back to the file's.
 */

type Role = Exclude<keyof ImportMapping, "measurements" | "unmapped">;

const ROLES: { role: Role; label: string; sheetOnly?: boolean }[] = [
  { role: "id", label: "ID" },
  { role: "smiles", label: "SMILES", sheetOnly: true },
  { role: "name", label: "Name" },
  { role: "aliases", label: "Aliases" },
  { role: "inchiKey", label: "InChIKey" },
  { role: "series", label: "Series" },
  { role: "assay", label: "Assay (one per row)" },
  { role: "value", label: "Value" },
  { role: "qualifier", label: "Qualifier" },
  { role: "unit", label: "Unit column" },
  { role: "target", label: "Target / strain" },
  { role: "lab", label: "Lab" },
  { role: "date", label: "Date" },
];
const UNITS = ["µM", "nM", "mM", "M", "µg/mL", "%"];
const PREVIEW_ROWS = 12;

export function ImportWizard({
  campaign,
  prefixes: initialPrefixes,
  isMaintainer,
  hasMolecules: initialHasMolecules,
}: {
  campaign: { slug: string; name: string };
  prefixes: string[];
  isMaintainer: boolean;
  /** Whether the campaign has registered molecules (adopting a file's prefix needs a campaign without any). */
  hasMolecules: boolean;
}) {
  const queryClient = useQueryClient();
  const [source, setSource] = useState<{ text: string; filename: string | null } | null>(null);
  const [format, setFormat] = useState<Format>("csv");
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  const [prefixes, setPrefixes] = useState(initialPrefixes);
  const [hasMolecules, setHasMolecules] = useState(initialHasMolecules);
  const [ids, setIds] = useState<ImportIdMode>("foreign-as-aliases");
  const [note, setNote] = useState<string | null>(null);
  const [unit, setUnit] = useState("");
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = useRef(0); // the next chunk to send: a retry continues where the import stopped

  const parsed = useMemo(() => {
    if (!source) return null;
    try {
      return { ok: true as const, value: parse(source.text, format) };
    } catch (error) {
      return { ok: false as const, message: (error as Error).message };
    }
  }, [source, format]);
  const sheet = parsed?.ok ? parsed.value : null;
  const work = useMemo(() => (sheet && mapping ? chunks(sheet, format, mapping.id) : []), [sheet, format, mapping]);

  function load(text: string, filename: string | null) {
    const f = detectFormat(text, filename);
    setSource({ text, filename });
    setFormat(f);
    setReport(null);
    setFailure(null);
    setProgress(null);
    next.current = 0;
    try {
      const p = parse(text, f);
      setMapping(resolveMapping(p.sheet.headers));
    } catch {
      setMapping(null);
    }
  }

  function assign(role: Role, column: string | null) {
    setMapping((m) => {
      if (!m) return m;
      const out: ImportMapping = { ...m, measurements: m.measurements.filter((c) => c.column !== column) };
      // A column has one role: taking it for this role frees it elsewhere.
      for (const r of ROLES) if (column !== null && out[r.role] === column) out[r.role] = null;
      out[role] = column;
      return out;
    });
    next.current = 0;
  }

  function toggleMeasurement(column: string, on: boolean) {
    setMapping((m) => {
      if (!m) return m;
      const rest = m.measurements.filter((c) => c.column !== column);
      const label = describeAssay(column);
      return { ...m, measurements: on ? [...rest, { column, endpoint: label.assay, unit: label.unit }] : rest };
    });
    next.current = 0;
  }

  // IDs whose prefix is not this campaign's: the chemist chooses what becomes of them (the import's `ids` option).
  const foreignPrefixes = useMemo(() => {
    if (!sheet || !mapping?.id) return [];
    const found = new Set<string>();
    for (const r of sheet.sheet.rows)
      for (const id of splitCampaignIds(r.cells[mapping.id] ?? "").ids) {
        const prefix = tryParseCampaignId(id)?.prefix;
        if (prefix && !prefixes.includes(prefix)) found.add(prefix);
      }
    return [...found];
  }, [sheet, mapping, prefixes]);
  // What adopt-prefix would take (the server decides the same way: lib/molecules/import-plan.ts prefixToAdopt).
  const adoptable = useMemo(() => {
    const most = sheet && mapping ? sheetPrefixes(sheet.sheet, mapping)[0]?.prefix : undefined;
    return most !== undefined && !prefixes.includes(most) ? most : null;
  }, [sheet, mapping, prefixes]);
  const adoptBlocked = !isMaintainer
    ? "(Only a maintainer can change the campaign's prefix.)"
    : hasMolecules
      ? `(Only while ${campaign.name} has no molecules.)`
      : null;
  // The option as sent: none without foreign IDs (nothing to decide), and adopting only what can be adopted.
  const idMode: ImportIdMode | null =
    foreignPrefixes.length === 0 ? null : ids === "adopt-prefix" && (adoptable === null || adoptBlocked) ? "foreign-as-aliases" : ids;
  const plan = useMemo(
    () =>
      sheet && mapping
        ? planRows(sheet.sheet, mapping, {
            // After adopting, the file's prefix is the campaign's only one (it had no molecules, so no other IDs).
            prefixes: idMode === "adopt-prefix" && adoptable ? [adoptable] : prefixes,
            ids: idMode ?? "own-only",
            molfiles: sheet.molfiles,
          })
        : null,
    [sheet, mapping, prefixes, idMode, adoptable],
  );

  const unitless = plan?.warnings.filter((w) => w.row === 1 && /have no unit/.test(w.message)) ?? [];
  const needsUnit = unitless.length > 0 && unit === "";

  async function runImport() {
    if (!sheet || !mapping) return;
    setBusy(true);
    setFailure(null);
    const total = sheet.sheet.rows.length;
    const { unmapped: _unmapped, ...roles } = mapping;
    const query = new URLSearchParams({ campaign: campaign.slug, format, mapping: JSON.stringify(roles) });
    if (unit && unit !== "none") query.set("unit", unit);
    let mode = idMode;
    let sum = next.current === 0 || !report ? emptyReport() : report;
    if (next.current === 0) setProgress({ done: 0, total });
    const noteText =
      mode === "adopt-prefix"
        ? `${adoptable}- is now ${campaign.name}'s prefix: the file's ${adoptable}- IDs are the molecules' IDs.`
        : mode === "foreign-as-aliases"
          ? `The file's ${foreignPrefixes.map((p) => `${p}-`).join(", ")} IDs are kept as aliases: each molecule page lists them, and searching for one finds its molecule.`
          : null;
    try {
      for (; next.current < work.length; next.current++) {
        const chunk = work[next.current]!;
        if (mode) query.set("ids", mode);
        const answer = await post(`/api/v1/imports?${query.toString()}`, chunk.body);
        if (next.current === 0) setNote(noteText);
        if (mode === "adopt-prefix") {
          // The first answer adopted the prefix: the rest of the file imports as the campaign's own (another chunk's
          // most common prefix may differ, and adopting again would be refused now that the campaign has molecules).
          mode = "foreign-as-aliases";
          setPrefixes([adoptable!]);
        }
        if (answer.registered > 0) setHasMolecules(true);
        sum = addChunk(sum, answer, chunk, format);
        setReport(sum);
        setProgress({
          done: Math.min(
            total,
            work.slice(0, next.current + 1).reduce((n, c) => n + c.rows.length, 0),
          ),
          total,
        });
      }
      void queryClient.invalidateQueries({ queryKey: tableQueryKey(campaign.slug) });
    } catch (error) {
      setFailure(
        `${(error as Error).message} Rows sent before this were imported; “Continue” sends the rest (rows already imported stay unchanged).`,
      );
    } finally {
      setBusy(false);
    }
  }

  const problemsByRow = new Map<number, SheetRowError[]>();
  for (const e of [...(plan?.errors ?? []), ...(plan?.warnings ?? [])])
    if (e.row > 1) problemsByRow.set(e.row, [...(problemsByRow.get(e.row) ?? []), e]);
  const preview = sheet?.sheet.rows.slice(0, PREVIEW_ROWS) ?? [];
  const planned = new Map((plan?.rows ?? []).map((r) => [r.row, r]));
  const failing = new Set((plan?.errors ?? []).map((e) => e.row)).size;
  const finished = report !== null && progress !== null && next.current >= work.length;
  const headers = sheet?.sheet.headers ?? [];
  const single = new Set(ROLES.map((r) => mapping?.[r.role]).filter(Boolean));

  return (
    <div className="stack import-wizard">
      <section className="card stack">
        <h2 style={{ marginTop: 0 }}>1. The file</h2>
        <div className="row">
          <label className="button" style={{ fontWeight: 400, margin: 0 }}>
            Choose a file…
            <input
              type="file"
              className="visually-hidden"
              accept=".csv,.tsv,.tab,.txt,.sdf,.sd,text/csv,text/tab-separated-values"
              data-testid="import-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void file.text().then((text) => load(text, file.name));
              }}
            />
          </label>
          <span className="meta">or paste below</span>
          {source ? (
            <label className="row" style={{ fontWeight: 400, margin: 0 }}>
              Format
              <select
                value={format}
                onChange={(e) => {
                  setFormat(e.target.value as Format);
                  try {
                    setMapping(resolveMapping(parse(source.text, e.target.value as Format).sheet.headers));
                  } catch {
                    setMapping(null);
                  }
                }}
              >
                <option value="csv">CSV</option>
                <option value="tsv">TSV (tab-separated)</option>
                <option value="sdf">SD file</option>
              </select>
            </label>
          ) : null}
          {source?.filename ? <span className="meta">{source.filename}</span> : null}
        </div>
        <label htmlFor="import-text" className="visually-hidden">
          Pasted sheet
        </label>
        <textarea
          id="import-text"
          className="mono"
          rows={5}
          placeholder="Paste rows copied from a spreadsheet (with the header row), or an SD file"
          value={source && !source.filename ? source.text : ""}
          onChange={(e) => (e.target.value.trim() ? load(e.target.value, null) : setSource(null))}
        />
        {parsed && !parsed.ok ? <p className="notice warn">{parsed.message}</p> : null}
      </section>

      {sheet && mapping ? (
        <section className="card stack">
          <h2 style={{ marginTop: 0 }}>2. Columns</h2>
          <p className="meta" style={{ margin: 0 }}>
            Guessed from the headers; change any that are wrong.
          </p>
          <div className="mapping-grid">
            {ROLES.filter((r) => !(r.sheetOnly && format === "sdf")).map((r) => (
              <label key={r.role}>
                {r.label}
                <select aria-label={r.label} value={mapping[r.role] ?? ""} onChange={(e) => assign(r.role, e.target.value || null)}>
                  <option value="">—</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </label>
            ))}
          </div>
          <fieldset className="measurement-columns" disabled={mapping.value !== null}>
            <legend>Measurement columns (one column per assay)</legend>
            {mapping.value !== null ? (
              <p className="meta">One measurement per row (Assay, Value, Qualifier): these columns are not read.</p>
            ) : null}
            {headers
              .filter((h) => !single.has(h))
              .map((h) => (
                <label key={h} className="check">
                  <input
                    type="checkbox"
                    checked={mapping.measurements.some((c) => c.column === h)}
                    onChange={(e) => toggleMeasurement(h, e.target.checked)}
                  />{" "}
                  {h}
                </label>
              ))}
          </fieldset>
          {foreignPrefixes.length > 0 ? (
            <ImportIdChoice
              campaignName={campaign.name}
              prefixes={prefixes}
              foreignPrefixes={foreignPrefixes}
              adoptable={adoptable}
              adoptBlocked={adoptBlocked}
              value={idMode ?? ids}
              onChange={(mode) => {
                setIds(mode);
                next.current = 0;
              }}
            />
          ) : null}
        </section>
      ) : null}

      {sheet && plan ? (
        <section className="card stack">
          <h2 style={{ marginTop: 0 }}>3. Preview</h2>
          <p className="meta" style={{ margin: 0 }} data-testid="import-summary">
            {sheet.sheet.rows.length.toLocaleString("en")} rows;{" "}
            {failing ? `${failing.toLocaleString("en")} with problems that stop them` : "no problems found"} (structures are checked during
            the import).
          </p>
          <div className="table-scroll">
            <table className="history preview-table">
              <thead>
                <tr>
                  <th>Row</th>
                  <th>ID</th>
                  <th>{format === "sdf" ? "Structure" : "SMILES"}</th>
                  <th>Name</th>
                  <th>Measurements</th>
                  <th>Problems</th>
                </tr>
              </thead>
              <tbody>
                {preview.map((r) => {
                  const p = planned.get(r.row);
                  const problems = problemsByRow.get(r.row) ?? [];
                  return (
                    <tr key={r.row} className={p ? "" : "failed"}>
                      <td>{r.row}</td>
                      <td>{p ? [p.code, ...p.aliases].filter(Boolean).join("; ") : (mapping?.id && r.cells[mapping.id]) || ""}</td>
                      <td className="mono clip">
                        {format === "sdf" ? "molfile" : (p?.smiles ?? (mapping?.smiles ? r.cells[mapping.smiles] : ""))}
                      </td>
                      <td>{p?.name ?? ""}</td>
                      <td>
                        {p?.measurements
                          .map(
                            (m) =>
                              `${m.target ? `${m.target} ` : ""}${m.assay} ${m.qualifier === "=" ? "" : m.qualifier}${m.value} ${m.unit ?? (unit !== "none" ? unit : "")}`,
                          )
                          .join("; ")}
                      </td>
                      <td>
                        {problems.map((e, i) => (
                          <div key={i} className={p ? "meta" : "field-error"}>
                            {e.column ? `${e.column}: ` : ""}
                            {e.message}
                          </div>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {sheet.sheet.rows.length > PREVIEW_ROWS ? (
            <p className="meta" style={{ margin: 0 }}>
              First {PREVIEW_ROWS} of {sheet.sheet.rows.length.toLocaleString("en")} rows.
            </p>
          ) : null}
        </section>
      ) : null}

      {sheet && plan ? (
        <section className="card stack">
          <h2 style={{ marginTop: 0 }}>4. Import</h2>
          {unitless.length > 0 ? (
            <label className="row" style={{ fontWeight: 400 }}>
              <span>
                {unitless.length === 1
                  ? `Values of ${unitless[0]!.column}`
                  : `Values of ${unitless.length} assays (${unitless
                      .slice(0, 3)
                      .map((w) => w.column)
                      .join(", ")}${unitless.length > 3 ? ", …" : ""})`}{" "}
                name no unit. They are in
              </span>
              <select value={unit} onChange={(e) => setUnit(e.target.value)} aria-label="Unit of values without one">
                <option value="">choose…</option>
                {UNITS.map((u) => (
                  <option key={u} value={u}>
                    {u}
                  </option>
                ))}
                <option value="none">no unit (keep as numbers)</option>
              </select>
            </label>
          ) : null}
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={busy || needsUnit}
              onClick={() => {
                // Importing a finished file again is allowed: it shows that nothing changes.
                if (finished) next.current = 0;
                void runImport();
              }}
            >
              {finished ? "Import again" : next.current > 0 ? "Continue" : `Import ${sheet.sheet.rows.length.toLocaleString("en")} rows`}
            </button>
            {progress ? <progress max={progress.total} value={progress.done} aria-label="Import progress" /> : null}
            {progress ? (
              <span className="meta" role="status">
                {finished ? "Done: " : "Imported "}
                {progress.done.toLocaleString("en")} of {progress.total.toLocaleString("en")} rows
              </span>
            ) : null}
          </div>
          {failure ? <p className="notice warn">{failure}</p> : null}
        </section>
      ) : null}

      {report ? <ImportReport report={report} slug={campaign.slug} finished={finished} note={note} /> : null}
    </div>
  );
}
