import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { MoleculeSearchForm, type MoleculeSearchValues } from "@/components/molecule-search-form";
import { getDb } from "@/db/index";
import { listCampaignNames } from "@/db/queries/campaigns";
import { searchAssays, searchMolecules, type MoleculeSearchResult } from "@/db/queries/molecules/search";
import { RECOGNIZED_HITS_SHOWN, searchRecognized, type RecognizedSearchResult } from "@/db/queries/recognized-search";
import { smilesImagePath } from "@/lib/markdown/structures";
import { canonicalSpellings, searchQuery } from "@/lib/contract/search";
import { potencyKey, type Potency } from "@/lib/molecules/potency";
import { osraAvailable } from "@/lib/ocsr/osra";
import { formatProperty, searchProperties } from "@/lib/molecules/properties";
import { parseInput } from "@/lib/validation";
import { toAppError } from "@/lib/errors";

type Params = Record<string, string | string[] | undefined>;
type Props = { searchParams: Promise<Params> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const { q } = await searchParams;
  return { title: typeof q === "string" && q ? `Structure search: ${q}` : "Structure search", robots: { index: false } };
}

const MODES = ["exact", "substructure", "similarity"] as const;
const numberFormat = new Intl.NumberFormat("en", { maximumSignificantDigits: 3 });

function MoleculeCount({ total }: { total: number }) {
  return (
    <>
      <strong>{total.toLocaleString("en")}</strong> {total === 1 ? "molecule" : "molecules"}
    </>
  );
}

/** The total of a search whose first page was answered without it. */
async function SearchTotal({ input }: { input: Record<string, string> }) {
  try {
    const counted = await searchMolecules(await getDb(), parseInput(searchQuery, { ...input, limit: 1, total: "true" }));
    return <MoleculeCount total={counted.total ?? 0} />;
  } catch (e) {
    const known = toAppError(e);
    if (!known) throw e;
    return <span className="meta">more than one page (not counted: {known.message.replace(/^q: /, "")})</span>;
  }
}

