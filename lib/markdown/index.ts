import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from "rehype-sanitize";
import rehypeStringify from "rehype-stringify";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import { LRUCache } from "lru-cache";
import { ISSUE_CLASS, remarkIssueLinks } from "./issues";
import { MENTION_CLASS, remarkMentions } from "./mentions";
import { rehypeStructureGuard, remarkStructures, STRUCTURE_FIGURE_CLASS } from "./structures";
import { remarkWikiLinks, WIKI_LINK_CLASS } from "./wiki-links";

/**
 * GitHub's sanitizing rules (no script, no event handlers, no javascript: URLs, no SVG or iframes),
 * plus the bits of GFM a lab notebook needs. Raw HTML in an entry is dropped, never passed through.
 */
export const sanitizeSchema: SanitizeSchema = {
  ...defaultSchema,
  // Structure figures (./structures.ts). Raw HTML never reaches the sanitizer, so only that plugin makes them.
  tagNames: [...(defaultSchema.tagNames ?? []), "figure", "figcaption"],
  attributes: {
    ...defaultSchema.attributes,
    code: [...(defaultSchema.attributes?.code ?? []), ["className", /^language-[\w-]+$/]],
    // Mention links (./mentions.ts): one more allowed class beside GitHub's footnote class, and the ID itself.
    a: [
      ...(defaultSchema.attributes?.a ?? []).filter((a) => !(Array.isArray(a) && a[0] === "className")),
      ["className", "data-footnote-backref", MENTION_CLASS, ISSUE_CLASS, WIKI_LINK_CLASS],
      ["dataMention", /^[A-Z][A-Z0-9]{0,11}-[A-Z]-[1-9][0-9]{0,8}$/],
    ],
    figure: [["className", STRUCTURE_FIGURE_CLASS]],
    img: [...(defaultSchema.attributes?.img ?? []), ["loading", "lazy"]],
  },
};

const makeProcessor = (campaign?: string) =>
  unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkMentions)
    .use(remarkStructures) // after the mentions: an ID alone in a paragraph is a mention link by then
    .use(remarkIssueLinks, { campaign }) // `#42` links to the campaign's issue 42 (only with a campaign)
    .use(remarkWikiLinks, { campaign }) // `[[Page title]]` links to the campaign's wiki page (only with a campaign)
    .use(remarkRehype) // allowDangerousHtml is off: raw HTML nodes never reach the output
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeStructureGuard)
    .use(rehypeStringify);
const processor = makeProcessor();
const campaignProcessors = new LRUCache<string, ReturnType<typeof makeProcessor>>({ max: 200 });

// Rendering is a pure function of the text, and the same texts are shown again and again (feeds,
// entry pages), so recent results are kept; this cache is never a source of truth.
// (+1: lru-cache refuses a size of 0, which the empty text of a new entry's preview would have.)
const rendered = new LRUCache<string, string>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (html, md) => html.length + md.length + 1 });
const texts = new LRUCache<string, string>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (text, md) => text.length + md.length + 1 });

/** Markdown to sanitized HTML: the one renderer behind entry pages, the editor preview and the feeds. */
export function renderMarkdown(markdown: string, options: { campaign?: string } = {}): string {
  const { campaign } = options;
  const key = campaign ? `${campaign}\u0000${markdown}` : markdown;
  let html = rendered.get(key);
  if (html === undefined) {
    let run = processor;
    if (campaign) {
      run = campaignProcessors.get(campaign) ?? makeProcessor(campaign);
      campaignProcessors.set(campaign, run);
    }
    html = String(run.processSync(markdown));
    rendered.set(key, html);
  }
  return html;
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
  const source = markdown.slice(0, 20_000);
  let text = texts.get(source);
  if (text === undefined) {
    text = textOf(textParser.parse(source)).replace(/\s+/g, " ").trim();
    texts.set(source, text);
  }
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

/**
 * Links of user-generated content a campaign does not vouch for yet (a first-time commenter's): `rel="nofollow ugc"`
 * on every link of already sanitized HTML, so that spam earns no search ranking.
 */
export function withUgcLinks(html: string): string {
  return html.replace(/<a (?![^>]*\brel=)/g, '<a rel="nofollow ugc" ');
}
