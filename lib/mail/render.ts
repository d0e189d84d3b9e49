import mjml2html from "mjml";

// Messages as HTML (MJML, which writes the table layout mail clients need) and as plain text, both from one
// description, so the two parts always say the same. Every text that goes into the MJML is escaped here, and links
// are web URLs only: nothing a person wrote can add markup, a script or an `mj-include` (which MJML would read from
// disk; includes are off as well).

export interface MailLink {
  label: string;
  url: string;
}

export type MailBlock =
  | { kind: "paragraph"; text: string }
  /** A notification or a digest line: a title that links, with an optional line under it. */
  | { kind: "item"; title: string; url: string; summary?: string | null; meta?: string | null }
  | { kind: "button"; label: string; url: string };

export interface MailLayout {
  /** The line mail clients show after the subject. */
  preheader?: string;
  heading: string;
  blocks: MailBlock[];
  /** Small print: why this came, how to stop it. Links as [label](url) are not parsed: give them as `links`. */
  footer: string[];
  footerLinks?: MailLink[];
}

export interface RenderedMail {
  html: string;
  text: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text for HTML (and MJML) content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A link target: http(s) only (no `javascript:`, no `data:`), as a full URL. */
export function webUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error(`Only web links go into mail, not ${parsed.protocol}`);
  return parsed.href;
}

/** MJML to HTML with the safe options: strict validation, no includes from disk, no web fonts. */
export async function renderMjml(source: string): Promise<string> {
  const result = await mjml2html(source, { validationLevel: "strict", ignoreIncludes: true, fonts: {}, keepComments: false });
  return result.html;
}

const FONT = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

function blockMjml(block: MailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return `<mj-text>${escapeHtml(block.text)}</mj-text>`;
    case "item": {
      const lines = [`<a href="${escapeHtml(webUrl(block.url))}" style="color:#1f5fa8;font-weight:600">${escapeHtml(block.title)}</a>`];
      if (block.summary) lines.push(`<br/>${escapeHtml(block.summary)}`);
      if (block.meta) lines.push(`<br/><span style="color:#6b7280;font-size:12px">${escapeHtml(block.meta)}</span>`);
      return `<mj-text padding-bottom="8px">${lines.join("")}</mj-text>`;
    }
    case "button":
      return `<mj-button href="${escapeHtml(webUrl(block.url))}" background-color="#1f5fa8" color="#ffffff" align="left">${escapeHtml(block.label)}</mj-button>`;
  }
}

function blockText(block: MailBlock): string {
  switch (block.kind) {
    case "paragraph":
      return block.text;
    case "item":
      return [`* ${block.title}`, block.summary ? `  ${block.summary}` : null, block.meta ? `  ${block.meta}` : null, `  ${webUrl(block.url)}`]
        .filter((l) => l !== null)
        .join("\n");
    case "button":
      return `${block.label}:\n${webUrl(block.url)}`;
  }
}

/** The HTML and the plain-text part of a message. */
export async function renderMail(layout: MailLayout): Promise<RenderedMail> {
  const footerLinks = (layout.footerLinks ?? []).map((l) => `<a href="${escapeHtml(webUrl(l.url))}" style="color:#6b7280">${escapeHtml(l.label)}</a>`);
  const source = [
    "<mjml>",
    "<mj-head>",
    `<mj-title>${escapeHtml(layout.heading)}</mj-title>`,
    layout.preheader ? `<mj-preview>${escapeHtml(layout.preheader)}</mj-preview>` : "",
    `<mj-attributes><mj-all font-family="${escapeHtml(FONT)}"/><mj-text font-size="15px" line-height="1.5" color="#111827"/></mj-attributes>`,
    "</mj-head>",
    '<mj-body background-color="#f3f4f6">',
    '<mj-section background-color="#ffffff" padding="24px 16px"><mj-column>',
    `<mj-text font-size="20px" font-weight="600">${escapeHtml(layout.heading)}</mj-text>`,
    ...layout.blocks.map(blockMjml),
    "</mj-column></mj-section>",
    '<mj-section padding="12px 16px"><mj-column>',
    ...layout.footer.map((line) => `<mj-text font-size="12px" color="#6b7280" padding="2px 25px">${escapeHtml(line)}</mj-text>`),
    footerLinks.length ? `<mj-text font-size="12px" color="#6b7280" padding="2px 25px">${footerLinks.join(" · ")}</mj-text>` : "",
    "</mj-column></mj-section>",
    "</mj-body>",
    "</mjml>",
  ].join("\n");
  const text = [
    layout.heading,
    "",
    ...layout.blocks.map((b) => `${blockText(b)}\n`),
    "-- ",
    ...layout.footer,
    ...(layout.footerLinks ?? []).map((l) => `${l.label}: ${webUrl(l.url)}`),
    "",
  ].join("\n");
  return { html: await renderMjml(source), text };
}
