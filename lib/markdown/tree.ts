/** The part of a markdown (mdast) node the notebook's remark plugins read and build. */
export interface MdNode {
  type: string;
  value?: string;
  url?: string;
  title?: string | null;
  /** A fenced code block's language (the word after the fence). */
  lang?: string | null;
  children?: MdNode[];
  data?: {
    /** What remark-rehype makes of the node: another element name, its properties, or its HTML children outright. */
    hName?: string;
    hProperties?: Record<string, unknown>;
    hChildren?: HtmlNode[];
  };
}

/** The part of an HTML (hast) node the notebook's remark plugins build. */
export type HtmlNode =
  { type: "element"; tagName: string; properties: Record<string, unknown>; children: HtmlNode[] } | { type: "text"; value: string };

/** Subtrees whose text must stay as written: links (no link inside a link), code, raw HTML, images. */
export const LEAVE_ALONE: ReadonlySet<string> = new Set([
  "link",
  "linkReference",
  "definition",
  "image",
  "imageReference",
  "inlineCode",
  "code",
  "html",
]);

/**
 * Replaces text nodes with what `split` makes of them (links cut out of the text), everywhere but inside the
 * subtrees of LEAVE_ALONE; a text `split` answers null for stays as it is.
 */
export function replaceText(node: MdNode, split: (text: string) => MdNode[] | null): void {
  const children = node.children;
  if (!children) return;
  const out: MdNode[] = [];
  let changed = false;
  for (const child of children) {
    if (child.type === "text" && child.value) {
      const parts = split(child.value);
      if (parts) {
        out.push(...parts);
        changed = true;
        continue;
      }
    }
    if (!LEAVE_ALONE.has(child.type)) replaceText(child, split);
    out.push(child);
  }
  if (changed) node.children = out;
}
