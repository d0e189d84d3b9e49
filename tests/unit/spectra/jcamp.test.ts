import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";

import { readSharedBytes } from "@/tests/unit/chem/shared-data";
import { toAppError } from "@/lib/errors";
import { readJcamp } from "@/lib/spectra/jcamp";
import { isSpectrumError, SPECTRUM_LIMITS, type SpectrumError, type ParsedSpectrum } from "@/lib/spectra/model";
import { downsample, spectrumView } from "@/lib/spectra/view";
import { fixture, realSpectrum } from "./files";

function refusal(read: () => unknown): SpectrumError {
  try {
    read();
  } catch (error) {
    expect(isSpectrumError(error)).toBe(true);
    return error as SpectrumError;
  }
  throw new Error("expected a SpectrumError");
}

function isAscending(xs: ArrayLike<number>): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[i - 1]!) return false;
  return true;
}

describe("readJcamp on real NMR files", () => {
  it("reads a Bruker 1H spectrum (NTUPLES, compressed): 1H NMR, ppm axis drawn high → low, real part only", () => {
    const s = readJcamp(realSpectrum("aspirin-1h.dx"));
    expect(s).toMatchObject({
      title: "1H BBI",
      kind: "nmr",
      kindLabel: "1H NMR",
      dataType: "NMR SPECTRUM",
      nucleus: "1H",
      solvent: "CDCl3",
      x: { label: "Chemical shift", unit: "ppm", reversed: true },
      y: { label: "Intensity", unit: null, peaksDown: false },
      continuous: true,
      pointCount: 32768,
      peaks: [],
    });
    expect(s.observeFrequencyMHz).toBeCloseTo(300.132250975, 9);
    // The file's ##FIRST= 15.47866 ppm (the spectral window's high end); x is given back ascending.
    expect(s.range.xMax).toBeCloseTo(15.47866, 5);
    expect(s.range.xMin).toBeCloseTo(-0.47806, 5);
    expect(s.xs).toHaveLength(32768);
    expect(isAscending(s.xs)).toBe(true);
  });

  it("turns a 13C spectrum stored in Hz into ppm (MestReNova export of rutin, XUNITS=HZ)", () => {
    const s = readJcamp(realSpectrum("Rutin_3080ug200uL_DMSOd6_13CNMR_400MHz_JDX.jdx"));
    expect(s).toMatchObject({ kind: "nmr", kindLabel: "13C NMR", nucleus: "13C", solvent: "DMSO-D6", x: { unit: "ppm", reversed: true } });
    // The title's first line only; the second is a comment line of the file's ##TITLE=.
    expect(s.title).toBe("Rutin_RUTI01_3080u200u");
    // ##FIRSTX= and ##LASTX= in Hz over ##.OBSERVE FREQUENCY= in MHz.
    expect(s.range.xMax).toBeCloseTo(22678.792958779202 / 100.525303325165, 3);
    expect(s.range.xMin).toBeCloseTo(-2573.7322937460799 / 100.525303325165, 3);
    expect(s.pointCount).toBe(52430);
  });

  it("reads an FID as an NMR FID on a time axis, not reversed", () => {
    const s = readJcamp(realSpectrum("aspirin-1h.fid.dx"));
    expect(s).toMatchObject({
      kind: "nmr-fid",
      kindLabel: "1H NMR FID",
      x: { label: "Time", unit: "s", reversed: false },
      pointCount: 8192,
    });
  });

  it("sends the browser at most 4,000 points that keep every peak's top", () => {
    const s = readJcamp(realSpectrum("Rutin_3080ug200uL_DMSOd6_qHNMR_400MHz_JDX.jdx"));
    const view = spectrumView(s);
    expect(view.points.x.length).toBeLessThanOrEqual(SPECTRUM_LIMITS.maxDisplayPoints);
    expect(view.points.x.length).toBeGreaterThan(3_000);
    expect(isAscending(view.points.x)).toBe(true);
    expect(Math.max(...view.points.y)).toBeCloseTo(s.range.yMax, 6);
    expect(Math.min(...view.points.y)).toBeCloseTo(s.range.yMin, 6);
    expect(view.points.x[0]).toBeCloseTo(s.range.xMin, 5);
    expect(view.points.x.at(-1)).toBeCloseTo(s.range.xMax, 5);
    // Small enough to send (rounded to 8 significant digits).
    expect(JSON.stringify(view).length).toBeLessThan(150_000);
  });

  it("zooms: a window's points lie in the window (one beyond each edge) at full resolution when few", () => {
    const s = readJcamp(realSpectrum("aspirin-1h.dx"));
    const view = spectrumView(s, { from: 7.0, to: 7.2 });
    expect(view.window).toEqual({ from: 7.0, to: 7.2 });
    const inside = view.points.x.slice(1, -1);
    expect(inside.every((x) => x >= 7.0 && x <= 7.2)).toBe(true);
    // 0.2 ppm at 0.000487 ppm per point: every point of the file is sent.
    const fileCount = Array.from(s.xs).filter((x) => x >= 7.0 && x <= 7.2).length;
    expect(inside).toHaveLength(fileCount);
    // A window reaching past the spectrum is clamped to it.
    expect(spectrumView(s, { from: -100, to: 100 }).window).toEqual({ from: s.range.xMin, to: s.range.xMax });
  });
});

