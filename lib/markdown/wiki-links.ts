/**
 * remark plugin: `[[Page title]]` (or `[[Page title|shown text]]`) in a campaign's text links to that page of the
 * campaign's wiki, written or not yet (a page not written yet invites a member to write it). Outside a campaign, and
 * inside links and code, the brackets stay as written.
 */
import { findWikiLinks, wikiPath } from "@/lib/wiki/model";
import { replaceText, type MdNode } from "./tree";

export const WIKI_LINK_CLASS = "wiki-link";

export function remarkWikiLinks(options: { campaign?: string } = {}) {
  return (tree: MdNode): void => {
    if (options.campaign) {
      const campaign = options.campaign;
      replaceText(tree, (text) => split(text, campaign));
    }
  };
}

function split(text: string, campaign: string): MdNode[] | null {
  const links = findWikiLinks(text);
  if (!links.length) return null;
  const nodes: MdNode[] = [];
  let last = 0;
  for (const link of links) {
    if (link.index > last) nodes.push({ type: "text", value: text.slice(last, link.index) });
    nodes.push({
      type: "link",
      url: wikiPath(campaign, link.slug),
      title: null,
      data: { hProperties: { className: [WIKI_LINK_CLASS] } },
      children: [{ type: "text", value: link.text }],
    });
    last = link.index + link.length;
  }
  if (last < text.length) nodes.push({ type: "text", value: text.slice(last) });
  return nodes;
}
