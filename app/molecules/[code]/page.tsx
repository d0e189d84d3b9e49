import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { cache, Suspense } from "react";
import { currentActor } from "@/app/_lib/session";
import { MoleculeImage } from "@/components/molecule-image";
import { MeasurementForm, type ReportingEntry } from "@/components/molecule-measurement-form";
import { MeasurementTable } from "@/components/molecule-measurements";
import { MoleculeProperties } from "@/components/molecule-properties";
import { MoleculeStatusControls } from "@/components/molecule-status";
import { RelativeTime } from "@/components/ui/relative-time";
import { getDb } from "@/db/index";
import { getCampaign, roleIn } from "@/db/queries/campaigns";
import { getEntry } from "@/db/queries/entries";
import { listMeasurements } from "@/db/queries/measurements";
import { entriesMentioning } from "@/db/queries/mentions";
import { picturesShowing } from "@/db/queries/recognized-search";
import { moleculeTimelineOf } from "@/db/queries/story";
import { StoryTimeline } from "@/components/story-timeline";
import { reactionsUsing } from "@/db/queries/reactions";
import { ReactionUses } from "@/components/reaction-uses";
import { Discussion } from "@/components/discussion";
import { WatchButton } from "@/components/watch-button";
import { isWatching } from "@/db/queries/watches";
import { getMolecule } from "@/db/queries/molecules";
import { todosMentioning } from "@/db/queries/todos";
import { today } from "@/lib/entries/input";
import { databaseLinks } from "@/lib/molecules/links";
import { pageCiteContext } from "@/app/_lib/cite";
import { CiteBox } from "@/components/cite-box";
import { JsonLdScript } from "@/components/json-ld";
import { LicenseLine } from "@/components/license-line";
import { citeMolecule } from "@/db/queries/citations";
import { moleculeJsonLd } from "@/lib/cite/jsonld";
import { MoleculePredictionPanel, MoleculePredictionSkeleton, NoMoleculePrediction } from "@/components/molecule-prediction";
import { assaysWithModel } from "@/db/queries/prediction-views";

type Props = { params: Promise<{ code: string }> };

