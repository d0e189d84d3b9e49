import { jsonLdText, type JsonLd } from "@/lib/cite/jsonld";

/**
 * Structured data for crawlers. A data block (not a script the browser runs), so the page's CSP, which only governs
 * scripts that execute, does not apply to it; its text escapes "<", so no user text can end the element.
 */
export function JsonLdScript({ data }: { data: JsonLd }) {
  return <script type="application/ld+json" data-testid="json-ld" dangerouslySetInnerHTML={{ __html: jsonLdText(data) }} />;
}
