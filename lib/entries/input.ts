import { z } from "zod";

export const TITLE_MAX = 200;
export const BODY_MAX = 500_000;
export const MESSAGE_MAX = 500;

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day as YYYY-MM-DD that exists and is not in the future (one day of slack for time zones). */
export const workDate = z
  .string({ error: "must be a date as YYYY-MM-DD" })
  .regex(isoDay, "must be a date as YYYY-MM-DD")
  .refine((value) => {
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  }, "is not a real calendar date")
  .refine((value) => value >= "1900-01-01", "is too far in the past")
  .refine((value) => value <= dayOffset(1), "is in the future: the date of work cannot be later than today");

export function today(): string {
  return dayOffset(0);
}

function dayOffset(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export const title = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`)
  .refine((t) => !/[\u0000-\u001f]/.test(t), "must be one line of text");

export const body = z
  .string({ error: "must be a string" })
  .max(BODY_MAX, `must be at most ${BODY_MAX.toLocaleString("en")} characters`)
  .superRefine((b, ctx) => {
    // XML 1.0 (and so the Atom feed) cannot carry these; they are never meant in a lab note.
    const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(b);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      ctx.addIssue({ code: "custom", message: `contains the control character U+${code} at position ${bad.index + 1}; remove it (it often comes from pasting instrument output)` });
    }
  });

export const message = z
  .string({ error: "must be a string" })
  .trim()
  .refine((m) => !/[\u0000-\u001f]/.test(m), "must be one line of text")
  .max(MESSAGE_MAX, `must be at most ${MESSAGE_MAX} characters`)
  .optional();
