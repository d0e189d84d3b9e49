/**
 * The vocabulary of following and taking part: what can be commented on, what a notification can be about, how it
 * is delivered, and the states of subscriptions and outgoing mail. The tables take their check constraints from here.
 */

export const commentTargetKinds = ["entry", "molecule", "reaction"] as const;
export type CommentTargetKind = (typeof commentTargetKinds)[number];

export const notificationKinds = ["mention", "reply", "comment", "measurement", "todo_assigned"] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** What each kind of notification is, in the words of the settings page. */
export const notificationKindLabels: Record<NotificationKind, string> = {
  mention: "Someone mentions you (@login)",
  reply: "A reply to your comment",
  comment: "A comment on your entry or molecule, or on something you watch",
  measurement: "A new measurement on a molecule you watch",
  todo_assigned: "A to-do assigned to you",
};

export const deliveryModes = ["in_app", "immediate", "daily", "weekly"] as const;
export type DeliveryMode = (typeof deliveryModes)[number];

export const watchTargetKinds = ["campaign", "molecule", "entry"] as const;
export type WatchTargetKind = (typeof watchTargetKinds)[number];

export const subscriptionStatuses = ["pending", "confirmed", "unsubscribed"] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

export const mailStatuses = ["pending", "sent", "failed"] as const;
export type MailStatus = (typeof mailStatuses)[number];
