import { MATCH_END, MATCH_START } from "@/db/queries/entry-lists";

/** Text with search matches (between the database's markers) shown as <mark>; everything else is plain text. */
export function Highlight({ text }: { text: string }) {
  const parts = text.split(MATCH_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return <span key={i}>{part}</span>;
        const [match, rest = ""] = part.split(MATCH_END);
        return (
          <span key={i}>
            <mark>{match}</mark>
            {rest}
          </span>
        );
      })}
    </>
  );
}
