import Link from "next/link";
import type { MeasurementView } from "@/db/queries/measurements";
import { RelativeTime } from "./ui/relative-time";

const QUALIFIER = { "=": "", "<": "< ", ">": "> " } as const;

/** A molecule's assay results, in the order they were added (an append-only record, like revisions). */
export function MeasurementTable({ measurements, entryTitles }: { measurements: MeasurementView[]; entryTitles: Map<number, string> }) {
  if (measurements.length === 0) return <p className="meta">No measurements yet.</p>;
  return (
    <div className="table-scroll">
      <table className="history measurements" data-testid="measurements">
        <thead>
          <tr>
            <th scope="col">Assay</th>
            <th scope="col">Target / strain</th>
            <th scope="col">Lab</th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col">Measured</th>
            <th scope="col">Reported in</th>
            <th scope="col">Added by</th>
          </tr>
        </thead>
        <tbody>
          {measurements.map((m) => (
            <tr key={m.id}>
              <td>{m.assay}</td>
              <td>{m.target ?? <span className="meta">—</span>}</td>
              <td>{m.lab ?? <span className="meta">—</span>}</td>
              <td className="num">
                {QUALIFIER[m.qualifier]}
                {formatValue(m.value)}
                {m.unit ? ` ${m.unit}` : ""}
              </td>
              <td>{m.measuredOn ?? <span className="meta">—</span>}</td>
              <td>
                {m.entry ? (
                  <Link href={m.entry.path}>{entryTitles.get(m.entry.id) ?? `Entry ${m.entry.id}`}</Link>
                ) : (
                  <span className="meta">—</span>
                )}
              </td>
              <td>
                {m.addedBy} <span className="meta">{<RelativeTime date={m.createdAt} />}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Values as entered, without binary floating-point noise (0.1 + 0.2 style) or a trailing ".0". */
function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}
