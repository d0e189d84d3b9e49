import { licenseOf } from "@/lib/campaigns/licenses";

/** "Data: CC BY 4.0 · Reuse freely, with credit to the campaign.": the licence of a campaign's data, under its pages. */
export function LicenseLine({ license }: { license: string }) {
  const l = licenseOf(license);
  return (
    <p className="meta license-line" data-testid="license">
      Data:{" "}
      <a href={l.url} rel="license" title={l.name}>
        {l.short}
      </a>{" "}
      · {l.summary}
    </p>
  );
}
