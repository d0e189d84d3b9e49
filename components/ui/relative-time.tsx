/** A timestamp shown in UTC with the exact ISO time as a tooltip; the same on server and client. */
export function RelativeTime({ date }: { date: Date }) {
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso}>
      {iso.slice(0, 16).replace("T", " ")} UTC
    </time>
  );
}
