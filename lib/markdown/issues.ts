/**
 * remark plugin: `#42` in a campaign's text links to issue 42 of the campaign's GitHub repository, through the
 * notebook (`/campaigns/<slug>/todos/issue/42`, which opens the to-do when it is synced and GitHub otherwise).
 * Only whole references are linked: not `&#42;`, `a#42`, `path/#42` or anything inside links and code.
 */
import { replaceText, type MdNode } from "./tree";

export const ISSUE_CLASS = "issue-ref";

const REFERENCE = /(^|[^\w&/#])#([1-9][0-9]{0,8})(?![\w-])/g;

export function issuePath(campaign: string, number: number): string {
  return `/campaigns/${campaign}/todos/issue/${number}`;
}

export function remarkIssueLinks(options: { campaign?: string } = {}) {
  return (tree: MdNode): void => {
    if (options.campaign) {
      const campaign = options.campaign;
      replaceText(tree, (text) => split(text, campaign));
    }
  };
}

function split(text: string, campaign: string): MdNode[] | null {
  const nodes: MdNode[] = [];
  let last = 0;
  for (const match of text.matchAll(REFERENCE)) {
    const start = match.index + match[1]!.length;
    const number = Number(match[2]);
    if (start > last) nodes.push({ type: "text", value: text.slice(last, start) });
    nodes.push({
      type: "link",
      url: issuePath(campaign, number),
      title: null,
      data: { hProperties: { className: [ISSUE_CLASS] } },
      children: [{ type: "text", value: `#${number}` }],
    });
    last = start + 1 + match[2]!.length;
  }
  if (!nodes.length) return null;
  if (last < text.length) nodes.push({ type: "text", value: text.slice(last) });
  return nodes;
}
