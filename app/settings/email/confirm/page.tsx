import type { Metadata } from "next";
import { confirmEmailAction } from "@/app/settings/actions";
import { LinkCard, tokenParam } from "@/components/mail-link-card";
import { getDb } from "@/db/index";
import { checkEmailLink } from "@/db/queries/notification-settings";
import { CONFIRM_LINK_HOURS } from "@/lib/mail/tokens";

export const metadata: Metadata = { title: "Confirm your address", robots: { index: false } };

type Props = { searchParams: Promise<{ token?: string | string[]; done?: string }> };

/** The link of the mail that confirms a person's address for notifications: a button, so that a link scanner confirms nothing. */
export default async function ConfirmEmailPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = tokenParam(params.token);
  const { state, login } = await checkEmailLink(await getDb(), token);
  if (state === "valid") {
    return (
      <LinkCard title="Confirm your address" campaign={null}>
        <p>
          Send the notifications of <strong>{login}</strong> to this address, as chosen in the settings?
        </p>
        <form action={confirmEmailAction}>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="primary">
            Confirm address
          </button>
        </form>
      </LinkCard>
    );
  }
  if (state === "done") {
    return (
      <LinkCard title="Address confirmed" campaign={null}>
        <p>{params.done ? "Thank you: notifications" : "This link was used already: notifications"} go to this address as chosen in the settings.</p>
      </LinkCard>
    );
  }
  if (state === "expired") {
    return (
      <LinkCard title="This link has expired" campaign={null}>
        <p>Confirmation links work for {CONFIRM_LINK_HOURS} hours. Set the address again in your settings to get a new one.</p>
      </LinkCard>
    );
  }
  return (
    <LinkCard title="This link is not valid" campaign={null}>
      <p>It may have been mistyped or replaced by a newer address. Nothing was changed.</p>
    </LinkCard>
  );
}
