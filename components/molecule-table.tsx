"use client";

import { useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { Fragment, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { MoleculeTable as TableData, TableProperty } from "@/db/queries/molecules/table";
import type { Qualifier } from "@/lib/molecules/model";
import { meetsPotency } from "@/lib/molecules/potency";
import { MoleculeImage } from "./molecule-image";
import { prepare, type PreparedTable } from "./molecule-table-data";
import { formatProperty, tableProperties } from "@/lib/molecules/properties";
import { assayTitle, formatValue, PotencyChart } from "./potency-chart";

/**
 * The campaign's molecule sheet: all molecules loaded once from table.json, then filtered and sorted in the browser
 * (41,000 rows sort in a few tens of milliseconds) and drawn with a virtualizer, so only the rows on screen — and
 * their structure images — exist in the page.
 */

export const ROW_HEIGHT = 76;
/** Structure, ID, name, formula, MW, cLogP, TPSA, HBD/HBA, status; then one column per assay. */
/** Structure, ID, name, formula, then one column per table property (lib/molecules/properties.ts), then status. */
const FIXED_WIDTHS = [132, 118, 170, 160, ...tableProperties.map((p) => (p.type === "integer" ? 52 : 70)), 76];

/** "C21H17FN4O" with the counts as subscripts, as a chemist writes it. */
function Formula({ formula }: { formula: string }) {
  const parts = formula.split(/(\d+)/);
  return <>{parts.map((p, i) => (i % 2 === 1 ? <sub key={i}>{p}</sub> : p))}</>;
}

interface Filters {
  q: string;
  status: "" | "active" | "parked";
  property: TableProperty;
  min: string;
  max: string;
  assay: string;
  potency: string;
}
const NO_FILTERS: Filters = { q: "", status: "", property: tableProperties[0]!.key, min: "", max: "", assay: "", potency: "" };

type SortKey = "id" | "name" | "formula" | TableProperty | "status" | `assay:${string}`;
interface Sort {
  key: SortKey;
  descending: boolean;
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

function filterRows(t: PreparedTable, f: Filters): number[] {
  const q = f.q.trim().toLowerCase();
  const min = f.min.trim() === "" ? Number.NEGATIVE_INFINITY : Number(f.min);
  const max = f.max.trim() === "" ? Number.POSITIVE_INFINITY : Number(f.max);
  const property = t.data[f.property];
  const assay = f.assay ? t.assays.find((a) => a.key === f.assay) : undefined;
  const threshold = f.potency.trim() === "" ? Number.NaN : Number(f.potency);
  const out: number[] = [];
  for (let i = 0; i < t.data.count; i++) {
    if (q && !t.haystack[i]!.includes(q)) continue;
    if (f.status && t.data.status[i] !== f.status[0]) continue;
    const p = property[i]!;
    if (p < min || p > max) continue;
    if (assay && !Number.isNaN(threshold)) {
      // The server's rule (potentRows): measured or bounded on the good side, and at least this potent.
      const v = assay.value[i]!;
      if (Number.isNaN(v) || !meetsPotency({ value: v, qualifier: assay.qualifier[i] as Qualifier }, threshold, assay.higherIsBetter)) continue;
    }
    out.push(i);
  }
  return out;
}

function sortRows(t: PreparedTable, rows: number[], sort: Sort): number[] {
  const sign = sort.descending ? -1 : 1;
  const d = t.data;
  if (sort.key === "id") return sort.descending ? [...rows].reverse() : rows; // the feed comes in ID order
  let compare: (a: number, b: number) => number;
  if (sort.key === "name" || sort.key === "formula") {
    const column = d[sort.key];
    // Molecules without a name go last whichever the direction.
    compare = (a, b) => (column[a] === "" ? 1 : 0) - (column[b] === "" ? 1 : 0) || sign * collator.compare(column[a]!, column[b]!);
  } else if (sort.key === "status") {
    compare = (a, b) => sign * (d.status.charCodeAt(a) - d.status.charCodeAt(b));
  } else if (sort.key.startsWith("assay:")) {
    const assay = t.assays.find((a) => `assay:${a.key}` === sort.key);
    if (!assay) return rows;
    const v = assay.value;
    // Unmeasured last; ascending means most potent first (lowest IC50, highest pIC50).
    const dir = assay.higherIsBetter ? -sign : sign;
    compare = (a, b) => Number(Number.isNaN(v[a]!)) - Number(Number.isNaN(v[b]!)) || dir * (v[a]! - v[b]!);
  } else {
    const column = d[sort.key as TableProperty];
    compare = (a, b) => sign * (column[a]! - column[b]!);
  }
  return [...rows].sort((a, b) => compare(a, b) || a - b);
}

async function fetchTable(slug: string): Promise<PreparedTable> {
  const res = await fetch(`/campaigns/${encodeURIComponent(slug)}/molecules/table.json`);
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The molecule table could not be loaded (HTTP ${res.status}).`);
  }
  return prepare((await res.json()) as TableData);
}

export const tableQueryKey = (slug: string) => ["molecule-table", slug] as const;

export function MoleculeTable({ slug, canWrite }: { slug: string; canWrite: boolean }) {
  const query = useQuery({ queryKey: tableQueryKey(slug), queryFn: () => fetchTable(slug) });
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<Sort>({ key: "id", descending: false });
  // Typing stays responsive on 41k rows: the list follows a render behind.
  const deferredFilters = useDeferredValue(filters);
  const deferredSort = useDeferredValue(sort);
  const table = query.data;
  const filtered = useMemo(() => (table ? filterRows(table, deferredFilters) : []), [table, deferredFilters]);
  const rows = useMemo(() => (table ? sortRows(table, filtered, deferredSort) : []), [table, filtered, deferredSort]);

  if (query.isPending)
    return (
      <p className="card meta" aria-busy="true">
        Loading the molecule table…
      </p>
    );
  if (query.isError) return <p className="notice warn">{query.error.message}</p>;
  const t = query.data;
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));
  const potencyAssay = t.assays.find((a) => a.key === filters.assay);
  const active = JSON.stringify(filters) !== JSON.stringify(NO_FILTERS);

  if (t.data.count === 0) {
    return (
      <p className="card">
        No molecules yet.{" "}
        {canWrite ? (
          <>
            <Link href={`/campaigns/${slug}/molecules/import`}>Import a sheet</Link> or{" "}
            <Link href={`/campaigns/${slug}/molecules/new`}>register a molecule</Link>.
          </>
        ) : null}
      </p>
    );
  }
  return (
    <div className="stack">
      <form className="card table-filters" role="search" aria-label="Filter molecules" onSubmit={(e) => e.preventDefault()}>
        <input
          type="search"
          aria-label="Filter by ID, name or alias"
          placeholder="ID, name or alias…"
          value={filters.q}
          onChange={(e) => set({ q: e.target.value })}
        />
        <select aria-label="Status" value={filters.status} onChange={(e) => set({ status: e.target.value as Filters["status"] })}>
          <option value="">Active and parked</option>
          <option value="active">Active</option>
          <option value="parked">Parked</option>
        </select>
        <span className="row">
          <select aria-label="Property" value={filters.property} onChange={(e) => set({ property: e.target.value as TableProperty })}>
            {tableProperties.map((p) => (
              <option key={p.key} value={p.key}>
                {p.label}
              </option>
            ))}
          </select>
          <input
            className="num"
            type="number"
            step="any"
            aria-label="Property at least"
            placeholder="min"
            value={filters.min}
            onChange={(e) => set({ min: e.target.value })}
          />
          –
          <input
            className="num"
            type="number"
            step="any"
            aria-label="Property at most"
            placeholder="max"
            value={filters.max}
            onChange={(e) => set({ max: e.target.value })}
          />
        </span>
        {t.assays.length > 0 ? (
          <span className="row">
            <select aria-label="Potency assay" value={filters.assay} onChange={(e) => set({ assay: e.target.value })}>
              <option value="">Any potency</option>
              {t.assays.map((a) => (
                <option key={a.key} value={a.key}>
                  {a.label}
                </option>
              ))}
            </select>
            {potencyAssay ? (
              <>
                {potencyAssay.higherIsBetter ? "≥" : "≤"}
                <input
                  className="num"
                  type="number"
                  step="any"
                  min="0"
                  aria-label="Potency threshold"
                  value={filters.potency}
                  onChange={(e) => set({ potency: e.target.value })}
                />
                {potencyAssay.unit ?? ""}
              </>
            ) : null}
          </span>
        ) : null}
        {active ? (
          <button type="button" onClick={() => setFilters(NO_FILTERS)}>
            Clear
          </button>
        ) : null}
      </form>
      <p className="meta spread" role="status">
        <span data-testid="row-count">
          {rows.length === t.data.count
            ? `${t.data.count.toLocaleString("en")} molecules`
            : `${rows.length.toLocaleString("en")} of ${t.data.count.toLocaleString("en")} molecules`}
        </span>
        <span>
          Export:{" "}
          <a href={`/api/v1/campaigns/${slug}/export.csv`} download>
            CSV
          </a>{" "}
          ·{" "}
          <a href={`/api/v1/campaigns/${slug}/export.sdf`} download>
            SDF
          </a>
        </span>
      </p>
      <Grid
        table={t}
        rows={rows}
        sort={sort}
        onSort={(key) => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }))}
      />
      {t.assays.length > 0 ? <PotencyChart table={t} rows={filtered} /> : null}
    </div>
  );
}

function Grid({ table, rows, sort, onSort }: { table: PreparedTable; rows: number[]; sort: Sort; onSort: (key: SortKey) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  // A new filter or order shows its first rows, not whatever was scrolled to before.
  useEffect(() => virtualizer.scrollToOffset(0), [rows, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  const d = table.data;
  // Fixed column widths: the layout never depends on which rows happen to be rendered.
  const widths = [...FIXED_WIDTHS, ...table.assays.map(() => 118)];
  const header = (key: SortKey, label: ReactNode, className = "") => (
    <th className={className} aria-sort={sort.key === key ? (sort.descending ? "descending" : "ascending") : undefined} scope="col">
      <button type="button" onClick={() => onSort(key)}>
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.descending ? " ▼" : " ▲") : ""}</span>
      </button>
    </th>
  );
  return (
    <div ref={scroller} className="molecule-grid" data-testid="molecule-grid" tabIndex={0} aria-label="Molecules">
      <table aria-rowcount={rows.length + 1} style={{ width: widths.reduce((a, b) => a + b, 0) }}>
        <colgroup>
          {widths.map((w, i) => (
            <col key={i} style={{ width: w }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Structure</th>
            {header("id", "ID")}
            {header("name", "Name")}
            {header("formula", "Formula")}
            {tableProperties.map((p) => (
              <Fragment key={p.key}>{header(p.key, p.label, "num")}</Fragment>
            ))}
            {header("status", "Status")}
            {table.assays.map((a) =>
              header(
                `assay:${a.key}`,
                <>
                  {assayTitle(a)} <span className="meta">best</span>
                </>,
                "num",
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {before > 0 ? <tr aria-hidden="true" style={{ height: before }} /> : null}
          {items.map((item) => {
            const i = rows[item.index]!;
            const code = d.code[i]!;
            return (
              <tr key={i} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }} data-code={code}>
                <td className="thumb">
                  <MoleculeImage code={code} width={120} height={68} alt={`Structure of ${code}`} />
                </td>
                <td>
                  <Link href={`/molecules/${encodeURIComponent(code)}`} prefetch={false} className="code">
                    {code}
                  </Link>
                </td>
                <td className="clip" title={[d.name[i], d.aliases[i]].filter(Boolean).join("\n")}>
                  {d.name[i]}
                  {d.aliases[i] ? <span className="meta aliases">{d.aliases[i]}</span> : null}
                </td>
                <td className="clip">
                  <Formula formula={d.formula[i]!} />
                </td>
                {tableProperties.map((p) => (
                  <td key={p.key} className="num">
                    {formatProperty(p, d[p.key][i]!, { unit: false })}
                  </td>
                ))}
                <td>{d.status[i] === "p" ? <span className="tag parked">parked</span> : <span className="tag">active</span>}</td>
                {table.assays.map((a) => {
                  const v = a.value[i]!;
                  const q = a.qualifier[i]!;
                  return (
                    <td
                      key={a.key}
                      className={`num potency${!Number.isNaN(v) && q !== ">" && !a.higherIsBetter && a.unit === "µM" ? (v <= 0.1 ? " p3" : v <= 1 ? " p2" : "") : ""}`}
                    >
                      {Number.isNaN(v) ? "" : `${q === "=" ? "" : `${q} `}${formatValue(v)}`}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {after > 0 ? <tr aria-hidden="true" style={{ height: after }} /> : null}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="meta empty">No molecule matches these filters.</p> : null}
    </div>
  );
}
