// CITATION.cff (Citation File Format 1.2.0, the YAML file GitHub, Zenodo and Zotero read) for a campaign's data.
import { licenseOf } from "../campaigns/licenses";
import { splitName, type Person } from "./model";

export interface CffInput {
  title: string;
  description: string;
  /** The campaign's page. */
  url: string;
  license: string;
  /** Maintainers first, then members: the people whose work the data is. */
  members: Person[];
  keywords?: string[];
}

/**
 * A YAML double-quoted scalar. JSON's string syntax is a subset of YAML's double-quoted style, so JSON.stringify
 * gives a value no YAML parser reads differently, whatever the text holds (quotes, colons, "#", leading "-", "yes").
 * Line breaks are flattened for one-line fields; the abstract keeps them (written as \n escapes).
 */
export function yamlString(text: string): string {
  return JSON.stringify(text.replace(/[\u2028\u2029]/g, " "));
}

const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

/** A person as CFF writes one: given and family names when they gave a name, and their login as alias. */
function author(person: Person): string[] {
  const name = splitName(person);
  const pairs: [string, string][] =
    "literal" in name
      ? name.literal === person.login
        ? [["alias", person.login]]
        : [
            ["given-names", name.literal],
            ["alias", person.login],
          ]
      : [
          ["given-names", name.given],
          ["family-names", name.family],
          ["alias", person.login],
        ];
  return pairs.map(([key, value], i) => `${i === 0 ? "  - " : "    "}${key}: ${yamlString(oneLine(value))}`);
}

export function toCff(c: CffInput): string {
  const license = licenseOf(c.license);
  const lines = [
    "# Citation File Format 1.2.0: https://citation-file-format.github.io/",
    "cff-version: 1.2.0",
    `message: ${yamlString("If you use these data, please cite them using these metadata.")}`,
    "type: dataset",
    `title: ${yamlString(oneLine(c.title))}`,
    ...(c.description.trim() ? [`abstract: ${yamlString(c.description.trim())}`] : []),
    "authors:",
    // CFF needs at least one author: a campaign always has a maintainer, else the campaign itself (an entity).
    ...(c.members.length ? c.members.flatMap(author) : [`  - name: ${yamlString(oneLine(c.title))}`]),
    `license: ${license.id}`,
    `url: ${yamlString(c.url)}`,
    ...(c.keywords?.length ? ["keywords:", ...c.keywords.map((k) => `  - ${yamlString(oneLine(k))}`)] : []),
  ];
  return `${lines.join("\n")}\n`;
}
