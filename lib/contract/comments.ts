import { z } from "zod";
import { commentTargetKinds, notificationKinds } from "../discussion/model";
import { isoDateTime, url } from "./common";

// Comments and notifications: request bodies (lib/discussion/input.ts) and answers.
export {
  createCommentInput,
  editCommentInput,
  hideCommentInput,
  listCommentsQuery,
  listNotificationsQuery,
  markReadInput,
  type CommentTargetInput,
  type CreateCommentInput,
} from "../discussion/input";

export const Comment = z
  .object({
    id: z.int(),
    target: z.object({ kind: z.enum(commentTargetKinds), id: z.union([z.int(), z.string()]) }),
    author: z.string(),
    body: z.string().meta({ description: "markdown" }),
    replyTo: z.int().nullable(),
    question: z.boolean(),
    answered: z.boolean(),
    hidden: z
      .object({ reason: z.string(), by: z.string().nullable(), at: isoDateTime })
      .nullable()
      .meta({ description: "hidden by a maintainer (the comment stays in the record)" }),
    versions: z
      .array(z.object({ number: z.int(), body: z.string(), createdAt: isoDateTime }))
      .meta({ description: "every text it has had, oldest first" }),
    ugc: z.boolean().meta({ description: 'its links are rel="nofollow ugc" (a commenter the campaign does not know yet)' }),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    url,
  })
  .meta({ id: "Comment" });
export type CommentBody = z.input<typeof Comment>;

export const CommentList = z.object({ comments: z.array(Comment) });

export const Notification = z
  .object({
    id: z.int(),
    kind: z.enum(notificationKinds),
    title: z.string(),
    summary: z.string().nullable(),
    actor: z.string().nullable(),
    read: z.boolean(),
    createdAt: isoDateTime,
    url,
  })
  .meta({ id: "Notification" });
export type NotificationBody = z.input<typeof Notification>;

export const NotificationList = z.object({ notifications: z.array(Notification), unread: z.int() });