/** The molecule of this request, loaded once and shared by metadata and page. */
const loadMolecule = cache(async (code: string) => {
  if (code.length > 100) notFound();
  return getMolecule(await getDb(), code);
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const molecule = await loadMolecule((await params).code);
  if (!molecule) return { title: "Molecule not found", robots: { index: false } };
  const title = molecule.name ? `${molecule.code} · ${molecule.name}` : molecule.code;
  const description =
    `${molecule.name ? `${molecule.name} (${molecule.code})` : molecule.code}, ${molecule.formula}, ` +
    `${molecule.properties.averageMass.toFixed(2)} g/mol, in ${molecule.campaign.name}` +
    `${molecule.status === "parked" ? " (parked)" : ""}: structure, identifiers, measurements and the notebook entries that mention it.`;
  // A link posted anywhere previews the structure (PNG: not every card renderer takes SVG).
  const image = { url: `/molecules/${molecule.code}.png?w=1200&h=630`, width: 1200, height: 630, alt: `Structure of ${molecule.code}` };
  return {
    title,
    description,
    openGraph: { type: "article", title, description, images: [image] },
    twitter: { card: "summary_large_image", title, description, images: [image.url] },
  };
}

export default async function MoleculePage({ params }: Props) {
  const { code } = await params;
  const molecule = await loadMolecule(code);
  if (!molecule) notFound();
  // An alias (MMV number, older ID) or another spelling reaches the molecule; its own ID is the address to keep.
  if (code !== molecule.code) redirect(molecule.path);

  const db = await getDb();
  const actor = await currentActor();
  const [campaign, measurements, mentions, todoMentions, uses, timeline, modelled, pictures] = await Promise.all([
    getCampaign(db, molecule.campaign.slug),
    listMeasurements(db, molecule.id),
    entriesMentioning(db, molecule.id),
    todosMentioning(db, [molecule.code, ...molecule.aliases]),
    reactionsUsing(db, molecule.code),
    moleculeTimelineOf(db, molecule.id),
    assaysWithModel(db, molecule.campaign.slug),
    picturesShowing(db, molecule.idcode),
  ]);
  const watching = await isWatching(db, actor?.id, "molecule", molecule.id);
  const role = campaign && actor ? await roleIn(db, campaign.id, actor.id) : null;

  // Titles of the entries that report measurements: most are also mentions; the others are looked up.
  const titles = new Map(mentions.map((e) => [e.id, e.title]));
  const missing = [...new Set(measurements.flatMap((m) => (m.entry && !titles.has(m.entry.id) ? [m.entry.id] : [])))];
  for (const entry of await Promise.all(missing.map((id) => getEntry(db, id)))) if (entry) titles.set(entry.id, entry.title);
  const reporting: ReportingEntry[] = mentions
    .filter((e) => e.campaign.slug === molecule.campaign.slug && e.kind === "entry")
    .map((e) => ({ id: e.id, title: e.title, date: e.date }));

  const key = molecule.inchikey;
  const parked = molecule.status === "parked";
  const cite = await pageCiteContext();
  const citation = await citeMolecule(db, molecule.code, cite);

  return (
    <article className="grid molecule-page">
      <div>
        <p className="meta" style={{ margin: 0 }}>
          <Link href={`/campaigns/${molecule.campaign.slug}`} className="tag">
            {molecule.campaign.name}
          </Link>
          {molecule.series ? ` · series ${molecule.series}` : ""} · registered by {molecule.registeredBy}{" "}
          <RelativeTime date={molecule.createdAt} />
        </p>
        <h1>
          <span className="molecule-code">{molecule.code}</span>{" "}
          {molecule.name ? <span className="molecule-name">{molecule.name}</span> : null}
        </h1>
        <p className="row" style={{ margin: "0 0 0.8rem" }}>
          <span className={`status ${molecule.status}`} data-testid="molecule-status">
            {parked ? "Parked" : "Active"}
          </span>
          {parked && molecule.parkReason ? <span className="meta">{molecule.parkReason}</span> : null}
          {molecule.aliases.length ? <span className="meta">Also known as {molecule.aliases.join(", ")}</span> : null}
        </p>

        <div className="card molecule-summary">
          <MoleculeImage
            code={molecule.code}
            width={450}
            height={300}
            alt={`Structure of ${molecule.code}`}
            className="structure large"
            eager
          />
          <MoleculeProperties molecule={molecule} />
        </div>

        <h2>Identifiers</h2>
        <dl className="card identifiers">
          <dt>SMILES</dt>
          <dd>
            <code data-testid="smiles">{molecule.smiles}</code>
            {molecule.inputSmiles && molecule.inputSmiles !== molecule.smiles ? (
              <div className="meta">as registered: {molecule.inputSmiles}</div>
            ) : null}
          </dd>
          <dt>InChI</dt>
          <dd>
            {molecule.inchi ? (
              <code>{molecule.inchi}</code>
            ) : (
              <span className="meta">No standard InChI could be computed for this structure.</span>
            )}
          </dd>
          <dt>InChIKey</dt>
          <dd>
            {key ? (
              <>
                <code data-testid="inchikey">{key}</code>{" "}
                <span className="external">
                  <a href={databaseLinks(key).pubchem} rel="external noopener noreferrer">
                    PubChem
                  </a>{" "}
                  ·{" "}
                  <a href={databaseLinks(key).chembl} rel="external noopener noreferrer">
                    ChEMBL
                  </a>
                </span>
              </>
            ) : (
              <span className="meta">none</span>
            )}
          </dd>
          {molecule.parentCode ? (
            <>
              <dt>Form of</dt>
              <dd>
                <Link href={`/molecules/${molecule.parentCode}`}>{molecule.parentCode}</Link>{" "}
                <span className="meta">(a batch or salt form of it)</span>
              </dd>
            </>
          ) : null}
          {molecule.forms.length ? (
            <>
              <dt>Other forms</dt>
              <dd>
                {molecule.forms.map((f, i) => (
                  <span key={f}>
                    {i ? ", " : ""}
                    <Link href={`/molecules/${f}`}>{f}</Link>
                  </span>
                ))}{" "}
                <span className="meta">(batches and salt forms)</span>
              </dd>
            </>
          ) : null}
        </dl>

        <h2 id="timeline">Timeline</h2>
        <div className="card">
          <StoryTimeline items={timeline?.items ?? []} self={molecule.code} empty="Nothing has happened to this molecule yet." />
        </div>

        <h2 id="measurements">Measurements</h2>
        <MeasurementTable measurements={measurements} entryTitles={titles} />
        {role ? <MeasurementForm code={molecule.code} entries={reporting} today={today()} /> : null}
        <Discussion
          db={db}
          target={{ kind: "molecule", id: molecule.code }}
          campaign={molecule.campaign.slug}
          actor={actor}
          role={role}
          isOwner={actor?.login === molecule.registeredBy}
          returnTo={molecule.path}
        />
        <LicenseLine license={molecule.campaign.license} />
        <JsonLdScript
          data={moleculeJsonLd({
            code: molecule.code,
            name: molecule.name,
            aliases: molecule.aliases,
            smiles: molecule.smiles,
            inchi: molecule.inchi,
            inchikey: molecule.inchikey,
            formula: molecule.formula,
            averageMass: molecule.properties.averageMass,
            monoisotopicMass: molecule.properties.monoisotopicMass,
            url: citation.url,
            image: `${cite.origin}/molecules/${molecule.code}.png?w=600&h=400`,
            createdAt: molecule.createdAt,
            campaign: { name: molecule.campaign.name, url: citation.container.url, license: molecule.campaign.license },
          })}
        />
      </div>

      <aside className="stack">
        {actor ? (
          <div className="card">
            <WatchButton kind="molecule" id={molecule.id} watching={watching} path={molecule.path} />
          </div>
        ) : null}
        {role === "maintainer" ? (
          <div className="card">
            <MoleculeStatusControls code={molecule.code} status={molecule.status} />
          </div>
        ) : null}
        {modelled.length ? (
          <Suspense fallback={<MoleculePredictionSkeleton />}>
            <MoleculePredictionPanel db={db} code={molecule.code} slug={molecule.campaign.slug} assays={modelled} />
          </Suspense>
        ) : (
          <NoMoleculePrediction slug={molecule.campaign.slug} />
        )}
        <div className="card">
          <strong>Download</strong>
          <ul className="attachments">
            <li>
              <a href={`/molecules/${molecule.code}.mol`} download>
                Molfile (.mol)
              </a>
            </li>
            <li>
              <a href={`/molecules/${molecule.code}.svg?w=600&h=400`} download={`${molecule.code}.svg`}>
                Drawing (SVG)
              </a>
            </li>
            <li>
              <a href={`/molecules/${molecule.code}.png?w=900&h=600`} download={`${molecule.code}.png`}>
                Drawing (PNG, 900 × 600)
              </a>
            </li>
          </ul>
        </div>
        <CiteBox citation={citation} href={`${molecule.path}/cite`} />
        <ReactionUses madeIn={uses.madeIn} usedIn={uses.usedIn} />
        <div className="card" data-testid="mentioned-in">
          <strong>Mentioned in</strong>
          {mentions.length ? (
            <ul className="entries">
              {mentions.map((e) => (
                <li key={e.id}>
                  <Link href={e.path} className="title">
                    {e.title}
                  </Link>
                  <div className="meta">
                    {e.kind === "page" ? <span className="tag">wiki page</span> : e.date} · {e.author}
                    {e.campaign.slug !== molecule.campaign.slug ? ` · ${e.campaign.name}` : ""}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="meta" style={{ margin: "0.3rem 0 0" }}>
              No entry mentions {molecule.code} yet. Write its ID in an entry and it links here.
            </p>
          )}
        </div>
        {pictures.length ? (
          <div className="card" data-testid="in-pictures">
            <strong>In pictures</strong>
            <p className="meta" style={{ margin: "0.2rem 0 0" }}>
              Recognized by OSRA in pictures attached to entries.
            </p>
            <ul className="entries">
              {pictures.map((p) => (
                <li key={`${p.attachment.id}:${p.page}`}>
                  <Link href={p.entry.path} className="title">
                    {p.entry.title}
                  </Link>
                  <div className="meta">
                    {p.entry.date} · <a href={p.attachment.path}>{p.attachment.filename}</a>
                    {p.page > 1 ? `, page ${p.page}` : ""}
                  </div>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {todoMentions.length ? (
          <div className="card" data-testid="mentioned-in-todos">
            <strong>To-dos</strong>
            <ul className="entries">
              {todoMentions.map((t) => (
                <li key={t.id}>
                  <Link href={`/campaigns/${t.slug}/todos/${t.id}`} className="title">
                    {t.title}
                  </Link>
                  <div className="meta">
                    {t.state}
                    {t.issueNumber && t.htmlUrl ? (
                      <>
                        {" "}
                        · <a href={t.htmlUrl}>#{t.issueNumber}</a>
                      </>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {!actor ? (
          <p className="meta">
            <Link href={`/signin?next=${molecule.path}`}>Sign in</Link> to add measurements.
          </p>
        ) : null}
      </aside>
    </article>
  );
}
