import type { RecognitionBody } from "@/lib/contract/ocsr";
import { declaredKind, OCSR_LIMITS } from "@/lib/ocsr/sniff";
import { schemeComponents } from "@/lib/stoichiometry/scheme";

/**
 * The browser's side of "picture → structure" (issue 18), free of React: which file a paste, a drop or a file chooser
 * brings, the request to POST /api/v1/recognize, and the words the picture controls (picture-structures.tsx) show.
 */

export type Recognition = RecognitionBody;
export type RecognizedStructure = RecognitionBody["structures"][number];

/** What the file chooser offers: the types the server reads (lib/ocsr/sniff.ts), by media type and by extension. */
export const PICTURE_ACCEPT =
  "image/png,image/jpeg,image/gif,image/tiff,image/webp,application/pdf,.png,.jpg,.jpeg,.gif,.tif,.tiff,.webp,.pdf";

const EXTENSIONS = /\.(png|jpe?g|gif|tiff?|webp|pdf)$/i;

/** Whether the server reads this kind of file: by its media type, or by its extension when the browser gave none. */
export function isReadablePicture(file: Pick<File, "name" | "type">): boolean {
  const kind = declaredKind(file.type);
  return kind === undefined ? EXTENSIONS.test(file.name) : kind !== null;
}

export function isPdf(file: Pick<File, "name" | "type">): boolean {
  return declaredKind(file.type) === "pdf" || (file.type === "" && /\.pdf$/i.test(file.name));
}

/**
 * The file to read out of those a paste, a drop or the file chooser brings: the first picture or PDF, whatever else
 * came with it (a word processor puts the text of a copied drawing beside its picture: here the picture is wanted).
 * Null when no file came (pasted text); a reason when files came but none can be read.
 */
export function pictureToRead(files: ArrayLike<File> | null | undefined): { file: File } | { refused: string } | null {
  const all = Array.from(files ?? []);
  if (all.length === 0) return null;
  const file = all.find(isReadablePicture);
  if (!file) {
    const names = all.map((f) => f.name || "the pasted file").join(", ");
    return { refused: `${names}: not a picture or PDF. Structures are read from PNG, JPEG, GIF, TIFF, WebP and PDF files.` };
  }
  if (file.size > OCSR_LIMITS.maxBytes) {
    return {
      refused: `${file.name || "The picture"} is larger than ${OCSR_LIMITS.maxBytes / 1024 / 1024} MB; send a smaller picture or fewer pages.`,
    };
  }
  return { file };
}

/** A name to show for a file: browsers call every pasted picture "image.png". */
export function pictureName(file: Pick<File, "name">): string {
  return file.name === "" || /^image\.\w+$/i.test(file.name) ? "Pasted picture" : file.name;
}

/** "read by 3 of 4 variants": how many variants of the picture read this structure at this place (lib/ocsr/consensus.ts). */
export function describeAgreement({ votes, readings }: { votes: number; readings: number }): string {
  return `read by ${votes} of ${readings} ${readings === 1 ? "variant" : "variants"}`;
}

/**
 * "1 unreadable label read as carbon and 1 left out: check them against the picture", for a structure that rests on
 * labels the recognizer could not read (lib/ocsr/repair.ts); null when nothing was guessed.
 */
export function describeGuess(guessed: { asCarbon: number; leftOut: number } | null | undefined): string | null {
  if (!guessed || guessed.asCarbon + guessed.leftOut === 0) return null;
  const labels = (n: number) => `${n} unreadable ${n === 1 ? "label" : "labels"}`;
  const parts = [
    ...(guessed.asCarbon > 0 ? [`${labels(guessed.asCarbon)} read as carbon`] : []),
    ...(guessed.leftOut > 0 ? [guessed.asCarbon > 0 ? `${guessed.leftOut} left out` : `${labels(guessed.leftOut)} left out`] : []),
  ];
  return `${parts.join(" and ")}: check ${guessed.asCarbon + guessed.leftOut === 1 ? "it" : "them"} against the picture`;
}

/** What a failed request says to the chemist: the server's own message when it sent one, else a word per status. */
export function recognitionFailure(status: number, body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === "string" && message.trim() !== "") return message;
  switch (status) {
    case 401:
      return "Sign in to read structures from pictures.";
    case 413:
      return `The file is larger than ${OCSR_LIMITS.maxBytes / 1024 / 1024} MB; send a smaller picture or fewer pages.`;
    case 415:
      return "This file is not a picture or PDF the notebook can read (PNG, JPEG, GIF, TIFF, WebP or PDF).";
    case 429:
      return "Too many requests at once; wait a minute and try again.";
    case 503:
      return "Reading structures from pictures is not available on this server right now.";
    default:
      return `Reading the picture failed (HTTP ${status}); nothing was changed.`;
  }
}

/** Sends one picture (multipart, field `file`) and returns what was recognized; rejects with a message to show. */
export async function requestRecognition(file: File, signal?: AbortSignal): Promise<Recognition> {
  const form = new FormData();
  form.set("file", file);
  let res: Response;
  try {
    res = await fetch("/api/v1/recognize", { method: "POST", body: form, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new Error("The notebook could not be reached; check the connection and try again.");
  }
  if (!res.ok) throw new Error(recognitionFailure(res.status, await res.json().catch(() => null)));
  return (await res.json()) as Recognition;
}

/**
 * Where a structure was found, as percentages of the shown picture (for an outline over it), or null when the box
 * does not fit the picture (another page, or a picture the browser scaled on its own).
 */
export function boxOnPicture(
  box: RecognizedStructure["box"],
  picture: { width: number; height: number },
): { left: string; top: string; width: string; height: string } | null {
  if (picture.width <= 0 || picture.height <= 0) return null;
  if (box.x < 0 || box.y < 0 || box.x + box.width > picture.width * 1.02 || box.y + box.height > picture.height * 1.02) return null;
  const pct = (n: number, of: number) => `${Math.min(100, (n / of) * 100).toFixed(2)}%`;
  return {
    left: pct(box.x, picture.width),
    top: pct(box.y, picture.height),
    width: pct(box.width, picture.width),
    height: pct(box.height, picture.height),
  };
}

/** Why the structures read make no scheme (lib/ocsr/scheme.ts wants two on one page): said with how many were read. */
export function noSchemeReason(structures: readonly Pick<RecognizedStructure, "page">[]): string {
  if (structures.length < 2) return `A scheme needs at least two structures; ${structures.length} recognized.`;
  const pages = new Set(structures.map((s) => s.page)).size;
  return `A scheme needs at least two structures on one page; ${structures.length} recognized, on ${pages} different pages.`;
}

export interface SchemeSides {
  reactants: string[];
  agents: string[];
  products: string[];
}

/**
 * The structures of a reaction SMILES as typed, side by side for drawing (a repeated one as often as it is written),
 * or what is wrong with the text, in the words the reaction block uses.
 */
export function schemeSides(text: string): SchemeSides | { error: string } {
  try {
    const components = schemeComponents(text);
    const side = (name: keyof SchemeSides) =>
      components.filter((c) => c.side === name).flatMap((c) => Array.from({ length: c.count }, () => c.smiles));
    return { reactants: side("reactants"), agents: side("agents"), products: side("products") };
  } catch (error) {
    if (error instanceof Error && error.name === "SchemeError") return { error: `The scheme ${error.message}` };
    throw error;
  }
}
