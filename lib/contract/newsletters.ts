import { z } from "zod";
import { AppError } from "../errors";
import { EDIT_KEYS_MAX, EDITORIAL_MAX } from "../newsletter/issue";
import { itemKinds, sections } from "../newsletter/model";
import { WEEK_FORMAT_HINT, weekProblem } from "../newsletter/week";
import { isoDateTime, url } from "./common";
import type { PathParam } from "./route";

// The weekly newsletter: the week in paths, what maintainers change, and the answers.

/**
 * `{week}` in a path, `2026-W49`. A string that is not a week is a 422 naming the parameter (unlike a record id, it is
 * not a record that may or may not exist: its form is wrong).
 */
export const weekParam: PathParam<string> = {
  schema: z.string().regex(/^\d{4}-W\d{2}$/),
  description: "an ISO 8601 week in UTC, e.g. 2026-W49 (Monday 30 Nov to Sunday 6 Dec 2026)",
  parse: (raw) => {
    const problem = weekProblem(raw);
    if (problem !== null) throw new AppError("validation_failed", `week: ${problem}`, { fields: { week: problem } });
    return raw;
  },
};

/** A week in a form field or query: the same rule as in paths. */
export const week = z.string({ error: WEEK_FORMAT_HINT }).superRefine((value, ctx) => {
  const problem = weekProblem(value);
  if (problem !== null) ctx.addIssue({ code: "custom", message: problem });
});

const itemKey = z.string().trim().min(1, "must name an item").max(300, "must be at most 300 characters");

/** What a maintainer changes before the newsletter goes out (every member optional: left out, unchanged). */
export const editNewsletterInput = z.strictObject({
  editorial: z
    .string()
    .max(EDITORIAL_MAX, `must be at most ${EDITORIAL_MAX} characters`)
    .nullable()
    .optional()
    .meta({ description: "a paragraph (or a few, separated by a blank line) shown above the items; plain text" }),
  sendAt: isoDateTime.nullable().optional().meta({ description: "when it goes out by itself (null: only when sent by hand)" }),
  pinned: z.array(itemKey).max(EDIT_KEYS_MAX, `must hold at most ${EDIT_KEYS_MAX} keys`).optional().meta({ description: "item keys shown first" }),
  dropped: z.array(itemKey).max(EDIT_KEYS_MAX, `must hold at most ${EDIT_KEYS_MAX} keys`).optional().meta({ description: "item keys left out" }),
});
export type EditNewsletterInput = z.infer<typeof editNewsletterInput>;

export const NewsletterItem = z
  .object({
    key: z.string().meta({ description: "stable across drafts of the week: what pins and drops name" }),
    kind: z.enum(itemKinds),
    title: z.string(),
    summary: z.string(),
    path: z.string(),
    url,
    image: z.object({ url, alt: z.string() }).nullable().meta({ description: "a structure picture (PNG)" }),
    at: isoDateTime,
  })
  .meta({ id: "NewsletterItem" });

const status = z.enum(["draft", "sent"]).meta({ description: "sent: published in the archive and the Atom feed (and mailed when e-mail is on)" });

export const NewsletterSummary = z
  .object({
    week: z.string(),
    windowStart: isoDateTime,
    windowEnd: isoDateTime,
    status,
    sendAt: isoDateTime.nullable(),
    sentAt: isoDateTime.nullable(),
    items: z.int().meta({ description: "items a reader sees" }),
    url,
    apiUrl: url,
  })
  .meta({ id: "NewsletterSummary" });

export const NewsletterList = z.object({ newsletters: z.array(NewsletterSummary) });

export const Newsletter = NewsletterSummary.extend({
  campaign: z.object({ slug: z.string(), name: z.string() }),
  editorial: z.string().nullable(),
  pinned: z.array(NewsletterItem).meta({ description: "pinned items, first" }),
  sections: z.array(
    z.object({
      id: z.enum(sections.map((s) => s.id) as [string, ...string[]]),
      title: z.string(),
      items: z.array(NewsletterItem),
      more: z.int().meta({ description: "items past the section's limit, left out" }),
    }),
  ),
  deliveries: z.int().meta({ description: "subscribers it has been queued for" }),
  mail: z.enum(["on", "off"]).meta({ description: "off: no SMTP server is configured; newsletters are drafted and archived, not mailed" }),
}).meta({ id: "Newsletter" });

export const SendResult = z
  .object({
    week: z.string(),
    sentAt: isoDateTime,
    mail: z.enum(["on", "off"]),
    queued: z.int().meta({ description: "messages queued now (one per confirmed subscriber who had not had it)" }),
    alreadyDelivered: z.int().meta({ description: "confirmed subscribers who had it before" }),
    url,
  })
  .meta({ id: "NewsletterSendResult" });
