/**
 * The assay a prediction page is about: read from `?assay=`, chosen with a plain GET form (it works without
 * script, and the address says what is shown), and carried over by links between the prediction pages.
 */

/** The `?assay=` parameter as one trimmed string, or undefined for the campaign's most measured assay. */
export function assayParam(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  const trimmed = text?.trim().slice(0, 300);
  return trimmed ? trimmed : undefined;
}

/** /campaigns/{slug}/predictions[/{page}][?assay=…]. */
export function predictionsPath(slug: string, page: "" | "new" | "model" | "next", assay?: string): string {
  const base = `/campaigns/${encodeURIComponent(slug)}/predictions${page ? `/${page}` : ""}`;
  return assay ? `${base}?assay=${encodeURIComponent(assay)}` : base;
}

/** A select of the campaign's assays; nothing when it has one or none. */
export function AssayChoice({
  slug,
  assays,
  current,
  page,
}: {
  slug: string;
  assays: readonly string[];
  current: string;
  page: "" | "model" | "next";
}) {
  if (assays.length < 2) return null;
  return (
    <form method="get" action={predictionsPath(slug, page)} className="row" role="search" aria-label="Choose an assay">
      <label htmlFor="assay-choice" style={{ margin: 0 }}>
        Assay
      </label>
      <select id="assay-choice" name="assay" defaultValue={current}>
        {assays.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <button type="submit">Show</button>
    </form>
  );
}
