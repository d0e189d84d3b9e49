import type { ReactNode } from "react";
import { LicenseLine } from "@/components/license-line";
import { getDb } from "@/db/index";
import { getCampaign } from "@/db/queries/campaigns";

/** Every page of a campaign (its notebook, wiki, molecule table, newsletter, to-dos) says under which licence its data is. */
export default async function CampaignLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const campaign = await getCampaign(await getDb(), (await params).slug);
  return (
    <>
      {children}
      {campaign ? <LicenseLine license={campaign.license} /> : null}
    </>
  );
}
