import { pageCiteContext } from "@/app/_lib/cite";
import { LicenseForm } from "@/components/campaign-forms";
import { CiteBox } from "@/components/cite-box";
import { getDb } from "@/db/index";
import { citeCampaign } from "@/db/queries/citations";
import type { Campaign } from "@/db/schema";
import { licenseOf } from "@/lib/campaigns/licenses";

/**
 * The campaign page's "Open data" panel: the licence (a maintainer changes it here), the files for PubChem, and "Cite"
 * with the campaign's CITATION.cff.
 */
export async function CampaignOpenData({ campaign, maintainer }: { campaign: Campaign; maintainer: boolean }) {
  const citation = await citeCampaign(await getDb(), campaign.slug, await pageCiteContext());
  const license = licenseOf(campaign.license);
  return (
    <>
      <div className="card stack" data-testid="open-data">
        <strong>Open data</strong>
        <p className="meta" style={{ margin: 0 }}>
          Published under{" "}
          <a href={license.url} rel="license" data-testid="campaign-license">
            {license.short}
          </a>
          : {license.summary}
        </p>
        {maintainer ? <LicenseForm slug={campaign.slug} license={campaign.license} /> : null}
        <p className="meta" style={{ margin: 0 }}>
          For PubChem:{" "}
          <a href={`/api/v1/campaigns/${campaign.slug}/pubchem.sdf`} download>
            substances (SDF)
          </a>{" "}
          ·{" "}
          <a href={`/api/v1/campaigns/${campaign.slug}/pubchem-assay.csv`} download>
            results (CSV)
          </a>
        </p>
      </div>
      <CiteBox citation={citation} href={`/campaigns/${campaign.slug}/cite`}>
        {" "}
        ·{" "}
        <a href={`/campaigns/${campaign.slug}/CITATION.cff`} download>
          CITATION.cff
        </a>
      </CiteBox>
    </>
  );
}
