/** A form's campaign filter: "All campaigns" (empty) or one campaign's slug, submitted as `campaign`. */
export function CampaignSelect({ campaigns, value }: { campaigns: { slug: string; name: string }[]; value: string }) {
  return (
    <select name="campaign" defaultValue={value} aria-label="Campaign">
      <option value="">All campaigns</option>
      {campaigns.map((c) => (
        <option key={c.slug} value={c.slug}>
          {c.name}
        </option>
      ))}
    </select>
  );
}
