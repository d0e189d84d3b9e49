import type { ReactNode } from "react";
import { citationFormats, citationFormatNames, toText } from "@/lib/cite";
import { toBibtex } from "@/lib/cite/bibtex";
import type { Citation } from "@/lib/cite/model";

/**
 * "Cite": a disclosure with the citation as text, its BibTeX, and the files reference managers import (from `href`, the
 * record's cite route; `revision` pins an entry's revision). No script: <details> opens by itself.
 */
export function CiteBox({
  citation,
  href,
  revision,
  children,
}: {
  citation: Citation;
  href: string;
  revision?: number;
  children?: ReactNode;
}) {
  const link = (format: string) => `${href}?format=${format}${revision !== undefined ? `&revision=${revision}` : ""}`;
  return (
    <details className="card cite" data-testid="cite">
      <summary>
        <strong>Cite</strong>
      </summary>
      <p className="cite-text" data-testid="cite-text">
        {toText(citation)}
      </p>
      <p className="meta">
        Download:{" "}
        {citationFormatNames.map((format, i) => (
          <span key={format}>
            {i ? " · " : ""}
            <a href={link(format)} download>
              {citationFormats[format].label}
            </a>
          </span>
        ))}
        {children}
      </p>
      <pre className="cite-bibtex">
        <code>{toBibtex(citation)}</code>
      </pre>
    </details>
  );
}
