import Link from "next/link";

/** One line of a campaign story (lib/wiki/story.ts) or a molecule timeline (lib/molecules/timeline.ts). */
export interface StoryLine {
  at: Date;
  kind: string;
  title: string;
  detail?: string;
  molecule?: string;
  actor?: string;
  entry?: { id: number; title: string };
  path?: string;
}

export interface StoryMonthRow {
  month: string;
  molecules: number;
  measurements: number;
  entries: number;
}

/**
 * A story or timeline as a dated list, in the order given (both read oldest first), with links to the molecule, the
 * entry and the to-do each line is about; optionally the counts per month as a small table. Server-rendered, no state.
 */
export function StoryTimeline({
  items,
  months,
  self,
  empty = "Nothing has happened here yet.",
}: {
  items: readonly StoryLine[];
  months?: readonly StoryMonthRow[];
  /** The molecule whose page this is: its ID is not repeated on every line. */
  self?: string;
  empty?: string;
}) {
  return (
    <>
      {items.length ? (
        <ol className="story" data-testid="story">
          {items.map((item, i) => (
            <li key={`${item.kind}-${item.at.getTime()}-${i}`} className={`story-${item.kind}`} data-kind={item.kind}>
              <p className="what">
                <time dateTime={item.at.toISOString()} title={item.at.toISOString()} className="meta">
                  {item.at.toISOString().slice(0, 10)}
                </time>{" "}
                <Title item={item} self={self} />
              </p>
              {item.detail ? <p className="summary">{item.detail}</p> : null}
              <Meta item={item} self={self} />
            </li>
          ))}
        </ol>
      ) : (
        <p className="meta">{empty}</p>
      )}
      {months?.length ? <MonthTable months={months} /> : null}
    </>
  );
}

/**
 * The line's own page: a to-do or a reaction (its path), else the molecule (not on its own page: there the line goes
 * to the entry it happened in), else the entry; none for a line about the page's own molecule alone.
 */
function hrefOf(item: StoryLine, self: string | undefined): string | null {
  if (item.path) return item.path;
  if (item.molecule && item.molecule !== self) return `/molecules/${item.molecule}`;
  if (item.entry) return `/entries/${item.entry.id}`;
  return null;
}

function Title({ item, self }: { item: StoryLine; self: string | undefined }) {
  const href = hrefOf(item, self);
  return href ? <Link href={href}>{item.title}</Link> : <span>{item.title}</span>;
}

/** Who, and the molecule and the entry when the title's link is not already theirs. */
function Meta({ item, self }: { item: StoryLine; self: string | undefined }) {
  const href = hrefOf(item, self) ?? "";
  const molecule = item.molecule && item.molecule !== self && href !== `/molecules/${item.molecule}` ? item.molecule : null;
  const entry = item.entry && href !== `/entries/${item.entry.id}` && !href.startsWith(`/entries/${item.entry.id}#`) ? item.entry : null;
  const parts = [
    item.actor ? <span key="actor">by {item.actor}</span> : null,
    molecule ? (
      <Link key="molecule" href={`/molecules/${molecule}`} className="molecule-code">
        {molecule}
      </Link>
    ) : null,
    entry ? (
      <span key="entry">
        in <Link href={`/entries/${entry.id}`}>{entry.title}</Link>
      </span>
    ) : null,
  ].filter((part) => part !== null);
  if (!parts.length) return null;
  return <p className="meta">{parts.flatMap((part, i) => (i ? [" · ", part] : [part]))}</p>;
}

function MonthTable({ months }: { months: readonly StoryMonthRow[] }) {
  return (
    <div className="table-scroll">
      <table className="history story-months" data-testid="story-months">
        <thead>
          <tr>
            <th>Month</th>
            <th className="num">Molecules registered</th>
            <th className="num">Results added</th>
            <th className="num">Entries written</th>
          </tr>
        </thead>
        <tbody>
          {months.map((m) => (
            <tr key={m.month}>
              <td>{m.month}</td>
              <td className="num">{m.molecules}</td>
              <td className="num">{m.measurements}</td>
              <td className="num">{m.entries}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
