import type { Metadata } from "next";
import { confirmSubscriptionAction } from "@/app/subscriptions/actions";
import { LinkCard, tokenParam } from "@/components/mail-link-card";
import { getDb } from "@/db/index";
import { checkConfirmLink } from "@/db/queries/subscriptions";
import { CONFIRM_LINK_HOURS } from "@/lib/mail/tokens";

export const metadata: Metadata = { title: "Confirm your subscription", robots: { index: false } };

type Props = { searchParams: Promise<{ token?: string | string[]; done?: string }> };

/** The link of a confirmation mail. Opening it only shows a button: a link scanner's visit confirms nothing. */
export default async function ConfirmSubscriptionPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = tokenParam(params.token);
  const { state, campaign } = await checkConfirmLink(await getDb(), token);
  switch (state) {
    case "valid":
      return (
        <LinkCard title="Confirm your subscription" campaign={campaign}>
          <p>
            Get the newsletter of <strong>{campaign?.name}</strong> at this address: what happened in the campaign, once a week. Every message has a
            one-click unsubscribe link.
          </p>
          <form action={confirmSubscriptionAction}>
            <input type="hidden" name="token" value={token} />
            <button type="submit" className="primary">
              Confirm subscription
            </button>
          </form>
        </LinkCard>
      );
    case "done":
      return (
        <LinkCard title="You are subscribed" campaign={campaign}>
          <p>
            {params.done ? "Thank you: the" : "This link was used already: the"} newsletter of <strong>{campaign?.name}</strong> will come to this address.
          </p>
        </LinkCard>
      );
    case "expired":
      return (
        <LinkCard title="This link has expired" campaign={campaign}>
          <p>Confirmation links work for {CONFIRM_LINK_HOURS} hours. Ask for the newsletter again on the campaign page and use the new link.</p>
        </LinkCard>
      );
    case "invalid":
      return (
        <LinkCard title="This link is not valid" campaign={null}>
          <p>It may have been mistyped, replaced by a newer confirmation link, or the subscription has ended. Nothing was changed.</p>
        </LinkCard>
      );
  }
}
