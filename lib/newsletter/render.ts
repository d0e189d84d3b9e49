/**
 * An issue as an e-mail (HTML built with MJML, and plain text), and as the HTML of an Atom entry. Every link and
 * image is absolute (the notebook's public origin); every text is escaped, and nothing executable is written: no
 * script, no forms, no event attributes, structure pictures as PNG.
 */
import { escapeHtml } from "../feed";
import { headerText } from "../mail/headers";
import { renderMjml } from "../mail/render";
import type { NewsletterIssue, NewsletterItem } from "./model";
import { describeWindow } from "./week";

export interface RenderOptions {
  /** The notebook's public origin, e.g. https://notebook.example.org (no trailing slash). */
  origin: string;
  siteName: string;
  /** The subscriber's one-click unsubscribe page, when the message goes to a subscriber. */
  unsubscribeUrl?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Text on one line: control characters (CR and LF above all) never reach a header or a list line. */
const oneLine = (text: string) => headerText(text, 10_000);

export const newsletterPath = (slug: string, week: string) => `/campaigns/${encodeURIComponent(slug)}/newsletter/${week}`;

export function newsletterSubject(issue: NewsletterIssue): string {
  return headerText(`${issue.campaign.name}: the week of ${describeWindow(issue.week)}`, 200);
}

function absolute(origin: string, path: string): string {
  const base = new URL(origin);
  if (base.protocol !== "https:" && base.protocol !== "http:") throw new Error(`not a web origin: ${origin}`);
  return new URL(path, base).toString();
}

/** Every item in reading order, each with the heading of the group it is shown under. */
function groups(issue: NewsletterIssue): { title: string; items: NewsletterItem[]; more: number }[] {
  return [...(issue.pinned.length ? [{ title: "Highlights", items: issue.pinned, more: 0 }] : []), ...issue.sections];
}

const paragraphs = (text: string) => text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);

// ----- plain text --------------------------------------------------------------------------------------------

export function renderNewsletterText(issue: NewsletterIssue, options: RenderOptions): string {
  const archive = absolute(options.origin, newsletterPath(issue.campaign.slug, issue.week));
  const lines: string[] = [`${issue.campaign.name} — ${issue.week} (${describeWindow(issue.week)})`, ""];
  if (issue.editorial) lines.push(...paragraphs(issue.editorial).flatMap((p) => [p, ""]));
  for (const group of groups(issue)) {
    lines.push(group.title.toUpperCase(), "");
    for (const item of group.items) {
      lines.push(`* ${oneLine(item.title)}`);
      if (item.summary) lines.push(`  ${oneLine(item.summary)}`);
      lines.push(`  ${absolute(options.origin, item.path)}`, "");
    }
    if (group.more) lines.push(`  …and ${group.more} more in the archive.`, "");
  }
  if (issue.empty) lines.push("A quiet week: nothing new in the notebook.", "");
  lines.push("--", `Read it in the archive: ${archive}`);
  if (options.unsubscribeUrl) lines.push(`Unsubscribe: ${options.unsubscribeUrl}`);
  lines.push(`${options.siteName}, an open lab notebook.`);
  return lines.join("\n");
}

// ----- HTML for feeds (no layout tables) -------------------------------------------------------------------------------

/** The issue as a plain HTML fragment (the Atom entry's content). */
export function renderNewsletterFragment(issue: NewsletterIssue, origin: string): string {
  const out: string[] = [];
  if (issue.editorial) out.push(...paragraphs(issue.editorial).map((p) => `<p>${escapeHtml(p)}</p>`));
  for (const group of groups(issue)) {
    out.push(`<h2>${escapeHtml(group.title)}</h2>`, "<ul>");
    for (const item of group.items) {
      const href = escapeHtml(absolute(origin, item.path));
      const image = item.image
        ? `<br><img src="${escapeHtml(absolute(origin, item.image.path))}" alt="${escapeHtml(item.image.alt)}" width="150" height="100">`
        : "";
      out.push(`<li><a href="${href}">${escapeHtml(item.title)}</a>${image}<br>${escapeHtml(item.summary)}</li>`);
    }
    out.push("</ul>");
    if (group.more) out.push(`<p>…and ${group.more} more.</p>`);
  }
  if (issue.empty) out.push("<p>A quiet week: nothing new in the notebook.</p>");
  return out.join("\n");
}

// ----- the e-mail ------------------------------------------------------------------------------------------------

const COLORS = { text: "#1f2328", muted: "#59636e", link: "#0b57d0", rule: "#d1d9e0", band: "#f6f8fa" };

