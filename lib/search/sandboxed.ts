import { classifyHeaderQuery } from "./classify";
import { viewGraph } from "./graph";
import { Matcher } from "./match";
import { parseSubstructureQuery, prepareQuery } from "./query";

// What structure search runs in the sandbox processes (lib/sandbox/worker.mjs), never in the server's own:
// everything that reads untrusted query text, or may match without end. Relative imports only (the worker loads these
// files outside the bundler).

export { classifyHeaderQuery, prepareQuery };

/** The last query a verify job read, kept: a search sends its molecules in several jobs with the same query. */
let cached: { text: string; matcher: Matcher } | null = null;

/**
 * Whether each molecule (its encoded graph, as the index keeps it) contains the query, with the matched atoms in the
 * graph's order (null: no match): the molecules a search's own process gave up on after its step limit, matched here
 * without one, within the job's time limit.
 */
export function verifyGraphs(input: { text: string; graphs: Uint8Array[] }): (number[] | null)[] {
  if (cached?.text !== input.text) cached = { text: input.text, matcher: new Matcher(parseSubstructureQuery(input.text).compiled) };
  const { matcher } = cached;
  return input.graphs.map((graph) => {
    const map = matcher.find(viewGraph(new Uint8Array(graph)));
    return map ? Array.from(map) : null;
  });
}
