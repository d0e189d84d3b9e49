import { existsSync } from "node:fs";
import type * as ResvgModule from "@resvg/resvg-js";

/**
 * A drawing (SVG) as PNG, `width` pixels wide, on white: PNGs go where SVG cannot, such as mail and dark-themed pages,
 * where transparent black-on-nothing bonds would vanish. resvg's renderAsync runs on libuv's thread pool, off the
 * event loop.
 */
export async function rasterizeSvg(svg: string, width: number): Promise<Buffer> {
  const { renderAsync } = await loadResvg();
  const rendered = await renderAsync(svg, { font: fontOptions(), background: "white", fitTo: { mode: "width", value: width } });
  return rendered.asPng();
}

type Resvg = typeof ResvgModule;
let resvg: Promise<Resvg> | undefined;

/**
 * resvg is a native addon, which the bundler cannot place in a chunk; the magic comment leaves this import to Node at
 * run time. (Listing "@resvg/resvg-js" in next.config.js serverExternalPackages would do the same from the config.)
 */
function loadResvg(): Promise<Resvg> {
  resvg ??= import(/* webpackIgnore: true */ "@resvg/resvg-js").then((m: Resvg & { default?: Resvg }) =>
    typeof m.renderAsync === "function" ? m : m.default!,
  );
  return resvg;
}

// Atom labels need a font. Loading one known file is ~5x faster than scanning the system's fonts on every render;
// the scan is the fallback on machines without these.
const FONT_FILES = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  "/System/Library/Fonts/Helvetica.ttc",
];
let fonts: { loadSystemFonts: boolean; fontFiles?: string[]; sansSerifFamily?: string; defaultFontFamily?: string } | undefined;

function fontOptions() {
  if (!fonts) {
    const file = FONT_FILES.find((f) => existsSync(f));
    const family = file?.includes("DejaVu")
      ? "DejaVu Sans"
      : file?.includes("Liberation")
        ? "Liberation Sans"
        : file
          ? "Helvetica"
          : undefined;
    fonts =
      file && family
        ? { loadSystemFonts: false, fontFiles: [file], sansSerifFamily: family, defaultFontFamily: family }
        : { loadSystemFonts: true };
  }
  return fonts;
}
