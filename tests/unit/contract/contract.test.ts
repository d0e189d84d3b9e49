// The API's contract: one route table, its schemas, the property table, and the OpenAPI document written from them.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/contract/openapi";
import { listMoleculesQuery, moleculeTableQuery, registerMoleculeInput } from "@/lib/contract/molecules";
import { routes } from "@/lib/contract/routes";
import { searchQuery } from "@/lib/contract/search";
import type { AppError } from "@/lib/errors";
import { moleculeProperties, propertyKeys, searchPropertyKeys } from "@/lib/molecules/properties";
import { parseInput } from "@/lib/validation";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const doc = buildOpenApiDocument();

describe("the route table", () => {
  it("has one operation per route handler export under app/api/v1, and every handler is built from its spec", () => {
    const dir = path.join(root, "app", "api", "v1");
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => path.basename(f) === "route.ts");
    const specs = Object.values(routes).map((r) => `${r.method} ${r.path}`);
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), "utf8");
      const route = "/api/v1/" + path.dirname(file).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}");
      for (const m of text.matchAll(/export const (GET|POST|PATCH|DELETE) = (\w+)\((?:routes\.(\w+))?/g)) {
        if (route === "/api/v1/openapi.json") continue; // a static answer
        expect(m[2], `${m[1]} ${route} uses apiRoute`).toBe("apiRoute");
        const spec = routes[m[3] as keyof typeof routes];
        expect(`${spec.method} ${spec.path}`, `${file}: ${m[1]} takes the spec of its own path`).toBe(`${m[1]} ${route}`);
      }
    }
    expect(new Set(specs).size).toBe(specs.length);
    expect(new Set(Object.values(routes).map((r) => r.operationId)).size).toBe(specs.length);
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 whose every $ref names a component, and whose components are each used", () => {
    expect(doc.openapi).toBe("3.1.0");
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]!));
    expect([...refs].sort()).toEqual(Object.keys(doc.components.schemas).sort());
    expect(text).not.toContain("#/$defs/");
  });

  it("compiles with ajv (JSON Schema 2020-12) and checks answers strictly: no member the schema does not name", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, "doc");
    const molecule = ajv.compile({ $ref: "doc#/components/schemas/Molecule" });
    const properties = Object.fromEntries(propertyKeys.map((k) => [k, 1]));
    const valid = {
      id: "OSM-S-1",
      campaign: "c",
      name: null,
      aliases: [],
      series: null,
      status: "active",
      parkReason: null,
      parent: null,
      smiles: "C",
      inputSmiles: "C",
      idcode: "x",
      inchi: null,
      inchikey: null,
      formula: "CH4",
      properties,
      potency: [],
      registeredBy: "a",
      createdAt: new Date(0).toISOString(),
      license: "CC-BY-4.0",
      licenseUrl: "https://creativecommons.org/licenses/by/4.0/",
      url: "https://example.org/molecules/OSM-S-1",
      links: null,
    };
    expect(molecule(valid), ajv.errorsText(molecule.errors)).toBe(true);
    expect(molecule({ ...valid, surprise: 1 })).toBe(false);
    expect(molecule({ ...valid, properties: { ...properties, mw: 1 } })).toBe(false);
    const { averageMass: _gone, ...missing } = properties;
    expect(molecule({ ...valid, properties: missing })).toBe(false);
  });

  it("describes requests as clients send them: defaults optional, limits from the code that enforces them", () => {
    const register = doc.paths["/api/v1/molecules"]!.post!.requestBody as { content: Record<string, { schema: { required: string[]; properties: Record<string, { description?: string; default?: unknown }> } }> };
    const body = register.content["application/json"]!.schema;
    expect(body.required).toEqual(["campaign"]);
    expect(body.properties.compare!.default).toBe("exact");
    expect(body.properties.smiles!.description).toBe("at most 2,000 characters");
    const search = doc.paths["/api/v1/search/molecules"]!.get!.parameters as { name: string; required: boolean }[];
    expect(search.filter((p) => p.required).map((p) => p.name)).toEqual(["q"]);
    expect(search.map((p) => p.name)).toEqual(expect.arrayContaining(searchPropertyKeys.flatMap((k) => [`${k}Min`, `${k}Max`])));
    const download = doc.paths["/api/v1/search/molecules/export.csv"]!.get!.parameters as { name: string }[];
    expect(download.map((p) => p.name)).not.toContain("cursor");
  });
});

describe("the property table", () => {
  it("gives every property one key, one column and a label, and the API schema one member per property", () => {
    expect(new Set(moleculeProperties.map((p) => p.key)).size).toBe(moleculeProperties.length);
    expect(new Set(moleculeProperties.map((p) => p.column)).size).toBe(moleculeProperties.length);
    const schema = doc.components.schemas.MoleculeProperties as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(propertyKeys);
    expect(schema.required).toEqual(propertyKeys);
  });

  it("reads earlier spellings of a property in parameters as its key, and refuses names it does not know", () => {
    const search = parseInput(searchQuery, { q: "c1ccccc1", sort: "-mw", mwMin: "100", mwMax: "300" });
    expect(search).toMatchObject({ sort: "-averageMass", averageMassMin: 100, averageMassMax: 300 });
    expect(parseInput(searchQuery, { q: "C", sort: "-averageMass", averageMassMin: "5" })).toMatchObject({ sort: "-averageMass", averageMassMin: 5 });
    expect(parseInput(listMoleculesQuery, { sort: "-mass" }).sort).toBe("-averageMass");
    expect(parseInput(listMoleculesQuery, { sort: "heavyAtoms" }).sort).toBe("heavyAtoms");
    expect(parseInput(moleculeTableQuery, { property: "mw", max: "350" })).toMatchObject({ property: "averageMass", max: 350 });
    const refused = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error as AppError;
      }
      throw new Error("expected a refusal");
    };
    expect(refused(() => parseInput(searchQuery, { q: "C", sort: "weight" })).message).toMatch(/^sort: must be one of relevance, averageMass/);
    expect(refused(() => parseInput(listMoleculesQuery, { sort: "-weight" })).message).toMatch(/^sort: must be one of id, name, created, averageMass/);
    // The table only filters on its own columns: a property it does not show is refused.
    expect(refused(() => parseInput(moleculeTableQuery, { property: "charge", min: "0" })).message).toMatch(/^property: must be one of averageMass/);
  });

  it("keeps the registration body strict: a member the contract does not name is a 422 naming it", () => {
    const error = (() => {
      try {
        parseInput(registerMoleculeInput, { campaign: "c", smiles: "C", averageMass: 12 });
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error?.code).toBe("validation_failed");
    expect(error?.details?.fields).toHaveProperty("(body)");
  });
});