function itemMjml(item: NewsletterItem, origin: string): string {
  const href = escapeHtml(absolute(origin, item.path));
  const text =
    `<mj-text padding="4px 0"><a href="${href}" style="color:${COLORS.link};font-weight:600;text-decoration:none">${escapeHtml(item.title)}</a>` +
    (item.summary ? `<br><span style="color:${COLORS.muted}">${escapeHtml(item.summary)}</span>` : "") +
    "</mj-text>";
  if (!item.image) return `<mj-section padding="4px 16px"><mj-column>${text}</mj-column></mj-section>`;
  const src = escapeHtml(absolute(origin, item.image.path));
  return (
    `<mj-section padding="4px 16px"><mj-group>` +
    `<mj-column width="34%" vertical-align="middle"><mj-image src="${src}" alt="${escapeHtml(item.image.alt)}" href="${href}" width="150px" height="100px" padding="4px 8px 4px 0" /></mj-column>` +
    `<mj-column width="66%" vertical-align="middle">${text}</mj-column>` +
    `</mj-group></mj-section>`
  );
}

export function newsletterMjml(issue: NewsletterIssue, options: RenderOptions): string {
  const archive = escapeHtml(absolute(options.origin, newsletterPath(issue.campaign.slug, issue.week)));
  const body: string[] = [
    `<mj-section background-color="${COLORS.band}" padding="16px"><mj-column>` +
      `<mj-text font-size="20px" font-weight="700" padding="0">${escapeHtml(issue.campaign.name)}</mj-text>` +
      `<mj-text color="${COLORS.muted}" padding="4px 0 0">Week ${escapeHtml(issue.week)} · ${escapeHtml(describeWindow(issue.week))} · <a href="${archive}" style="color:${COLORS.link}">read in the notebook</a></mj-text>` +
      `</mj-column></mj-section>`,
  ];
  if (issue.editorial) {
    body.push(
      `<mj-section padding="8px 16px"><mj-column>${paragraphs(issue.editorial)
        .map((p) => `<mj-text padding="6px 0">${escapeHtml(p).replace(/\n/g, "<br>")}</mj-text>`)
        .join("")}</mj-column></mj-section>`,
    );
  }
  for (const group of groups(issue)) {
    body.push(
      `<mj-section padding="12px 16px 0"><mj-column><mj-divider border-width="1px" border-color="${COLORS.rule}" padding="0 0 8px" />` +
        `<mj-text font-size="16px" font-weight="700" padding="0">${escapeHtml(group.title)}</mj-text></mj-column></mj-section>`,
      ...group.items.map((item) => itemMjml(item, options.origin)),
    );
    if (group.more) {
      body.push(`<mj-section padding="0 16px"><mj-column><mj-text color="${COLORS.muted}">…and ${group.more} more in <a href="${archive}" style="color:${COLORS.link}">the archive</a>.</mj-text></mj-column></mj-section>`);
    }
  }
  if (issue.empty) body.push(`<mj-section padding="8px 16px"><mj-column><mj-text>A quiet week: nothing new in the notebook.</mj-text></mj-column></mj-section>`);
  const unsubscribe = options.unsubscribeUrl
    ? ` · <a href="${escapeHtml(options.unsubscribeUrl)}" style="color:${COLORS.muted}">Unsubscribe</a>`
    : "";
  body.push(
    `<mj-section padding="16px"><mj-column><mj-divider border-width="1px" border-color="${COLORS.rule}" padding="0 0 8px" />` +
      `<mj-text font-size="12px" color="${COLORS.muted}" padding="0">You get this because you subscribed to the newsletter of ${escapeHtml(issue.campaign.name)} in ${escapeHtml(options.siteName)}, an open lab notebook.${unsubscribe}</mj-text>` +
      `</mj-column></mj-section>`,
  );
  const preview = issue.editorial ? paragraphs(issue.editorial)[0]!.slice(0, 140) : `${groups(issue).map((g) => `${g.items.length} ${g.title.toLowerCase()}`).join(", ")}`;
  return (
    `<mjml lang="en"><mj-head><mj-title>${escapeHtml(newsletterSubject(issue))}</mj-title><mj-preview>${escapeHtml(oneLine(preview))}</mj-preview>` +
    `<mj-attributes><mj-all font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" /><mj-text font-size="14px" line-height="1.45" color="${COLORS.text}" /></mj-attributes></mj-head>` +
    `<mj-body width="640px">${body.join("")}</mj-body></mjml>`
  );
}

export async function renderNewsletterEmail(issue: NewsletterIssue, options: RenderOptions): Promise<RenderedEmail> {
  return { subject: newsletterSubject(issue), html: await renderMjml(newsletterMjml(issue, options)), text: renderNewsletterText(issue, options) };
}
