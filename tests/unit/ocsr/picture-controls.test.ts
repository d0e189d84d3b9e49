// The browser's side of "picture → structure" (components/picture-recognition.ts): which file a paste, a drop or the
// file chooser hands to the recognizer, what the picture controls say about an answer or a refusal, and the scheme
// a reaction block is offered from a picture (components/scheme-from-picture.tsx).
import { describe, expect, it } from "vitest";
import {
  boxOnPicture,
  describeAgreement,
  describeGuess,
  isPdf,
  noSchemeReason,
  pictureName,
  pictureToRead,
  recognitionFailure,
  schemeSides,
} from "@/components/picture-recognition";

const file = (name: string, type: string, bytes = 4) => new File([new Uint8Array(bytes)], name, { type });

describe("the file a paste, a drop or the chooser brings", () => {
  it("reads the first picture or PDF, whatever other files came with it", () => {
    const notes = file("notes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    const scheme = file("scheme.png", "image/png");
    expect(pictureToRead([notes, scheme, file("b.jpg", "image/jpeg")])).toEqual({ file: scheme });
    const paper = file("paper.pdf", "application/pdf");
    expect(pictureToRead([paper])).toEqual({ file: paper });
    expect(isPdf(paper)).toBe(true);
    expect(isPdf(scheme)).toBe(false);
  });

  it("judges a file the browser gave no type by its extension", () => {
    const scan = file("page 3.TIF", "");
    expect(pictureToRead([scan])).toEqual({ file: scan });
    expect(isPdf(file("old notebook.pdf", ""))).toBe(true);
    expect(pictureToRead([file("structure.cdx", "")])).toEqual({
      refused: "structure.cdx: not a picture or PDF. Structures are read from PNG, JPEG, GIF, TIFF, WebP and PDF files.",
    });
  });

  it("refuses an SVG or a spreadsheet with a reason, and leaves a paste of text alone", () => {
    expect(pictureToRead([file("drawing.svg", "image/svg+xml")])).toMatchObject({
      refused: expect.stringMatching(/^drawing\.svg: not a picture or PDF/),
    });
    expect(pictureToRead([file("data.xlsx", "application/vnd.ms-excel"), file("x.csv", "text/csv")])).toMatchObject({
      refused: expect.stringMatching(/^data\.xlsx, x\.csv: not a picture/),
    });
    expect(pictureToRead([])).toBeNull();
    expect(pictureToRead(null)).toBeNull();
  });

  it("refuses a file over the server's 20 MB cap before sending it", () => {
    expect(pictureToRead([file("huge.png", "image/png", 20 * 1024 * 1024 + 1)])).toEqual({
      refused: "huge.png is larger than 20 MB; send a smaller picture or fewer pages.",
    });
    expect(pictureToRead([file("just.png", "image/png", 20 * 1024 * 1024)])).toMatchObject({ file: { name: "just.png" } });
  });

  it("calls the browser's image.png a pasted picture and keeps a real file name", () => {
    expect(pictureName(file("image.png", "image/png"))).toBe("Pasted picture");
    expect(pictureName(file("", "image/png"))).toBe("Pasted picture");
    expect(pictureName(file("Scheme 2 (SI).png", "image/png"))).toBe("Scheme 2 (SI).png");
  });
});

describe("what the controls say", () => {
  it("says how many variants of the picture read a structure, and which unreadable labels were guessed", () => {
    expect(describeAgreement({ votes: 3, readings: 4 })).toBe("read by 3 of 4 variants");
    expect(describeAgreement({ votes: 1, readings: 1 })).toBe("read by 1 of 1 variant");
    expect(describeGuess({ asCarbon: 1, leftOut: 0 })).toBe("1 unreadable label read as carbon: check it against the picture");
    expect(describeGuess({ asCarbon: 0, leftOut: 2 })).toBe("2 unreadable labels left out: check them against the picture");
    expect(describeGuess({ asCarbon: 2, leftOut: 1 })).toBe(
      "2 unreadable labels read as carbon and 1 left out: check them against the picture",
    );
    expect(describeGuess(undefined)).toBeNull();
  });

  it("shows the server's own message of a refusal, and a word per status when there is none", () => {
    const body = (message: string) => ({ error: { code: "x", message } });
    expect(recognitionFailure(503, body("Structure recognition needs OSRA, which is not installed on this server: install it."))).toBe(
      "Structure recognition needs OSRA, which is not installed on this server: install it.",
    );
    expect(recognitionFailure(415, body("file: is a ZIP archive, not a picture"))).toBe("file: is a ZIP archive, not a picture");
    expect(recognitionFailure(401, null)).toBe("Sign in to read structures from pictures.");
    expect(recognitionFailure(413, "<html>Request Entity Too Large</html>")).toBe(
      "The file is larger than 20 MB; send a smaller picture or fewer pages.",
    );
    expect(recognitionFailure(415, { error: { message: "" } })).toMatch(/^This file is not a picture or PDF/);
    expect(recognitionFailure(502, null)).toBe("Reading the picture failed (HTTP 502); nothing was changed.");
  });

  it("places a structure's box over the picture in percentages, and none that does not fit it", () => {
    expect(boxOnPicture({ x: 50, y: 100, width: 200, height: 100 }, { width: 500, height: 400 })).toEqual({
      left: "10.00%",
      top: "25.00%",
      width: "40.00%",
      height: "25.00%",
    });
    // A box of another picture's size (a page of a PDF drawn at 300 dpi) is not drawn over this one.
    expect(boxOnPicture({ x: 1800, y: 100, width: 600, height: 300 }, { width: 500, height: 400 })).toBeNull();
    expect(boxOnPicture({ x: 0, y: 0, width: 10, height: 10 }, { width: 0, height: 0 })).toBeNull();
  });
});

describe("a scheme from a picture", () => {
  it("says why the structures read make no scheme, with how many were read", () => {
    expect(noSchemeReason([])).toBe("A scheme needs at least two structures; 0 recognized.");
    expect(noSchemeReason([{ page: 1 }])).toBe("A scheme needs at least two structures; 1 recognized.");
    // Two in a PDF, but one per page: lib/ocsr/scheme.ts does not join pages.
    expect(noSchemeReason([{ page: 1 }, { page: 2 }])).toBe(
      "A scheme needs at least two structures on one page; 2 recognized, on 2 different pages.",
    );
  });

  it("splits the reaction SMILES as edited into what to draw either side of the arrow", () => {
    expect(schemeSides("Clc1nncn1.OCCc1ccccc1>>c1ccccc1CCOc1nncn1")).toEqual({
      reactants: ["Clc1nncn1", "OCCc1ccccc1"],
      agents: [],
      products: ["c1ccccc1CCOc1nncn1"],
    });
    // Agents written in, and a structure written twice drawn twice (the table counts it as a coefficient of 2).
    expect(schemeSides(" CC(=O)O.CC(=O)O.OCC>[H+]>CC(=O)OCC ")).toEqual({
      reactants: ["CC(=O)O", "CC(=O)O", "OCC"],
      agents: ["[H+]"],
      products: ["CC(=O)OCC"],
    });
  });

  it("names what is wrong with text that is not a scheme, in the reaction block's words", () => {
    expect(schemeSides("CCO")).toEqual({
      error: "The scheme is not reaction SMILES: write reactants>agents>products, e.g. CC(=O)O.OCC>[H+]>CC(=O)OCC",
    });
    expect(schemeSides("CCO>>")).toEqual({ error: "The scheme needs at least one reactant and one product (reactants>agents>products)" });
    expect(schemeSides("")).toMatchObject({ error: expect.stringMatching(/^The scheme is not reaction SMILES/) });
  });
});
