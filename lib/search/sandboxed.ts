import { Molecule, SSSearcher } from "openchemlib";

import { classifyHeaderQuery } from "./classify";
import { encodeMolecule, isTooLarge, viewGraph } from "./graph";
import { Matcher } from "./match";
import { parseSubstructureQuery, prepareQuery, type SubstructureQuery } from "./query";

// What structure search runs in the sandbox processes (lib/sandbox/worker.mjs), never in the server's own:
// everything that reads untrusted query text with OpenChemLib, or may match without end. Relative imports only (the
// worker loads these files outside the bundler).

export { classifyHeaderQuery, prepareQuery };

/** The last query a verify job read, kept: a search sends its molecules in several jobs with the same query. */
let cached: { text: string; query: SubstructureQuery; matcher: Matcher | null } | null = null;

/**
 * Whether each stored molecule (an idcode) contains the query, with the matched atoms in idcode order (null: no
 * match): our matcher where it can decide, else OpenChemLib's SSSearcher. A molecule too large for our graph is left
 * out of a query that uses atoms only our matcher evaluates (X, r, ...), rather than matched on a looser query.
 */
export function verifyWithOpenChemLib(input: { text: string; idcodes: string[] }): (number[] | null)[] {
  if (cached?.text !== input.text) {
    const query = parseSubstructureQuery(input.text);
    cached = { text: input.text, query, matcher: query.compiled ? new Matcher(query.compiled) : null };
  }
  const { query, matcher } = cached;
  const ownAtoms = query.compiled?.own.some((expr) => expr !== null) ?? false;
  let searcher: SSSearcher | null = null;
  return input.idcodes.map((idcode) => {
    const mol = Molecule.fromIDCode(idcode, false);
    if (matcher !== null) {
      const graph = encodeMolecule(mol);
      if (!isTooLarge(graph)) {
        const map = matcher.find(viewGraph(graph));
        return map ? Array.from(map) : null;
      }
    }
    if (ownAtoms) return null;
    if (searcher === null) {
      searcher = new SSSearcher();
      searcher.setFragment(query.fragment!);
    }
    searcher.setMolecule(mol);
    return searcher.findFragmentInMolecule({ countMode: "firstMatch" }) > 0 ? (searcher.getMatchList()[0] ?? []) : null;
  });
}
