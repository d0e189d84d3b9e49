import { renderMarkdown } from "@/lib/markdown";

/** Sanitized markdown (see lib/markdown): user HTML never runs script. */
export function MarkdownView({ body }: { body: string }) {
  return <div className="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(body) }} />;
}
