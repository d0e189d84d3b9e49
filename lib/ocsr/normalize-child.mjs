// The image normalizer of structure recognition, run as a child process by preprocess.ts (through child.ts: an
// address-space cap, a deadline, a private folder). It decodes the untrusted picture with sharp (libvips), so that
// decoding never happens in the server's process, and writes the variants OSRA is given.
//
// A plain .mjs that Node starts by path, like lib/sandbox/worker.mjs: bundlers do not rewrite it. It takes one
// argument, the job as JSON (paths relative to its working folder), and prints one line of JSON:
//   job:    {input, page?, maxPixels, measure?, variants: [{out, scale?, stroke?, minScale?, maxScale?, maxSide, pad, sharpen?}]}
//   answer: {width, height, stroke, variants: [{out, width, height, scale, pad}]}
import sharp from "sharp";

sharp.concurrency(1);
sharp.cache(false);

const job = JSON.parse(process.argv[2] ?? "{}");

function open() {
  return sharp(job.input, { limitInputPixels: job.maxPixels, page: job.page ?? 0, pages: 1, failOn: "error", sequentialRead: true });
}

/**
 * The typical width of a drawn line, in pixels: the most frequent length of the runs of dark pixels along rows and
 * columns (a line at any angle gives runs of its width or a little more in one of the two directions). Null on a
 * picture with almost nothing dark.
 */
function strokeWidth(data, width, height) {
  const counts = new Uint32Array(65);
  const count = (run) => {
    if (run > 0 && run <= 64) counts[run]++;
  };
  for (let y = 0; y < height; y++) {
    let run = 0;
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (data[i] < 128) run++;
      else if (run) {
        count(run);
        run = 0;
      }
    }
    count(run);
  }
  for (let x = 0; x < width; x++) {
    let run = 0;
    for (let y = 0, i = x; y < height; y++, i += width) {
      if (data[i] < 128) run++;
      else if (run) {
        count(run);
        run = 0;
      }
    }
    count(run);
  }
  let best = 0;
  let total = 0;
  for (let r = 1; r <= 64; r++) {
    total += counts[r];
    if (counts[r] > counts[best]) best = r;
  }
  return total < 20 ? null : best;
}

async function main() {
  // Flattened onto white (a transparent background must not read as black), then grey by the darkest channel, not
  // by luminance: a yellow S or a light-blue N of a coloured depiction would otherwise fade into the paper.
  const rgb = await open()
    .flatten({ background: "#ffffff" })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height, channels } = rgb.info;
  const grey = { data: Buffer.alloc(width * height) };
  for (let i = 0, j = 0; i < grey.data.length; i++, j += channels) {
    grey.data[i] = channels >= 3 ? Math.min(rgb.data[j], rgb.data[j + 1], rgb.data[j + 2]) : rgb.data[j];
  }
  const stroke = job.measure ? strokeWidth(grey.data, width, height) : null;
  const variants = [];
  for (const v of job.variants ?? []) {
    let scale = v.scale ?? 1;
    if (v.stroke && stroke) scale = v.stroke / stroke;
    scale = Math.min(v.maxScale ?? 4, Math.max(v.minScale ?? 0.1, scale));
    // Never past the side cap (OSRA's time grows fast with pixels).
    scale = Math.min(scale, v.maxSide / Math.max(width, height));
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    let image = sharp(grey.data, { raw: { width, height, channels: 1 } });
    if (w !== width || h !== height) image = image.resize(w, h, { kernel: scale > 1 ? "cubic" : "lanczos3", fit: "fill" });
    // Enlarged glyphs are soft; an unsharp mask (edges only: m1 0) with the variant's radius in original pixels.
    if (v.sharpen && scale > 1) image = image.sharpen({ sigma: Math.min(10, v.sharpen * scale), m1: 0, m2: 3 });
    if (v.pad > 0) image = image.extend({ top: v.pad, bottom: v.pad, left: v.pad, right: v.pad, background: "#ffffff" });
    await image.png({ compressionLevel: 1 }).toFile(v.out);
    variants.push({ out: v.out, width: w, height: h, scale: w / width, pad: v.pad });
  }
  process.stdout.write(`${JSON.stringify({ width, height, stroke, variants })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
