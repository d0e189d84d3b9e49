import type { Metadata } from "next";
import { unsubscribeAction } from "@/app/subscriptions/actions";
import { LinkCard, tokenParam } from "@/components/mail-link-card";
import { getDb } from "@/db/index";
import { checkUnsubscribeLink } from "@/db/queries/subscriptions";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false } };

type Props = { searchParams: Promise<{ token?: string | string[]; done?: string }> };

/** The unsubscribe link of a newsletter opened in a browser: one button, no sign-in. */
export default async function UnsubscribePage({ searchParams }: Props) {
  const params = await searchParams;
  const token = tokenParam(params.token);
  const { state, campaign } = await checkUnsubscribeLink(await getDb(), token);
  if (state === "valid") {
    return (
      <LinkCard title="Unsubscribe" campaign={campaign}>
        <p>
          Stop the newsletter of <strong>{campaign?.name}</strong> at this address?
        </p>
        <form action={unsubscribeAction}>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="danger">
            Unsubscribe
          </button>
        </form>
      </LinkCard>
    );
  }
  if (state === "done") {
    return (
      <LinkCard title="You are unsubscribed" campaign={campaign}>
        <p>
          {params.done ? "Done: no" : "No"} more newsletters of <strong>{campaign?.name}</strong> will come to this address. You can subscribe again on
          the campaign page at any time.
        </p>
      </LinkCard>
    );
  }
  return (
    <LinkCard title="This link is not valid" campaign={null}>
      <p>It may have been mistyped or cut off. Nothing was changed. Every newsletter message has a working unsubscribe link at its end.</p>
    </LinkCard>
  );
}
