/** A molecule's pages in public chemistry databases, found by its standard InChIKey. */
export interface DatabaseLinks {
  pubchem: string;
  chembl: string;
}

export function databaseLinks(inchikey: string): DatabaseLinks {
  const key = encodeURIComponent(inchikey);
  return {
    pubchem: `https://pubchem.ncbi.nlm.nih.gov/#query=${key}`,
    chembl: `https://www.ebi.ac.uk/chembl/g/#search_results/compounds/query=${key}`,
  };
}