describe("readJcamp on IR, MS and UV-Vis", () => {
  it("reads an IR spectrum with its peak table (a LINK file): wavenumbers high → low, bands as minima", () => {
    const s = readJcamp(fixture("polystyrene-film-ir.jdx"));
    expect(s).toMatchObject({
      title: "Polystyrene film, IR (test spectrum)",
      kind: "ir",
      kindLabel: "IR",
      nucleus: null,
      x: { label: "Wavenumber", unit: "cm⁻¹", reversed: true },
      y: { label: "Transmittance", unit: null, peaksDown: true },
      continuous: true,
      pointCount: 1801,
      range: { xMin: 400, xMax: 4000 },
    });
    expect(s.peaks.map((p) => p.x)).toEqual([540, 698, 757, 1028, 1452, 1493, 1601, 2850, 2924, 3026, 3060, 3082]);
    expect(s.peaks.find((p) => p.x === 698)?.y).toBeCloseTo(0.0248, 4);
    // The curve's deepest point is the 698 cm⁻¹ band the peak table names.
    const deepest = s.ys.indexOf(Math.min(...s.ys));
    expect(s.xs[deepest]).toBe(698);
  });

  it("draws a mass spectrum that is only a peak table as sticks, labelled by m/z", () => {
    const s = readJcamp(
      [
        "##TITLE=Methyl benzoate, EI",
        "##JCAMP-DX=5.01",
        "##DATA TYPE=MASS SPECTRUM",
        "##DATA CLASS=PEAK TABLE",
        "##XUNITS=M/Z",
        "##YUNITS=RELATIVE ABUNDANCE",
        "##NPOINTS=4",
        "##PEAK TABLE=(XY..XY)",
        "51,18 77,62 105,100",
        "136,35",
        "##END=",
      ].join("\n"),
    );
    expect(s).toMatchObject({
      kind: "ms",
      kindLabel: "MS",
      continuous: false,
      x: { label: "m/z", unit: null, reversed: false },
      y: { label: "Relative abundance" },
    });
    expect(Array.from(s.xs)).toEqual([51, 77, 105, 136]);
    expect(s.peaks.map((p) => p.x)).toEqual([51, 77, 105, 136]);
  });

  it("reads a UV-Vis ##XYPOINTS table in nm, drawn low → high", () => {
    const s = readJcamp(
      [
        "##TITLE=Caffeine in water",
        "##JCAMP-DX=4.24",
        "##DATA TYPE=UV/VIS SPECTRUM",
        "##XUNITS=NANOMETERS",
        "##YUNITS=ABSORBANCE",
        "##NPOINTS=4",
        "##XYPOINTS=(XY..XY)",
        "240,0.21; 260,0.48",
        "273,0.62; 300,0.08",
        "##END=",
      ].join("\n"),
    );
    expect(s).toMatchObject({
      kind: "uv-vis",
      kindLabel: "UV-Vis",
      continuous: true,
      x: { label: "Wavelength", unit: "nm", reversed: false },
    });
    expect(Array.from(s.xs)).toEqual([240, 260, 273, 300]);
    expect(s.peaks).toEqual([]);
  });

  it("keeps peak assignments and turns a peak table in Hz into ppm", () => {
    const s = readJcamp(
      [
        "##TITLE=Ethyl acetate, 1H peaks",
        "##JCAMP-DX=5.01",
        "##DATA TYPE=NMR PEAK ASSIGNMENTS",
        "##DATA CLASS=ASSIGNMENTS",
        "##.OBSERVE FREQUENCY=400.0",
        "##.OBSERVE NUCLEUS=^1H",
        "##XUNITS=HZ",
        "##YUNITS=ARBITRARY UNITS",
        "##NPOINTS=3",
        "##PEAK ASSIGNMENTS=(XYA)",
        "(1648, 2, <OCH2>)",
        "(808, 3, <C(O)CH3>)",
        "(504, 3, <CH3>)",
        "##END=",
      ].join("\n"),
    );
    expect(s).toMatchObject({ kind: "nmr", kindLabel: "1H NMR", continuous: false, x: { unit: "ppm", reversed: true } });
    expect(s.peaks.map((p) => [p.x, p.assignment])).toEqual([
      [1.26, "CH3"],
      [2.02, "C(O)CH3"],
      [4.12, "OCH2"],
    ]);
  });
});

