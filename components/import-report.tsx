import Link from "next/link";
import type { Report } from "./import-chunks";

/**
 * The outcome of an import: counts, what became of the file's IDs of another campaign (`note`), then each failed row
 * with its column and why.
 */
export function ImportReport({ report, slug, finished, note }: { report: Report; slug: string; finished: boolean; note?: string | null }) {
  return (
    <section className="card stack" data-testid="import-report" aria-live="polite">
      <h2 style={{ marginTop: 0 }}>{finished ? "Report" : "Report so far"}</h2>
      <dl className="report-counts">
        <div>
          <dt>imported</dt>
          <dd data-testid="imported">{report.imported.toLocaleString("en")}</dd>
        </div>
        <div>
          <dt>unchanged</dt>
          <dd data-testid="unchanged">{report.unchanged.toLocaleString("en")}</dd>
        </div>
        <div>
          <dt>failed</dt>
          <dd data-testid="failed">{report.failed.toLocaleString("en")}</dd>
        </div>
      </dl>
      <p style={{ margin: 0 }}>
        <span data-testid="registered">{report.registered.toLocaleString("en")}</span> molecules registered,{" "}
        {report.measurementsAdded.toLocaleString("en")} measurements added.{" "}
        {finished ? <Link href={`/campaigns/${slug}/molecules`}>See the molecule table</Link> : null}
      </p>
      {note && report.imported + report.unchanged > 0 ? (
        <p style={{ margin: 0 }} data-testid="import-ids-note">
          {note}
        </p>
      ) : null}
      {report.errors.length > 0 ? (
        <div className="table-scroll">
          <table className="history" data-testid="import-errors">
            <thead>
              <tr>
                <th>Row</th>
                <th>Column</th>
                <th>Why it failed</th>
              </tr>
            </thead>
            <tbody>
              {report.errors.map((e, i) => (
                <tr key={i}>
                  <td>{e.row}</td>
                  <td>{e.column ?? ""}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.warnings.length > 0 ? (
        <details>
          <summary>{report.warnings.length} things to check in imported rows</summary>
          <table className="history">
            <tbody>
              {report.warnings.map((w, i) => (
                <tr key={i}>
                  <td>{w.row}</td>
                  <td>{w.column ?? ""}</td>
                  <td>{w.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}
