import { apiHandler } from "@/app/_lib/api";
import { citationResponse, citeContext, readCiteQuery } from "@/app/_lib/cite";
import { citeMolecule } from "@/db/queries/citations";
import { textParam } from "@/lib/contract/route";

const code = textParam("the molecule's campaign ID", { decode: true });

/** A molecule's record as a citation file: `?format=bibtex|ris|csl-json`. */
export const GET = apiHandler<{ code: string }>(async ({ db, request }, params) => {
  const query = readCiteQuery(request);
  return citationResponse(await citeMolecule(db, code.parse(params.code), citeContext(request)), query.format);
});
