// The picture controls as the server renders them into the page: with OSRA installed, the place to paste, drop or
// choose a picture; without it, how to install it and nothing to upload with (no test server here can lack the
// osra binary the machine has, so this is where that state is checked).
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PictureStructures } from "@/components/picture-structures";

const render = (available: boolean) =>
  renderToStaticMarkup(
    createElement(
      QueryClientProvider,
      { client: new QueryClient() },
      createElement(PictureStructures, { available, actionLabel: "Use this structure", onUse: () => {} }),
    ),
  );

describe("the picture controls", () => {
  it("say how to install OSRA when the server lacks it, and offer no upload", () => {
    const html = render(false);
    expect(html).toContain("Reading structures from pictures needs OSRA on the server");
    expect(html).toContain("apt-get install osra");
    expect(html).not.toContain('type="file"');
    expect(html).not.toContain("Paste a picture here");
  });

  it("offer to paste, drop or choose a picture or PDF when it is there", () => {
    const html = render(true);
    expect(html).toContain("Paste a picture here");
    expect(html).toMatch(/<input[^>]*type="file"[^>]*accept="[^"]*image\/png[^"]*application\/pdf/);
    expect(html).not.toContain("apt-get install osra");
  });
});
