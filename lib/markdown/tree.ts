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
