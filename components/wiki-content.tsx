import type { Db } from "@/db/index";
import type { Campaign } from "@/db/schema";
import { evaluateSegments } from "@/db/queries/wiki-blocks";
import { pageSegments } from "@/lib/wiki/blocks";
import { MarkdownView } from "./markdown-view";
import { WikiBlock } from "./wiki-block";

/**
 * A wiki page's text with its live blocks drawn from the data as it is now (lib/wiki/blocks.ts cuts the text;
 * db/queries/wiki-blocks.ts evaluates each block). `since`: blocks whose data changed after it are marked.
 */
export async function WikiContent({
  db,
  campaign,
  body,
  since,
}: {
  db: Db;
  campaign: Campaign;
  body: string;
  since: { at: Date; label: string } | null;
}) {
  const segments = pageSegments(body);
  const results = await evaluateSegments({ db, campaign }, segments);
  return (
    <div className="wiki-content">
      {segments.map((segment, i) =>
        segment.type === "markdown" ? (
          <MarkdownView key={i} body={segment.text} campaign={campaign.slug} />
        ) : (
          <WikiBlock
            key={i}
            result={results.get(segment.index)!}
            source={segment.type === "block" ? segment.source : segment.code}
            since={since}
          />
        ),
      )}
    </div>
  );
}
