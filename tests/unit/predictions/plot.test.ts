import { describe, expect, it } from "vitest";
import {
  boundDirection,
  formatDecimal,
  formatMolar,
  linearScale,
  linearTicks,
  logTicks,
  molarText,
  molarUnit,
  potencyText,
  potencyAxis,
  residualPoints,
  scatterPoints,
  squareDomain,
} from "@/lib/predictions/plot";

describe("formatting", () => {
  it("shows concentrations with three significant figures and pIC50s with two decimals", () => {
    expect(formatMolar(0.8)).toBe("0.8");
    expect(formatMolar(0.057412)).toBe("0.0574");
    expect(formatMolar(1234.5)).toBe("1230");
    expect(formatDecimal(6.1)).toBe("6.10");
    expect(formatDecimal(-0.456)).toBe("−0.46");
    expect(formatDecimal(-0.001)).toBe("0.00");
    expect(formatDecimal(null)).toBe("—");
    expect(formatDecimal(Number.NaN)).toBe("—");
  });

  it("finds the assay's molar unit and writes a pIC50 in it", () => {
    expect(molarUnit(["µg/mL", "µM"])).toBe("µM");
    expect(molarUnit([])).toBeNull();
    expect(molarText(6.1, "µM")).toBe("0.794 µM");
    expect(molarText(7, "nM")).toBe("100 nM");
    expect(molarText(6, null)).toBeNull();
    expect(molarText(6, "pIC50")).toBeNull();
  });

  it("writes a measured bound the way round chemists write it", () => {
    expect(potencyText(5, "<", "µM")).toBe("> 10 µM");
    expect(potencyText(7, ">", "µM")).toBe("< 0.1 µM");
    expect(potencyText(6.3, "=", "µM")).toBe("0.501 µM");
    expect(potencyText(5, "<", null)).toBe("< 5.00");
  });
});

describe("potencyAxis", () => {
  it("puts a molar assay on log10 of its unit, decreasing with potency", () => {
    const axis = potencyAxis("Pfal IC50", "µM");
    expect(axis.title).toBe("Pfal IC50 (µM), log scale");
    expect(axis.increasing).toBe(false);
    expect(axis.coord(6)).toBeCloseTo(0, 12); // 1 µM
    expect(axis.coord(7)).toBeCloseTo(-1, 12); // 0.1 µM
    expect(axis.ticks(-1, 1).map((t) => t.label)).toEqual(["0.1", "0.2", "0.5", "1", "2", "5", "10"]);
  });

  it("keeps pIC50 for an assay without a molar unit", () => {
    const axis = potencyAxis("hERG pKi", null);
    expect(axis.title).toBe("hERG pKi as pIC50");
    expect(axis.increasing).toBe(true);
    expect(axis.coord(6.5)).toBe(6.5);
    expect(axis.ticks(4, 8).map((t) => t.label)).toEqual(["4", "5", "6", "7", "8"]);
  });
});

describe("ticks and domains", () => {
  it("ticks every decade on a wide log axis, 1-2-5 on a narrow one", () => {
    expect(logTicks(-3, 2)).toEqual([-3, -2, -1, 0, 1, 2]);
    expect(logTicks(-0.5, 0.5).map((t) => Number(t.toFixed(3)))).toEqual([-0.301, 0, 0.301]);
  });

  it("ticks a linear axis at round steps", () => {
    expect(linearTicks(-1, 1)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(linearTicks(0, 12)).toEqual([0, 2, 4, 6, 8, 10, 12]);
  });

  it("makes a padded square domain of at least the minimum span", () => {
    expect(squareDomain([5.2, 6.9])).toEqual([4.5, 7.5]);
    expect(squareDomain([6, 6])).toEqual([4.5, 7.5]);
    expect(squareDomain([])).toEqual([0, 2]);
    expect(squareDomain([3, 9])).toEqual([2.5, 9.5]);
  });

  it("maps a domain onto pixels, reversed for a y axis", () => {
    const y = linearScale([0, 10], [300, 0]);
    expect(y(0)).toBe(300);
    expect(y(10)).toBe(0);
    expect(y(2.5)).toBe(225);
  });
});

describe("points", () => {
  const rows = [
    { label: "OSM-S-1", pic50: 6.5, observed: { pic50: 6, qualifier: "=" as const } },
    { label: "OSM-S-2", pic50: 5.5, observed: { pic50: 5, qualifier: "<" as const } }, // IC50 > 10 µM
    { label: "OSM-S-3", pic50: 7, observed: { pic50: 7.5, qualifier: ">" as const } },
    { label: "OSM-S-4", pic50: 6, observed: null },
  ];

  it("points a bound's triangle where its true value lies, on either axis kind", () => {
    const molar = potencyAxis("Pfal IC50", "µM");
    const pic50 = potencyAxis("Pfal pIC50", null);
    // "< 5" in pIC50 is weaker: a higher IC50 (right on a molar axis), a lower pIC50 (left).
    expect(boundDirection("<", molar)).toBe("right");
    expect(boundDirection("<", pic50)).toBe("left");
    expect(boundDirection(">", molar)).toBe("left");
    expect(boundDirection(">", pic50)).toBe("right");
    expect(boundDirection("=", molar)).toBeNull();
  });

  it("plots the scored rows only, measured across and predicted up", () => {
    const { points, domain } = scatterPoints(rows, potencyAxis("Pfal IC50", "µM"));
    expect(points.map((p) => p.label)).toEqual(["OSM-S-1", "OSM-S-2", "OSM-S-3"]);
    expect(points[0]!.x).toBeCloseTo(0, 12);
    expect(points[0]!.y).toBeCloseTo(-0.5, 12);
    expect(points[1]!.bound).toBe("right");
    expect(domain).toEqual([-2, 1.5]);
  });

  it("takes residuals of exact results only, predicted minus measured", () => {
    const { points, yDomain } = residualPoints(rows, potencyAxis("Pfal IC50", "µM"));
    expect(points).toEqual([{ label: "OSM-S-1", href: null, x: 0, residual: 0.5 }]);
    expect(yDomain).toEqual([-1, 1]);
    const wide = residualPoints([{ label: "x", pic50: 8.2, observed: { pic50: 6, qualifier: "=" } }], potencyAxis("Pfal IC50", "µM"));
    expect(wide.yDomain).toEqual([-2.5, 2.5]);
  });

  it("is empty, not broken, when nothing is scored yet", () => {
    const none = [{ label: "a", pic50: 6, observed: null }];
    expect(scatterPoints(none, potencyAxis("Pfal IC50", "µM")).points).toEqual([]);
    expect(residualPoints(none, potencyAxis("Pfal IC50", "µM"))).toEqual({ points: [], xDomain: [0, 1], yDomain: [-1, 1] });
  });
});
