import { toAppError } from "@/lib/errors";

/** What a prediction page shows instead of its view when the assay asked for is not one the campaign can score. */
export interface AssayProblem {
  problem: string;
  /** The assays there are, to link instead. */
  assays: string[];
}

/** The page's view, or the refusal of its assay (a 422 from the use case) as something the page shows. */
export async function viewOrAssayProblem<T>(view: () => Promise<T>): Promise<T | AssayProblem> {
  try {
    return await view();
  } catch (error) {
    const known = toAppError(error);
    if (known?.is("validation_failed")) return { problem: known.message.replace(/^assay: /, ""), assays: known.details?.assays ?? [] };
    throw error;
  }
}
