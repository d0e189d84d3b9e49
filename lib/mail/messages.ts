import { headerText } from "./headers";
import { renderMail, type MailBlock } from "./render";
import { CONFIRM_LINK_HOURS } from "./tokens";

// The messages the notebook sends besides the newsletter (lib/newsletter): confirming a newsletter subscription and an
// address for notifications, the welcome of a new subscriber, a notification at once, and the daily or weekly digest.
// Each is a subject, an HTML part and a plain-text part; names and titles from people are flattened into one-line subjects.

export interface MailContent {
  subject: string;
  html: string;
  text: string;
}

export async function subscriptionConfirmMail(input: { siteName: string; campaignName: string; confirmUrl: string; campaignUrl: string }): Promise<MailContent> {
  const campaign = headerText(input.campaignName, 100);
  const rendered = await renderMail({
    preheader: `Confirm that you want the newsletter of ${campaign}.`,
    heading: `Confirm your subscription to ${campaign}`,
    blocks: [
      { kind: "paragraph", text: `Someone, hopefully you, asked for the newsletter of ${campaign} on ${input.siteName} to come to this address.` },
      { kind: "button", label: "Confirm subscription", url: input.confirmUrl },
      { kind: "paragraph", text: `The link works for ${CONFIRM_LINK_HOURS} hours. If you did not ask for this, ignore this message: nothing will be sent.` },
    ],
    footer: [`${input.siteName} · this address is used only for this newsletter and shown to no one.`],
    footerLinks: [{ label: campaign, url: input.campaignUrl }],
  });
  return { subject: headerText(`Confirm your subscription to ${campaign}`), ...rendered };
}

export async function subscriptionWelcomeMail(input: { siteName: string; campaignName: string; campaignUrl: string; unsubscribeUrl: string }): Promise<MailContent> {
  const campaign = headerText(input.campaignName, 100);
  const rendered = await renderMail({
    preheader: `You will get the newsletter of ${campaign}.`,
    heading: `You are subscribed to ${campaign}`,
    blocks: [
      { kind: "paragraph", text: `The newsletter of ${campaign} will come to this address: what happened in the campaign, once a week.` },
      { kind: "item", title: `${campaign} on ${input.siteName}`, url: input.campaignUrl },
    ],
    footer: ["Every message has an unsubscribe link; one click ends the subscription."],
    footerLinks: [{ label: "Unsubscribe", url: input.unsubscribeUrl }],
  });
  return { subject: headerText(`You are subscribed to ${campaign}`), ...rendered };
}

export async function emailConfirmMail(input: { siteName: string; login: string; confirmUrl: string; settingsUrl: string }): Promise<MailContent> {
  const rendered = await renderMail({
    preheader: "Confirm this address for your notifications.",
    heading: "Confirm your address",
    blocks: [
      { kind: "paragraph", text: `${headerText(input.login, 60)} on ${input.siteName} wants notifications sent to this address.` },
      { kind: "button", label: "Confirm address", url: input.confirmUrl },
      { kind: "paragraph", text: `The link works for ${CONFIRM_LINK_HOURS} hours. If this was not you, ignore this message: nothing will be sent here.` },
    ],
    footer: [input.siteName],
    footerLinks: [{ label: "Settings", url: input.settingsUrl }],
  });
  return { subject: headerText(`Confirm your address for ${input.siteName}`), ...rendered };
}

export interface MailedNotification {
  title: string;
  summary: string | null;
  url: string;
  createdAt: Date;
}

function notificationBlock(n: MailedNotification): MailBlock {
  return { kind: "item", title: headerText(n.title, 300), summary: n.summary ? n.summary.slice(0, 600) : null, url: n.url, meta: `${n.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC` };
}

export async function notificationMail(input: { siteName: string; notification: MailedNotification; settingsUrl: string }): Promise<MailContent> {
  const rendered = await renderMail({
    preheader: input.notification.summary ?? input.notification.title,
    heading: headerText(input.notification.title, 300),
    blocks: [notificationBlock(input.notification)],
    footer: [`You get this at once because of your notification settings on ${input.siteName}.`],
    footerLinks: [{ label: "Change or stop these e-mails", url: input.settingsUrl }],
  });
  return { subject: headerText(input.notification.title), ...rendered };
}

export async function digestMail(input: {
  siteName: string;
  cadence: "daily" | "weekly";
  period: string;
  notifications: MailedNotification[];
  settingsUrl: string;
}): Promise<MailContent> {
  const count = input.notifications.length;
  const what = `${count} notification${count === 1 ? "" : "s"}`;
  const heading = `Your ${input.cadence} digest (${input.period}): ${what}`;
  const rendered = await renderMail({
    preheader: input.notifications[0]?.title ?? heading,
    heading,
    blocks: input.notifications.map(notificationBlock),
    footer: [`You get a ${input.cadence} digest because of your notification settings on ${input.siteName}.`],
    footerLinks: [{ label: "Change or stop these e-mails", url: input.settingsUrl }],
  });
  return { subject: headerText(`${input.siteName}: ${heading}`), ...rendered };
}
