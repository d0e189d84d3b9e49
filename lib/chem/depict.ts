import { Molecule, type MoleculeToSVGOptions } from "openchemlib";

import { ChemError, toolkitMessage } from "./errors";

export interface DepictOptions {
  /** Pixels, 16 to 2000. Default 300. */
  width?: number;
  /** Pixels, 16 to 2000. Default 200. */
  height?: number;
  /** Crop the drawing to the molecule (the SVG then gets smaller than width x height). Default false. */
  autoCrop?: boolean;
  /** Hide "abs"/"rel"/"racemic" text under the drawing. Default false. */
  suppressChiralText?: boolean;
  /** id attribute of the <svg>; default derived from the idcode and size, so that output is deterministic. */
  id?: string;
  /** Atoms (idcode order) to highlight, e.g. a substructure match: bonds between them get a background. */
  highlightAtoms?: readonly number[];
}

export const THUMBNAIL_SIZE = { width: 120, height: 90 } as const;

/**
 * SVG drawing of a structure from its idcode. The same idcode and options always give byte-identical SVG: 2D
 * coordinates are invented with OpenChemLib's fixed default seed, and the element id (which OpenChemLib would
 * otherwise number from a global counter) is derived from the input. The SVG carries its styles scoped to that id,
 * so several drawings can sit inline on one page. Atom labels are XML-escaped by OpenChemLib.
 */
export function depictSvg(idcode: string, options: DepictOptions = {}): string {
  const width = size(options.width ?? 300, "width");
  const height = size(options.height ?? 200, "height");
  const mol = moleculeFromIdcode(idcode);
  const svgOptions: MoleculeToSVGOptions = {
    autoCrop: options.autoCrop ?? false,
    suppressChiralText: options.suppressChiralText ?? false,
    // Do not draw the label OpenChemLib keeps for unresolvable stereo problems: it is noise in a registry view.
    noStereoProblem: true,
  };
  const highlight = options.highlightAtoms ?? [];
  if (highlight.length > 0) {
    const marked = new Set(highlight);
    for (let bond = 0; bond < mol.getAllBonds(); bond++) {
      if (marked.has(mol.getBondAtom(0, bond)) && marked.has(mol.getBondAtom(1, bond))) mol.setBondBackgroundHiliting(bond, true);
    }
  }
  const id = options.id ?? `mol-${hash(`${idcode} ${width}x${height}${highlight.length ? ` ${highlight.join(",")}` : ""}`)}`;
  if (!/^[A-Za-z][\w-]*$/.test(id)) {
    throw new ChemError("invalid_structure", "The SVG id must be a letter followed by letters, digits, - or _.", {
      field: "id",
    });
  }
  return mol.toSVG(width, height, id, svgOptions);
}

/** A small drawing for tables and mention chips: 120 x 90, cropped, without stereo captions. */
export function depictThumbnail(idcode: string): string {
  return depictSvg(idcode, { ...THUMBNAIL_SIZE, autoCrop: true, suppressChiralText: true });
}

function moleculeFromIdcode(idcode: string): Molecule {
  if (typeof idcode !== "string" || idcode.trim() === "") {
    throw new ChemError("invalid_structure", "There is no structure to draw (empty idcode).", { field: "idcode" });
  }
  if (idcode.length > 20_000) {
    throw new ChemError("too_large", "This idcode is too long to draw.", { field: "idcode" });
  }
  // An idcode packs 6 bits per character as ASCII 64-127. OpenChemLib decodes any string without complaint, so
  // at least refuse text that cannot be an idcode (a SMILES, a name) instead of drawing junk.
  if (!/^[\x40-\x7f]+$/.test(idcode.trim())) {
    throw new ChemError("invalid_structure", "This is not an OpenChemLib idcode.", { field: "idcode" });
  }
  let mol: Molecule;
  try {
    mol = Molecule.fromIDCode(idcode.trim());
  } catch (error) {
    throw new ChemError("invalid_structure", `This idcode could not be read: ${toolkitMessage(error)}.`, {
      field: "idcode",
      cause: error,
    });
  }
  if (mol.getAllAtoms() === 0) {
    throw new ChemError("invalid_structure", "This idcode holds no atoms.", { field: "idcode" });
  }
  return mol;
}

function size(value: number, field: "width" | "height"): number {
  if (!Number.isInteger(value) || value < 16 || value > 2000) {
    throw new ChemError("invalid_structure", `The drawing ${field} must be a whole number of pixels, 16 to 2000.`, {
      field,
    });
  }
  return value;
}

/** FNV-1a, 32 bit, as 8 hex digits: short, stable ids, not a security measure. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}
