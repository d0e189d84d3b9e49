// What the entry editor does with files pasted into or dropped on its text (components/use-image-paste.ts), and the
// markdown an uploaded attachment is inserted as (components/attachment-upload.ts).
import { describe, expect, it } from "vitest";
import { attachmentMarkdown } from "@/components/attachment-upload";
import { describeImagePaste, filesToAttach } from "@/components/use-image-paste";
import { renderMarkdown } from "@/lib/markdown";

const NOW = new Date(2025, 2, 4, 5, 6, 7);

function transfer(files: File[], text = ""): Pick<DataTransfer, "files" | "types" | "getData"> {
  const types = [...(files.length ? ["Files"] : []), ...(text ? ["text/plain"] : [])];
  return { files: files as unknown as FileList, types, getData: (type: string) => (type === "text/plain" ? text : "") };
}

const png = (name: string) => new File([new Uint8Array([137, 80, 78, 71])], name, { type: "image/png" });

describe("files a paste or a drop brings", () => {
  it("attaches a pasted screenshot under a name saying when it was pasted, not the browser's image.png", () => {
    const [file] = filesToAttach(transfer([png("image.png")]), "paste", NOW);
    expect(file?.name).toBe("pasted-2025-03-04-050607.png");
    expect(file?.type).toBe("image/png");
    expect(file?.size).toBe(4);
    const two = filesToAttach(transfer([png("image.png"), new File(["x"], "image.jpg", { type: "image/jpeg" })]), "paste", NOW);
    expect(two.map((f) => f.name)).toEqual(["pasted-2025-03-04-050607-1.png", "pasted-2025-03-04-050607-2.jpg"]);
  });

  it("keeps the name of a copied image file, and leaves pasted files that are not images to the browser", () => {
    expect(filesToAttach(transfer([png("TLC plate 3.png")]), "paste", NOW).map((f) => f.name)).toEqual(["TLC plate 3.png"]);
    expect(filesToAttach(transfer([new File(["%PDF"], "paper.pdf", { type: "application/pdf" })]), "paste", NOW)).toEqual([]);
  });

  it("pastes text as text even when a picture of it comes along (cells copied from a spreadsheet)", () => {
    expect(filesToAttach(transfer([png("image.png")], "OSM-S-175\t0.12"), "paste", NOW)).toEqual([]);
    expect(filesToAttach(transfer([], "plain words"), "paste", NOW)).toEqual([]);
    expect(filesToAttach(null, "paste", NOW)).toEqual([]);
  });

  it("attaches every dropped file under its own name", () => {
    const pdf = new File(["%PDF"], "paper.pdf", { type: "application/pdf" });
    expect(filesToAttach(transfer([png("image.png"), pdf]), "drop", NOW).map((f) => f.name)).toEqual(["image.png", "paper.pdf"]);
  });
});

describe("what the editor says about them", () => {
  it("says before the first save that files can be attached after it", () => {
    expect(describeImagePaste({ state: "unsaved" })).toMatch(/^Files can be attached after the first save/);
  });

  it("counts uploads, and names the files that failed with the server's reason", () => {
    expect(describeImagePaste({ state: "idle" })).toBeNull();
    expect(describeImagePaste({ state: "uploading", file: "a.png", index: 2, total: 3 })).toBe("Uploading a.png (2 of 3)…");
    expect(describeImagePaste({ state: "uploading", file: "a.png", index: 1, total: 1 })).toBe("Uploading a.png…");
    expect(describeImagePaste({ state: "done", files: ["a.png"], failed: [] })).toBe("Attached a.png.");
    expect(
      describeImagePaste({ state: "done", files: ["a.png", "b.png"], failed: [{ file: "c.png", message: "c.png is larger than 10 MB." }] }),
    ).toBe("Attached 2 files. Not attached: c.png: c.png is larger than 10 MB.");
    expect(
      describeImagePaste({ state: "done", files: [], failed: [{ file: "c.png", message: "An entry holds at most 100 attachments." }] }),
    ).toBe("Not attached. c.png: An entry holds at most 100 attachments.");
  });
});

describe("the markdown of an attachment", () => {
  const attachment = (filename: string, contentType: string) => ({
    filename,
    contentType,
    url: `http://localhost:3000/attachments/7/${encodeURIComponent(filename)}`,
  });

  it("shows an image on its own line, and links any other file (SVG included: it downloads)", () => {
    expect(attachmentMarkdown(attachment("nmr.png", "image/png"))).toBe("\n![nmr.png](/attachments/7/nmr.png)\n");
    expect(attachmentMarkdown(attachment("scheme.svg", "image/svg+xml"))).toBe("[scheme.svg](/attachments/7/scheme.svg)");
    expect(attachmentMarkdown(attachment("data.jdx", "chemical/x-jcamp-dx"))).toBe("[data.jdx](/attachments/7/data.jdx)");
  });

  it("stays one image or link whatever brackets and parentheses the file name holds", () => {
    expect(renderMarkdown(attachmentMarkdown(attachment("TLC (2).png", "image/png")))).toBe(
      '<p><img src="/attachments/7/TLC%20%282%29.png" alt="TLC (2).png"></p>',
    );
    expect(renderMarkdown(attachmentMarkdown(attachment("run(3.png", "image/png")))).toBe(
      '<p><img src="/attachments/7/run%283.png" alt="run(3.png"></p>',
    );
    expect(renderMarkdown(attachmentMarkdown(attachment("a]b.csv", "text/csv")))).toBe(
      '<p><a href="/attachments/7/a%5Db.csv">a]b.csv</a></p>',
    );
  });
});
