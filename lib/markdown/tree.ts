/** The part of a markdown (mdast) node the notebook's remark plugins read and build. */
export interface MdNode {
  type: string;
  value?: string;
  url?: string;
  title?: string | null;
  children?: MdNode[];
  data?: { hProperties?: Record<string, unknown> };
}

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
