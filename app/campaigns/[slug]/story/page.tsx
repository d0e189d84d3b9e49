import Link from "next/link";
import { notFound } from "next/navigation";
import { StoryTimeline } from "@/components/story-timeline";
import { getDb } from "@/db/index";
import { campaignStory } from "@/db/queries/story";

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ series?: string }> };

export async function generateMetadata({ params, searchParams }: Props) {
  const [{ slug }, { series }] = await Promise.all([params, searchParams]);
  return { title: `The story so far${series ? ` of series ${series}` : ""} · ${slug}` };
}

/**
 * The story so far of a campaign (or of one series): computed from the registry, the results, the to-dos and the
 * notebook on every read, never written by hand, so it is never behind.
 */
export default async function StoryPage({ params, searchParams }: Props) {
  const [{ slug }, { series: seriesParam }] = await Promise.all([params, searchParams]);
  const series = typeof seriesParam === "string" && seriesParam.trim() ? seriesParam.trim().slice(0, 100) : undefined;
  const story = await campaignStory(await getDb(), slug, { series });
  if (!story) notFound();
  return (
    <div className="stack">
      <p className="meta" style={{ margin: 0 }}>
        <Link href={`/campaigns/${slug}`} className="tag">
          {story.campaign.name}
        </Link>{" "}
        · <Link href={`/campaigns/${slug}/wiki`}>wiki</Link>
      </p>
      <h1>The story so far{story.series ? ` of series ${story.series}` : ""}</h1>
      <p className="meta">
        Told from the data as it is now: the first molecules, every time the best value of an assay improved, molecules parked and why,
        to-dos opened and closed, and what was done each month.
      </p>
      {story.allSeries.length ? (
        <p className="row">
          <span className="meta">Series:</span>
          {story.series ? <Link href={`/campaigns/${slug}/story`}>whole campaign</Link> : <strong>whole campaign</strong>}
          {story.allSeries.map((s) =>
            s === story.series ? (
              <strong key={s}>{s}</strong>
            ) : (
              <Link key={s} href={`/campaigns/${slug}/story?series=${encodeURIComponent(s)}`}>
                {s}
              </Link>
            ),
          )}
        </p>
      ) : null}
      <div className="card">
        <StoryTimeline items={story.items} months={story.months} empty="Nothing has happened in this campaign yet." />
      </div>
    </div>
  );
}
