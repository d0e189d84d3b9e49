import { z } from "zod";
import { commentTargetKinds } from "./model";

/** Comments: request bodies and limits, one schema for the API and the page's form. */

export const COMMENT_MAX = 10_000;
export const HIDE_REASON_MAX = 300;

export const commentBody = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty")
  .max(COMMENT_MAX, `must be at most ${COMMENT_MAX.toLocaleString("en")} characters`)
  .superRefine((b, ctx) => {
    const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(b);
    if (bad) {
      const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
      ctx.addIssue({ code: "custom", message: `contains the control character U+${code} at position ${bad.index + 1}` });
    }
  });

export const commentTarget = z
  .strictObject({
    kind: z.enum(commentTargetKinds, { error: `must be one of ${commentTargetKinds.join(", ")}` }),
    id: z
      .union([z.number().int().positive(), z.string().trim().min(1).max(100)], {
        error: "must be an entry id, a molecule ID, or entry/reaction for a reaction",
      })
      .meta({ description: "entry: its id; molecule: its campaign ID (OSM-S-123); reaction: `<entry id>/<reaction id>` (12/r1)" }),
  })
  .meta({ id: "CommentTarget" });
export type CommentTargetInput = z.infer<typeof commentTarget>;

export const createCommentInput = z.strictObject({
  target: commentTarget,
  body: commentBody,
  replyTo: z.number({ error: "must be a comment id" }).int().positive().optional().meta({ description: "the comment this one answers" }),
  question: z.boolean({ error: "must be true or false" }).default(false).meta({ description: "a question, to be marked answered later" }),
});
export type CreateCommentInput = z.infer<typeof createCommentInput>;

export const editCommentInput = z.strictObject({ body: commentBody });
export const hideCommentInput = z.strictObject({
  reason: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "is required: say why the comment is hidden")
    .max(HIDE_REASON_MAX, `must be at most ${HIDE_REASON_MAX} characters`)
    .refine((t) => !/[\u0000-\u001f]/.test(t), "must be one line of text"),
});

/** `?target=entry:12`, `molecule:OSM-S-1`, `reaction:12/r1` in a list's query string. */
export const commentTargetParam = z
  .string({ error: "is required, e.g. entry:12, molecule:OSM-S-1 or reaction:12/r1" })
  .regex(/^(entry|molecule|reaction):[^\s:]{1,100}$/, "must be entry:<id>, molecule:<ID> or reaction:<entry id>/<reaction id>")
  .transform((value) => {
    const [kind, id] = value.split(/:(.*)/s) as [CommentTargetInput["kind"], string];
    return { kind, id: kind === "entry" && /^\d+$/.test(id) ? Number(id) : id };
  });

export const listCommentsQuery = z.object({ target: commentTargetParam });
export const listNotificationsQuery = z.object({
  unread: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
});
export const markReadInput = z.strictObject({
  ids: z.array(z.number().int().positive()).max(500, "at most 500 ids").optional().meta({ description: "left out: all of yours" }),
});