describe("readJcamp refuses what it cannot draw, with a message a chemist can act on", () => {
  it("refuses a 50 MB file by its size, before reading it", () => {
    const huge = new Uint8Array(50 * 1024 * 1024).fill(0x20);
    const error = refusal(() => readJcamp(huge));
    expect(error.code).toBe("too_large");
    expect(error.message).toBe(
      "This spectrum file is 50.0 MB; spectra up to 5 MB are drawn. Download it to open it in your spectroscopy software, " +
        "or export a smaller JCAMP-DX (one spectrum, compressed).",
    );
    // The API's answer: 422 with the same words.
    expect(toAppError(error)).toMatchObject({ code: "validation_failed", status: 422, message: error.message });
  });

  it("refuses a small file that declares more points than we allocate", () => {
    const error = refusal(() =>
      readJcamp("##TITLE=x\n##JCAMP-DX=5.01\n##DATA TYPE=INFRARED SPECTRUM\n##NPOINTS=100000000\n##XYDATA=(X++(Y..Y))\n1 1\n##END="),
    );
    expect(error.code).toBe("too_large");
    expect(error.message).toMatch(/^This spectrum declares 100,000,000 points; spectra of up to 4,194,304 points are drawn\./);
  });

  it("says a PNG named .jdx is a PNG image", () => {
    const png = new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>')
      .render()
      .asPng();
    const error = refusal(() => readJcamp(new Uint8Array(png)));
    expect(error.code).toBe("not_jcamp");
    expect(error.message).toBe(
      "This file is not a JCAMP-DX spectrum: it is a PNG image. Only JCAMP-DX files (.jdx, .dx) are drawn; the file can still be downloaded.",
    );
  });

  it("says a spectrum exported as CSV is a table of numbers, and what to do", () => {
    const s = readJcamp(realSpectrum("aspirin-1h.dx"));
    const csv = ["ppm,intensity", ...Array.from(s.xs.subarray(0, 50), (x, i) => `${x},${s.ys[i]}`)].join("\n");
    const error = refusal(() => readJcamp(new TextEncoder().encode(csv)));
    expect(error.code).toBe("not_jcamp");
    expect(error.message).toMatch(
      /^This file is not a JCAMP-DX spectrum: it looks like a table of numbers \(CSV or TSV\)\. Export the spectrum as JCAMP-DX/,
    );
  });

  it("refuses other text (a SMILES sheet) and a file that has a title but no JCAMP-DX version", () => {
    const sheet = readSharedBytes("hiv-41k.csv").subarray(0, 4_000);
    expect(refusal(() => readJcamp(sheet)).message).toBe(
      "This file is not a JCAMP-DX spectrum: a JCAMP-DX file starts with “##TITLE=”. Only JCAMP-DX files (.jdx, .dx) are drawn; the file can still be downloaded.",
    );
    expect(refusal(() => readJcamp("##TITLE=notes\n##OWNER=me\n##END=\n")).message).toMatch(/has no “##JCAMP-DX=” line naming its version/);
    expect(refusal(() => readJcamp("##OWNER=me\n##TITLE=x\n")).message).toMatch(
      /starts with “##TITLE=”, and this one starts with “##OWNER=”/,
    );
  });

  it("refuses 2D NMR before parsing it, and a JCAMP-DX file with no spectrum in it", () => {
    const twoD = "##TITLE=HSQC\n##JCAMP-DX=6.0\n##DATA TYPE=nD NMR SPECTRUM\n##NUMDIM=2\n##END=";
    expect(refusal(() => readJcamp(twoD))).toMatchObject({
      code: "unsupported",
      message: expect.stringMatching(/^This is a 2D NMR spectrum/) as unknown,
    });
    expect(refusal(() => readJcamp("##TITLE=empty\n##JCAMP-DX=5.01\n##DATA TYPE=INFRARED SPECTRUM\n##END="))).toMatchObject({
      code: "no_data",
    });
  });
});

describe("downsample", () => {
  it("keeps a one-point spike among 100,000 points, and never sends more than asked", () => {
    const n = 100_000;
    const xs = Float64Array.from({ length: n }, (_, i) => i / 1000);
    const ys = Float64Array.from({ length: n }, (_, i) => (i === 54_321 ? 1_000 : Math.sin(i / 50)));
    const out = downsample(xs, ys, { from: 0, to: xs[n - 1]! }, 4_000);
    expect(out.x.length).toBeLessThanOrEqual(4_000);
    expect(out.y).toContain(1_000);
    expect(out.x[out.y.indexOf(1_000)]).toBe(54.321);
    expect(out.x[0]).toBe(0);
    expect(out.x.at(-1)).toBe(99.999);
  });

  it("sends only the nearest point for a window beside the data", () => {
    const spectrum = readJcamp(fixture("polystyrene-film-ir.jdx")) satisfies ParsedSpectrum;
    expect(downsample(spectrum.xs, spectrum.ys, { from: 5000, to: 6000 }).x).toEqual([spectrum.range.xMax]);
  });
});
