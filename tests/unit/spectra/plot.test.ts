import { describe, expect, it } from "vitest";

import { formatPeak, formatTick, niceTicks, peakDecimals, pickPeakLabels } from "@/lib/spectra/plot";

describe("the spectrum plot's arithmetic", () => {
  it("puts round ticks on a ppm axis and writes them with the decimals their spacing needs", () => {
    const { ticks, step } = niceTicks(-0.478, 15.479, 8);
    expect(step).toBe(2);
    expect(ticks).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
    const zoomed = niceTicks(7.0, 7.2, 8);
    expect(zoomed.step).toBe(0.05);
    expect(zoomed.ticks.map((t) => formatTick(t, zoomed.step))).toEqual(["7.00", "7.05", "7.10", "7.15", "7.20"]);
    expect(formatTick(-0.5, 0.5)).toBe("\u22120.5");
    expect(formatTick(-0.0001, 0.01)).toBe("0.00");
  });

  it("writes peak positions as chemists do: δH to 0.01 ppm, δC to 0.1, wavenumbers whole, integer m/z whole", () => {
    const axis = (unit: string | null) => ({ label: "", unit, reversed: false });
    expect(formatPeak(7.2612, peakDecimals({ x: axis("ppm"), nucleus: "1H", kind: "nmr", peaks: [] }))).toBe("7.26");
    expect(formatPeak(77.16, peakDecimals({ x: axis("ppm"), nucleus: "13C", kind: "nmr", peaks: [] }))).toBe("77.2");
    expect(formatPeak(1601.2, peakDecimals({ x: axis("cm⁻¹"), nucleus: null, kind: "ir", peaks: [] }))).toBe("1601");
    const ms = [{ x: 105, y: 100, assignment: null }];
    expect(formatPeak(105, peakDecimals({ x: axis(null), nucleus: null, kind: "ms", peaks: ms }))).toBe("105");
  });

  it("labels the tallest peaks first and skips those too close to a label already placed", () => {
    const peak = (px: number, prominence: number) => ({ peak: { x: px, y: prominence, assignment: null }, px, prominence });
    const peaks = [peak(100, 5), peak(105, 9), peak(130, 1), peak(300, 7), peak(310, 8), peak(600, 2)];
    expect(pickPeakLabels(peaks, 13, 10).map((p) => p.px)).toEqual([105, 130, 310, 600]);
    expect(pickPeakLabels(peaks, 13, 2).map((p) => p.px)).toEqual([105, 310]);
  });
});