/** Structures found in entries' pictures that the search matches: apart from the registry, marked as recognized. */
function RecognizedHits({ found }: { found: RecognizedSearchResult }) {
  return (
    <section aria-labelledby="recognized-hits-title" className="stack" data-testid="recognized-hits">
      <h2 id="recognized-hits-title">Recognized in attachments</h2>
      <p className="meta">
        {found.total === 0
          ? "No structure recognized in the entries' pictures matches."
          : `${found.total.toLocaleString("en")} ${found.total === 1 ? "structure" : "structures"} read by OSRA from pictures attached to entries${
              found.total > found.hits.length ? `, the first ${RECOGNIZED_HITS_SHOWN} shown` : ""
            }: not registered, and worth checking against the picture.`}
      </p>
      <ul className="search-hits">
        {found.hits.map((hit) => (
          <li key={hit.id} className="card search-hit" data-testid="recognized-hit">
            <a href={hit.attachment.path}>
              {/* eslint-disable-next-line @next/next/no-img-element -- a drawing from our own SVG route, see MoleculeImage */}
              <img
                src={`${smilesImagePath(hit.smiles)}&w=220&h=160`}
                width={220}
                height={160}
                alt={`Structure recognized in ${hit.attachment.filename}`}
                className="structure"
                loading="lazy"
              />
            </a>
            <div>
              <span className="tag">recognized</span> in <a href={hit.attachment.path}>{hit.attachment.filename}</a>
              {hit.page > 1 ? `, page ${hit.page}` : ""}
            </div>
            <div className="meta">
              <Link href={hit.entry.path}>{hit.entry.title}</Link> ({hit.entry.date})
              {hit.similarity !== undefined ? ` · similarity ${hit.similarity.toFixed(2)}` : ""}
            </div>
            <div className="meta">
              {hit.formula}
              {hit.match ? (
                <>
                  {" "}
                  · registered as <Link href={hit.match.path}>{hit.match.id}</Link>
                </>
              ) : (
                " · not registered"
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Best values shown under a hit: the chosen assay's, or else its two most measured ones (a card has little room). */
function shownPotency(potency: Potency[], assay: string): Potency[] {
  if (assay) return potency.filter((p) => potencyKey(p) === assay);
  return [...potency].sort((a, b) => b.count - a.count).slice(0, 2);
}

export default async function MoleculeSearchPage({ searchParams }: Props) {
  // Earlier spellings in old links (mwMin, sort=-mw) read as the properties' keys.
  const params = canonicalSpellings(await searchParams) as Params;
  const text = (key: string) => {
    const value = params[key];
    return typeof value === "string" ? value.slice(0, 2000) : "";
  };
  const mode = MODES.find((m) => m === params.mode) ?? "substructure";
  const values: MoleculeSearchValues = {
    q: text("q").trim(),
    mode,
    threshold: text("threshold"),
    campaign: text("campaign"),
    status: text("status"),
    ranges: Object.fromEntries(searchProperties.flatMap((p) => [`${p.key}Min`, `${p.key}Max`].map((name) => [name, text(name)]))),
    assay: text("assay"),
    potency: text("potency"),
    sort: text("sort"),
    recognized: text("recognized") === "true" ? "true" : "",
  };
  const db = await getDb();
  const [campaigns, assays] = await Promise.all([listCampaignNames(db), searchAssays(db, values.campaign || undefined)]);
  let result: MoleculeSearchResult | null = null;
  let error: string | null = null;
  // `limit` (hits per page) is not in the form, but an address may carry it and the next page keeps it.
  const limit = text("limit");
  const { ranges, ...fields } = values;
  const flat: Record<string, string> = { ...fields, ...ranges };
  const input = Object.fromEntries(Object.entries({ ...flat, limit, cursor: text("cursor") }).filter(([, v]) => v !== ""));
  let recognized: RecognizedSearchResult | null = null;
  if (values.q) {
    try {
      // The first page without counting every hit (a substructure scan stops once the page is full): the hits are
      // sent at once and the total follows in the same answer when it is counted (SearchTotal, streamed).
      const query = parseInput(searchQuery, { ...input, total: "false" });
      [result, recognized] = await Promise.all([
        searchMolecules(db, query),
        values.recognized === "true" ? searchRecognized(db, query) : null,
      ]);
    } catch (e) {
      const known = toAppError(e);
      if (!known) throw e;
      error = known.message.replace(/^q: /, "");
    }
  }
  // Downloads hold every hit of the search as it stands (not only this page), in the same order.
  const downloadQuery = new URLSearchParams(Object.entries(flat).filter(([, v]) => v !== "")).toString();
  const next = result?.cursor
    ? `/search/molecules?${new URLSearchParams(Object.entries({ ...flat, limit, cursor: result.cursor }).filter(([, v]) => v !== ""))}`
    : null;

  return (
    <div className="stack">
      <h1>Structure search</h1>
      <MoleculeSearchForm values={values} campaigns={campaigns} assays={assays} pictures={osraAvailable()} />
      <p className="meta">
        Substructure takes SMILES or SMARTS (upper-case atoms are aliphatic, lower-case aromatic; <code>*</code>, <code>[#7;a]</code>,{" "}
        <code>[Cl,Br]</code>, <code>[CX4]</code>, <code>[c;r5]</code>, <code>[N+;H0]</code>, <code>[N;!$(NC=O)]</code>, <code>~</code>{" "}
        work). Exact finds the same structure however it is written; similarity ranks by Tanimoto similarity of circular fingerprints.{" "}
        <Link href="/search">Search entries instead</Link>.
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {result ? (
        <section aria-label="Results" className="stack">
          <p data-testid="search-total">
            {result.total !== null ? (
              <MoleculeCount total={result.total} />
            ) : (
              <Suspense fallback={<span className="meta">first {result.hits.length} shown, counting the rest…</span>}>
                <SearchTotal input={input} />
              </Suspense>
            )}{" "}
            · <span className="meta">first page in {result.tookMs} ms</span>
            {result.hits.length > 0 ? (
              <span className="meta">
                {" "}
                · download all hits as <a href={`/api/v1/search/molecules/export.csv?${downloadQuery}`}>CSV</a> or{" "}
                <a href={`/api/v1/search/molecules/export.sdf?${downloadQuery}`}>SDF</a>
              </span>
            ) : null}
          </p>
          <ul className="search-hits">
            {result.hits.map((hit) => {
              const hl = hit.atoms && hit.atoms.length > 0 ? `&hl=${hit.atoms.join(",")}` : "";
              return (
                <li key={hit.moleculeId} className="card search-hit" data-testid="search-hit">
                  <Link href={`/molecules/${hit.id}`}>
                    {/* eslint-disable-next-line @next/next/no-img-element -- a drawing from our own SVG route, see MoleculeImage */}
                    <img
                      src={`/molecules/${encodeURIComponent(hit.id)}.svg?w=220&h=160${hl}`}
                      width={220}
                      height={160}
                      alt={`Structure of ${hit.id}${hit.atoms ? ", matched atoms highlighted" : ""}`}
                      className="structure"
                      loading="lazy"
                    />
                    <strong>{hit.id}</strong>
                  </Link>
                  {hit.name ? <div>{hit.name}</div> : null}
                  <div className="meta">
                    {searchProperties.map((p) => `${p.label} ${formatProperty(p, hit[p.key], { unit: false })}`).join(" · ")}
                    {hit.similarity !== undefined ? ` · similarity ${hit.similarity.toFixed(2)}` : ""}
                    {hit.status === "parked" ? " · parked" : ""}
                  </div>
                  {shownPotency(hit.potency, values.assay).map((p) => (
                    <div key={`${p.label}|${p.unit}`} className="meta potency">
                      {p.label} {p.qualifier === "=" ? "" : p.qualifier}
                      {numberFormat.format(p.value)}
                      {p.unit ? ` ${p.unit}` : ""}
                    </div>
                  ))}
                </li>
              );
            })}
          </ul>
          {next ? (
            <div className="pager">
              <Link href={next}>Next →</Link>
            </div>
          ) : null}
        </section>
      ) : null}
      {recognized ? <RecognizedHits found={recognized} /> : null}
    </div>
  );
}
