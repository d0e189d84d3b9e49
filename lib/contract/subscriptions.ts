import { z } from "zod";
import { deliveryModes, notificationKinds } from "../discussion/model";
import { isMailAddress } from "../mail/headers";

// E-mail: newsletter subscriptions without an account (API), a person's address for notifications and how each kind
// of notification reaches them (settings forms). An address is one plain address on one line: a CR or LF (a header
// smuggled in) is refused here, before anything else sees it.

const mailAddress = z
  .string({ error: "is required" })
  .trim()
  .min(1, "must not be empty")
  .max(254, "must be at most 254 characters")
  .refine(isMailAddress, "must be one e-mail address (like name@example.org)");

export const subscribeInput = z.strictObject({ email: mailAddress });
export type SubscribeInput = z.infer<typeof subscribeInput>;

/** The token of a link sent by mail (confirm, unsubscribe). Its shape is checked by the use case: a bad one is a 404. */
export const mailLinkQuery = z.object({ token: z.string({ error: "is required" }).max(200, "is not a link of this notebook") });

export const SubscriptionAccepted = z
  .object({
    status: z.literal("accepted"),
    message: z.string(),
  })
  .meta({ id: "SubscriptionAccepted", description: "The same answer whether or not the address is known or subscribed already." });

export const SubscriptionChange = z
  .object({
    status: z.enum(["confirmed", "already_confirmed", "unsubscribed", "already_unsubscribed"]),
    campaign: z.string(),
  })
  .meta({ id: "SubscriptionChange" });

export const notificationEmailInput = z.strictObject({ email: mailAddress });
export type NotificationEmailInput = z.infer<typeof notificationEmailInput>;

/** One delivery mode per kind of notification; kinds left out keep what they had. */
export const notificationPreferencesInput = z.partialRecord(z.enum(notificationKinds), z.enum(deliveryModes, { error: "must be in_app, immediate, daily or weekly" }));
export type NotificationPreferencesInput = z.infer<typeof notificationPreferencesInput>;
