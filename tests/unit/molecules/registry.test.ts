import { describe, expect, it } from "vitest";
import { ChemError } from "@/lib/chem/errors";
import { AppError, toAppError } from "@/lib/errors";
import { registerMoleculeInput } from "@/lib/contract/molecules";
import { campaignCode } from "@/lib/molecules/input";
import { canonicalCode } from "@/lib/molecules/campaign-id";
import { defaultPrefixes } from "@/lib/molecules/registry-prefix";

describe("campaign ID prefixes and spellings", () => {
  it("derives a default prefix from the slug, with numbered fallbacks", () => {
    expect(defaultPrefixes("osm")[0]).toBe("OSM");
    expect(defaultPrefixes("series-4")[0]).toBe("SERIES4");
    expect(defaultPrefixes("4-antimalarials-and-more")[0]).toBe("ANTIMALARIAL");
    expect(defaultPrefixes("osm").slice(1, 3)).toEqual(["OSM2", "OSM3"]);
    expect(defaultPrefixes("12")[0]).toBe("C");
    for (const prefix of defaultPrefixes("a-very-long-campaign-slug")) expect(prefix).toMatch(/^[A-Z][A-Z0-9]{0,11}$/);
  });

  it("reads an ID in any case in its one spelling", () => {
    expect(canonicalCode(" osm-s-12 ")).toBe("OSM-S-12");
    expect(canonicalCode("OSM-S-012")).toBeNull();
    expect(campaignCode.parse("osm-a-1")).toBe("OSM-A-1");
    expect(campaignCode.safeParse("OSM-1").success).toBe(false);
  });

  it("validates registration input: compare mode, aliases, site", () => {
    expect(registerMoleculeInput.parse({ campaign: "osm", smiles: "CCO", site: "s" })).toMatchObject({
      compare: "exact",
      aliases: [],
      site: "S",
    });
    expect(registerMoleculeInput.safeParse({ campaign: "osm", smiles: "CCO", compare: "similar" }).success).toBe(false);
    expect(registerMoleculeInput.safeParse({ campaign: "osm", smiles: "CCO", aliases: ["a\nb"] }).success).toBe(false);
    expect(registerMoleculeInput.safeParse({ campaign: "osm", smiles: "CCO", extra: 1 }).success).toBe(false);
  });
});

describe("toAppError", () => {
  it("maps each chemistry failure to the status the API answers with", () => {
    const status = (code: ChemError["code"]) => (toAppError(new ChemError(code, "x", { field: "smiles" })) as AppError).status;
    expect(status("invalid_structure")).toBe(422);
    expect(status("too_large")).toBe(413);
    expect(status("timeout")).toBe(422);
    expect(status("worker_failed")).toBe(503);
    expect((toAppError(new ChemError("invalid_structure", "bad", { field: "smiles" })) as AppError).details).toEqual({
      fields: { smiles: "bad" },
    });
    expect(status("crashed")).toBe(422);
    expect(status("aborted")).toBe(499);
    expect(toAppError(new Error("boom"))).toBeNull();
  });

  it("knows an error by its brand, not its class: a copy from another bundle maps the same", () => {
    // What a ChemError thrown by another bundle's copy of the class looks like here.
    const foreign = Object.assign(new Error("dangling ring closure"), { name: "ChemError", code: "invalid_structure", field: "smiles" });
    expect(toAppError(foreign)).toMatchObject({ code: "validation_failed", details: { fields: { smiles: "dangling ring closure" } } });
    const app = Object.assign(new Error("gone"), { name: "AppError", code: "not_found" });
    expect(toAppError(app)).toBe(app);
    expect(toAppError(Object.assign(new Error("x"), { name: "AppError", code: "no_such_code" }))).toBeNull();
    expect(toAppError(Object.assign(new Error("took too long"), { name: "SearchTimeout" }))).toMatchObject({
      code: "validation_failed",
      details: { fields: { q: "took too long" }, timeout: true },
    });
    // A NUL byte that reached PostgreSQL, wrapped by the query builder.
    const database = Object.assign(new Error("Failed query"), { cause: Object.assign(new Error("invalid byte sequence"), { code: "22021" }) });
    expect(toAppError(database)).toBeInstanceOf(AppError);
    expect(toAppError(database)?.status).toBe(422);
  });
});
