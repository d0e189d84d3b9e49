import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

/**
 * GitHub's sanitizing rules (no script, no event handlers, no javascript: URLs, no SVG or iframes),
 * plus the bits of GFM a lab notebook needs. Raw HTML in an entry is dropped, never passed through.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    code: [...(defaultSchema.attributes?.code ?? []), ["className", /^language-[\w-]+$/]],
  },
};

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype) // allowDangerousHtml is off: raw HTML nodes never reach the output
  .use(rehypeSanitize, sanitizeSchema)
  .use(rehypeStringify);

/** Markdown to sanitized HTML: the one renderer behind entry pages, the editor preview and the feeds. */
export function renderMarkdown(markdown: string): string {
  return String(processor.processSync(markdown));
}

const textParser = unified().use(remarkParse).use(remarkGfm);

interface MdNode {
  type: string;
  value?: string;
  alt?: string | null;
  children?: MdNode[];
}

const INLINE = new Set(["paragraph", "heading", "emphasis", "strong", "delete", "link", "linkReference", "tableCell"]);

function textOf(node: MdNode): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  if (node.type === "image") return node.alt ?? "";
  if (node.type === "code" || node.type === "html") return " ";
  const parts = (node.children ?? []).map(textOf);
  return parts.join(INLINE.has(node.type) ? "" : " ");
}

/** Plain text of a markdown body, for summaries and meta descriptions. */
export function markdownToText(markdown: string, max = 300): string {
  const text = textOf(textParser.parse(markdown.slice(0, 20_000)))
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
