import { renderMarkdown } from "@/lib/markdown";

/** Sanitized markdown (see lib/markdown): user HTML never runs script. With a campaign, `#42` links its issue 42. */
export function MarkdownView({ body, campaign }: { body: string; campaign?: string }) {
  return <div className="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(body, { campaign }) }} />;
}
