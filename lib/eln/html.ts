import rehypeParse from "rehype-parse";
import rehypeRemark from "rehype-remark";
import remarkGfm from "remark-gfm";
import remarkStringify from "remark-stringify";
import { unified } from "unified";
import { ELN_LIMITS } from "./model";

/**
 * Other notebooks write an experiment's text as HTML (eLabFTW, AI4Green); entries here are markdown, and their
 * renderer drops raw HTML. So the HTML is converted: headings, lists, emphasis, links, images and tables (GFM) become
 * markdown; styles, scripts and form controls are dropped. Runs in the sandbox worker (lib/eln/read.ts), on text
 * capped at ELN_LIMITS.htmlChars. The result is rendered by the notebook's sanitizing markdown pipeline like any
 * entry.
 */
export function markdownFromHtml(html: string): { markdown: string; truncated: boolean } {
  const truncated = html.length > ELN_LIMITS.htmlChars;
  const text = truncated ? html.slice(0, ELN_LIMITS.htmlChars) : html;
  const file = unified()
    .use(rehypeParse, { fragment: true })
    .use(rehypeRemark)
    .use(remarkGfm)
    .use(remarkStringify, { bullet: "-", emphasis: "*", rule: "-" })
    .processSync(text);
  return {
    markdown: String(file)
      .replace(/\u00a0/g, " ")
      .replace(/\n{3,}/g, "\n\n")
      .trim(),
    truncated,
  };
}

/** Text that is HTML rather than markdown or plain text: it starts with a tag, or holds block-level tags. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*<[a-zA-Z!]/.test(text) || /<\/(p|div|h[1-6]|table|ul|ol|li|span|br)>/i.test(text);
}
