// Over 400 lines on purpose: the whole API described in one document, each path and schema once.
import { errorStatus } from "@/lib/errors";

/** The OpenAPI 3.1 description of /api/v1. A test checks every route here exists and answers as described. */
const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: Object.keys(errorStatus) },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" } },
        current: { $ref: "#/components/schemas/RevisionSummary" },
        existing: {
          type: "object",
          description: "409 on a molecule: the molecule that already has this structure, ID or alias",
          properties: { id: { type: "string" }, name: { type: ["string", "null"] }, path: { type: "string" } },
        },
        compare: { enum: ["exact", "no-stereo", "parent"] },
        timeout: { type: "boolean", description: "422 on a search: it was stopped at its time limit (10 s)" },
        assays: { type: "array", items: { type: "string" }, description: "422 on an unknown assay: the assays measured there" },
      },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: STATUS[c], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]));

const STATUS: Record<number, string> = {
  400: "Bad request (malformed JSON, bad query parameter)",
  401: "Not signed in, or a bad token",
  403: "Signed in but not allowed",
  404: "Not found",
  409: "Conflict: stale baseRevision (the error carries `current`), duplicate slug, a structure, ID or alias already registered (the error carries `existing`)",
  413: "Body too large (or a SMILES over 2,000 characters, a molfile over 200 kB)",
  415: "Body is not JSON",
  422: "Validation failed: `fields` names each bad field",
  429: "Rate limited: see Retry-After",
  503: "The chemistry toolkit is unavailable; try again later",
  431: "The URL and headers are larger than 16 kB",
};

const json = (schema: object) => ({ content: { "application/json": { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const idParam = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
/** The parameters of a structure search, shared by the search and its downloads. */
const searchParameters = [
  { name: "q", in: "query", required: true, schema: { type: "string", maxLength: 2000 }, description: "SMILES, or SMARTS for substructure search" },
  { name: "mode", in: "query", schema: { enum: ["exact", "substructure", "similarity"], default: "substructure" } },
  { name: "threshold", in: "query", schema: { type: "number", minimum: 0.05, maximum: 1, default: 0.5 }, description: "similarity: lowest Tanimoto similarity; hits come best first, so limit gives the top k" },
  { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 50 } },
  { name: "cursor", in: "query", schema: { type: "string" }, description: "the cursor of the previous page" },
  { name: "campaign", in: "query", schema: { type: "string" }, description: "campaign slug" },
  { name: "status", in: "query", schema: { enum: ["active", "parked", "any"], default: "active" } },
  { name: "total", in: "query", schema: { enum: ["true", "false"], default: "true" }, description: "false: answer the first page without counting every hit (total is then null)" },
  { name: "mwMin", in: "query", schema: { type: "number" }, description: "lowest average mass" },
  { name: "mwMax", in: "query", schema: { type: "number" } },
  { name: "clogpMin", in: "query", schema: { type: "number" } },
  { name: "clogpMax", in: "query", schema: { type: "number" } },
  { name: "assay", in: "query", schema: { type: "string", maxLength: 300 }, description: "an assay column for potency and sort=potency: its key (\"Pfal IC50|µM\"), the label the pages show (\"Pfal IC50 (µM)\") or the assay alone when it has one unit, any case; an assay without measurements is a 422 listing the ones there are" },
  { name: "potency", in: "query", schema: { type: "number" }, description: "with assay: molecules whose best value is at least this potent (≤ for IC50-like endpoints, ≥ for pIC50 and % inhibition; a bound on the weak side such as '>10' does not qualify)" },
  { name: "sort", in: "query", schema: { enum: ["relevance", "mw", "-mw", "clogp", "-clogp", "potency"], default: "relevance" }, description: "relevance: registration order (substructure, exact) or similarity, best first; mw, clogp ascending, -mw, -clogp descending; potency: most potent in the assay first. Molecules without the value come last. Sorting reads every hit: at most 100,000." },
];
/** A download holds every hit: no page size, cursor or count. */
const searchExportParameters = searchParameters.filter((p) => !["limit", "cursor", "total"].includes(p.name));

const slugParam = { name: "slug", in: "path", required: true, schema: { type: "string" } };
const moleculeParam = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string" },
  description: "the molecule's campaign ID like OSM-S-123 (any case), its numeric key, or an alias held by one molecule only",
};
const nullableString = { type: ["string", "null"] };

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Open Notebook API",
    version: "1",
    description:
      "Public lab notebook of open drug-discovery campaigns. Reads need no account. Writes need `Authorization: Bearer <token>` (create tokens on /settings or with `npm run admin -- create-token`).",
  },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: { token: { type: "http", scheme: "bearer" } },
    schemas: {
      Error: error,
      Campaign: {
        type: "object",
        required: ["slug", "name", "description", "createdAt", "url"],
        properties: {
          slug: { type: "string" },
          name: { type: "string" },
          description: { type: "string" },
          createdAt: { type: "string", format: "date-time" },
          entryCount: { type: "integer" },
          memberCount: { type: "integer" },
          lastWorkDate: { type: ["string", "null"], format: "date" },
          url: { type: "string", format: "uri" },
        },
      },
      Member: {
        type: "object",
        required: ["login", "role", "since"],
        properties: { login: { type: "string" }, name: { type: ["string", "null"] }, role: { enum: ["maintainer", "member"] }, since: { type: "string", format: "date-time" } },
      },
      Entry: {
        type: "object",
        required: ["id", "campaign", "date", "title", "body", "author", "revisionId", "revisionNumber", "createdAt", "updatedAt", "deleted", "url"],
        properties: {
          id: { type: "integer" },
          campaign: { type: "string", description: "campaign slug" },
          date: { type: "string", format: "date", description: "date of the work (not the server's time of writing)" },
          title: { type: "string", maxLength: 200 },
          body: { type: "string", description: "markdown", maxLength: 500000 },
          author: { type: "string" },
          revisionId: { type: "integer", description: "id of the current revision: send it as baseRevision when editing" },
          revisionNumber: { type: "integer" },
          createdAt: { type: "string", format: "date-time" },
          updatedAt: { type: "string", format: "date-time" },
          deleted: { type: "boolean" },
          url: { type: "string", format: "uri" },
          snippet: { type: "string", description: "search only: matching passage, matches between « and »" },
          rank: { type: "number", description: "search only" },
          changed: { type: "boolean", description: "PATCH only: false when the save changed nothing" },
        },
      },
      Revision: {
        type: "object",
        required: ["id", "entryId", "number", "title", "body", "author", "createdAt", "url"],
        properties: {
          id: { type: "integer" },
          entryId: { type: "integer" },
          number: { type: "integer" },
          title: { type: "string" },
          body: { type: "string" },
          message: { type: ["string", "null"] },
          author: { type: "string" },
          createdAt: { type: "string", format: "date-time" },
          url: { type: "string", format: "uri" },
        },
      },
      RevisionSummary: {
        type: "object",
        properties: { revisionId: { type: "integer" }, number: { type: "integer" }, title: { type: "string" }, body: { type: "string" }, author: { type: "string" }, createdAt: { type: "string" } },
      },
      Attachment: {
        type: "object",
        required: ["id", "entryId", "filename", "contentType", "size", "sha256", "createdAt", "url"],
        properties: {
          id: { type: "integer" },
          entryId: { type: "integer" },
          filename: { type: "string" },
          contentType: { type: "string" },
          size: { type: "integer", maximum: 10485760 },
          sha256: { type: "string" },
          createdAt: { type: "string", format: "date-time" },
          url: { type: "string", format: "uri" },
        },
      },
      Potency: {
        type: "object",
        description: "Best value per assay and target (labs pooled). Lower is better for IC50-like endpoints (smallest '=' or '<' value; only '>' bounds → the highest bound); higher is better for pIC50 and % inhibition. Molar units are compared in µM.",
        required: ["label", "assay", "value", "qualifier", "count"],
        properties: {
          label: { type: "string", examples: ["Pfal (K1) IC50"] },
          assay: { type: "string" },
          target: nullableString,
          value: { type: "number" },
          unit: nullableString,
          qualifier: { enum: ["=", "<", ">"] },
          count: { type: "integer" },
        },
      },
      Molecule: {
        type: "object",
        required: ["id", "campaign", "name", "aliases", "status", "smiles", "idcode", "inchikey", "formula", "properties", "potency", "registeredBy", "createdAt", "url"],
        properties: {
          id: { type: "string", description: "campaign ID, <PREFIX>-<site>-<n>", examples: ["OSM-S-123"] },
          campaign: { type: "string", description: "campaign slug" },
          name: nullableString,
          aliases: { type: "array", items: { type: "string" } },
          series: nullableString,
          status: { enum: ["active", "parked"] },
          parkReason: nullableString,
          parent: { ...nullableString, description: "ID of the molecule this is a batch or salt form of" },
          smiles: { type: "string", description: "canonical isomeric SMILES (OpenChemLib)" },
          inputSmiles: { ...nullableString, description: "the SMILES as registered; null when a molfile was given" },
          idcode: { type: "string", description: "OpenChemLib idcode: the registry's identity key" },
          inchi: nullableString,
          inchikey: { ...nullableString, description: "null when no standard InChI can be computed (e.g. carboranes)" },
          formula: { type: "string" },
          properties: {
            type: "object",
            properties: Object.fromEntries(["averageMass", "monoisotopicMass", "clogp", "tpsa", "hbd", "hba", "rotatableBonds", "lipinskiViolations", "heavyAtoms", "charge"].map((k) => [k, { type: "number" }])),
          },
          potency: { type: "array", items: ref("Potency") },
          registeredBy: { type: "string" },
          createdAt: { type: "string", format: "date-time" },
          url: { type: "string", format: "uri" },
          links: { type: ["object", "null"], properties: { pubchem: { type: "string", format: "uri" }, chembl: { type: "string", format: "uri" } } },
          molfile: { type: "string", description: "single molecule only" },
          forms: { type: "array", items: { type: "string" }, description: "single molecule only: IDs of its batch and salt forms" },
          warnings: { type: "array", items: { type: "string" }, description: "registration only, e.g. no InChI could be computed" },
          mentionedIn: {
            type: "array",
            description: "single molecule only: entries that mention it by ID or by an alias that is an ID",
            items: { type: "object", properties: { id: { type: "integer" }, title: { type: "string" }, date: { type: "string", format: "date" }, campaign: { type: "string" }, author: { type: "string" }, url: { type: "string", format: "uri" } } },
          },
        },
      },
      Measurement: {
        type: "object",
        required: ["id", "molecule", "assay", "value", "qualifier", "addedBy", "createdAt"],
        properties: {
          id: { type: "integer" },
          molecule: { type: "string" },
          assay: { type: "string", examples: ["IC50"] },
          target: nullableString,
          lab: nullableString,
          value: { type: "number" },
          unit: nullableString,
          qualifier: { enum: ["=", "<", ">"] },
          measuredOn: { type: ["string", "null"], format: "date" },
          entry: { type: ["object", "null"], properties: { id: { type: "integer" }, url: { type: "string", format: "uri" } } },
          addedBy: { type: "string" },
          createdAt: { type: "string", format: "date-time" },
        },
      },
      RowMessage: {
        type: "object",
        required: ["row", "message"],
        properties: { row: { type: "integer", description: "as a spreadsheet numbers it: header = 1; SDF: record number" }, column: { type: "string" }, message: { type: "string" } },
      },
      ImportResult: {
        type: "object",
        required: ["imported", "unchanged", "failed", "errors", "warnings", "registered", "measurementsAdded"],
        properties: {
          imported: { type: "integer", description: "rows that registered a molecule or added an alias or measurement" },
          unchanged: { type: "integer", description: "rows already stored as they are" },
          failed: { type: "integer", description: "rows not imported (nothing of them stored)" },
          errors: { type: "array", items: ref("RowMessage") },
          warnings: { type: "array", items: ref("RowMessage") },
          registered: { type: "integer" },
          measurementsAdded: { type: "integer" },
        },
      },
      Registry: {
        type: "object",
        required: ["campaign", "prefix", "defaultSite", "saved", "counters"],
        properties: {
          campaign: { type: "string" },
          prefix: { type: "string", pattern: "^[A-Z][A-Z0-9]{0,11}$" },
          defaultSite: { type: "string", pattern: "^[A-Z]$" },
          saved: { type: "boolean", description: "false while the campaign uses the default from its slug" },
          counters: { type: "array", items: { type: "object", properties: { prefix: { type: "string" }, site: { type: "string" }, next: { type: "integer" } } } },
        },
      },
    },
  },
  paths: {
    "/api/v1/campaigns": {
      get: { summary: "List campaigns", responses: { "200": { description: "Campaigns", ...json({ type: "object", properties: { campaigns: { type: "array", items: ref("Campaign") } } }) } } },
      post: {
        summary: "Start a campaign (the caller becomes its maintainer)",
        security: [{ token: [] }],
        requestBody: json({ type: "object", required: ["name", "slug"], additionalProperties: false, properties: { name: { type: "string", maxLength: 120 }, slug: { type: "string", pattern: "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$" }, description: { type: "string" } } }),
        responses: { "201": { description: "Created", ...json(ref("Campaign")) }, ...errors(400, 401, 409, 413, 415, 422, 429) },
      },
    },
    "/api/v1/campaigns/{slug}": {
      get: { summary: "A campaign and its members", parameters: [slugParam], responses: { "200": { description: "Campaign", ...json({ allOf: [ref("Campaign"), { type: "object", properties: { members: { type: "array", items: ref("Member") } } }] }) }, ...errors(404) } },
    },
    "/api/v1/campaigns/{slug}/members": {
      post: {
        summary: "Add a member or change a role (maintainers only)",
        security: [{ token: [] }],
        parameters: [slugParam],
        requestBody: json({ type: "object", required: ["login", "role"], properties: { login: { type: "string" }, role: { enum: ["maintainer", "member"] } } }),
        responses: { "201": { description: "Membership", ...json(ref("Member")) }, ...errors(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    "/api/v1/entries": {
      get: {
        summary: "List entries, newest work first; with q, full-text search ranked by relevance",
        parameters: [
          { name: "campaign", in: "query", schema: { type: "string" } },
          { name: "q", in: "query", schema: { type: "string", maxLength: 200 }, description: "web-search syntax: words, \"phrases\", -excluded" },
          { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
          { name: "perPage", in: "query", schema: { type: "integer", minimum: 1, maximum: 100 } },
        ],
        responses: { "200": { description: "A page of entries", ...json({ type: "object", properties: { entries: { type: "array", items: ref("Entry") }, page: { type: "integer" }, perPage: { type: "integer" }, hasMore: { type: "boolean" } } }) }, ...errors(400, 404) },
      },
      post: {
        summary: "Write an entry (members of the campaign)",
        security: [{ token: [] }],
        requestBody: json({ type: "object", required: ["campaign", "date", "title"], additionalProperties: false, properties: { campaign: { type: "string" }, date: { type: "string", format: "date" }, title: { type: "string", maxLength: 200 }, body: { type: "string", maxLength: 500000 }, message: { type: "string" } } }),
        responses: { "201": { description: "Created", ...json(ref("Entry")) }, ...errors(400, 401, 403, 404, 413, 415, 422, 429) },
      },
    },
    "/api/v1/entries/{id}": {
      get: { summary: "An entry", parameters: [idParam], responses: { "200": { description: "Entry", ...json(ref("Entry")) }, ...errors(404) } },
      patch: {
        summary: "Save a new revision (author or maintainer); 409 when baseRevision is not the current revision",
        security: [{ token: [] }],
        parameters: [idParam],
        requestBody: json({ type: "object", required: ["baseRevision"], additionalProperties: false, properties: { title: { type: "string" }, body: { type: "string" }, date: { type: "string", format: "date" }, message: { type: "string", maxLength: 500 }, baseRevision: { type: "integer" } } }),
        responses: { "200": { description: "Saved", ...json(ref("Entry")) }, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      },
      delete: { summary: "Soft-delete (history kept; a maintainer can restore)", security: [{ token: [] }], parameters: [idParam], responses: { "200": { description: "Deleted", ...json(ref("Entry")) }, ...errors(401, 403, 404, 429) } },
    },
    "/api/v1/entries/{id}/restore": {
      post: { summary: "Undo a delete (maintainers)", security: [{ token: [] }], parameters: [idParam], responses: { "200": { description: "Restored", ...json(ref("Entry")) }, ...errors(401, 403, 404, 429) } },
    },
    "/api/v1/entries/{id}/revisions": {
      get: { summary: "Every revision, newest first", parameters: [idParam], responses: { "200": { description: "Revisions", ...json({ type: "object", properties: { revisions: { type: "array", items: ref("Revision") } } }) }, ...errors(404) } },
    },
    "/api/v1/entries/{id}/attachments": {
      get: { summary: "Files attached to an entry", parameters: [idParam], responses: { "200": { description: "Attachments", ...json({ type: "object", properties: { attachments: { type: "array", items: ref("Attachment") } } }) }, ...errors(404) } },
      post: {
        summary: "Attach a file (≤ 10 MB): multipart field `file`, or the raw bytes with ?filename=",
        security: [{ token: [] }],
        parameters: [idParam, { name: "filename", in: "query", schema: { type: "string" } }],
        requestBody: { content: { "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" } } } }, "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
        responses: { "201": { description: "Stored", ...json(ref("Attachment")) }, ...errors(400, 401, 403, 404, 409, 413, 422, 429) },
      },
    },
    "/api/v1/campaigns/{slug}/registry": {
      get: { summary: "How the campaign numbers its molecules", parameters: [slugParam], responses: { "200": { description: "Settings", ...json(ref("Registry")) }, ...errors(404) } },
      patch: {
        summary: "Set the ID prefix and default site letter (maintainers); a prefix used by another campaign is a 409",
        security: [{ token: [] }],
        parameters: [slugParam],
        requestBody: json({ type: "object", additionalProperties: false, properties: { prefix: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9]{0,11}$" }, defaultSite: { type: "string", pattern: "^[A-Za-z]$" } } }),
        responses: { "200": { description: "Settings", ...json(ref("Registry")) }, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429) },
      },
    },
    "/api/v1/campaigns/{slug}/export.csv": {
      get: { summary: "The campaign's molecules and measurements as CSV (one row per measurement; imports back unchanged)", parameters: [slugParam], responses: { "200": { description: "CSV", content: { "text/csv": {} } }, ...errors(404) } },
    },
    "/api/v1/campaigns/{slug}/export.sdf": {
      get: { summary: "The campaign's molecules and measurements as an SD file (one record per measurement)", parameters: [slugParam], responses: { "200": { description: "SD file", content: { "chemical/x-mdl-sdfile": {} } }, ...errors(404) } },
    },
    "/api/v1/search/molecules": {
      get: {
        summary: "Structure search: exact (canonical structure), substructure (SMILES or SMARTS) or similarity (Tanimoto) over the registry",
        parameters: searchParameters,
        responses: {
          "200": {
            description: "A page of hits, the total and the next page's cursor (null on the last page)",
            ...json({
              type: "object",
              required: ["mode", "sort", "total", "cursor", "hits"],
              properties: {
                mode: { enum: ["exact", "substructure", "similarity"] },
                sort: { enum: ["relevance", "mw", "-mw", "clogp", "-clogp", "potency"] },
                total: { type: ["integer", "null"] },
                cursor: { type: ["string", "null"] },
                tookMs: { type: "number" },
                hits: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["id", "campaign", "smiles", "status", "potency", "url"],
                    properties: {
                      id: { type: "string" },
                      campaign: { type: "string" },
                      name: { type: ["string", "null"] },
                      smiles: { type: "string" },
                      status: { enum: ["active", "parked"] },
                      averageMass: { type: "number" },
                      clogp: { type: "number" },
                      potency: { type: "array", items: ref("Potency"), description: "best value per assay and target" },
                      similarity: { type: "number", description: "similarity mode" },
                      atoms: { type: "array", items: { type: "integer" }, description: "substructure mode: matched atoms, numbered as in the molecule's depiction" },
                      url: { type: "string" },
                      depiction: { type: "string" },
                    },
                  },
                },
              },
            }),
          },
          ...errors(404, 422, 431),
        },
      },
    },
    "/api/v1/search/molecules/export.csv": {
      get: {
        summary: "Every hit of a structure search (at most 50,000) in the search's order as CSV, with the campaign export's columns (and Similarity for a similarity search)",
        parameters: searchExportParameters,
        responses: { "200": { description: "CSV", content: { "text/csv": {} } }, ...errors(404, 422) },
      },
    },
    "/api/v1/search/molecules/export.sdf": {
      get: {
        summary: "Every hit of a structure search (at most 50,000) in the search's order as an SD file, one record per measurement",
        parameters: searchExportParameters,
        responses: { "200": { description: "SD file", content: { "chemical/x-mdl-sdfile": {} } }, ...errors(404, 422) },
      },
    },
    "/api/v1/molecules": {
      get: {
        summary: "List molecules with their best potency per assay; q matches IDs, names and aliases (or an InChIKey exactly)",
        parameters: [
          { name: "campaign", in: "query", schema: { type: "string" } },
          { name: "q", in: "query", schema: { type: "string", maxLength: 200 } },
          { name: "status", in: "query", schema: { enum: ["active", "parked"] } },
          { name: "sort", in: "query", schema: { type: "string", default: "id" }, description: "id, name, mass, clogp, tpsa, heavyAtoms or created; a leading - sorts descending" },
          { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
          { name: "perPage", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 50 } },
        ],
        responses: { "200": { description: "A page of molecules", ...json({ type: "object", properties: { molecules: { type: "array", items: ref("Molecule") }, page: { type: "integer" }, perPage: { type: "integer" }, total: { type: "integer" }, hasMore: { type: "boolean" } } }) }, ...errors(404, 422) },
      },
      post: {
        summary: "Register a molecule (members); 409 with the existing ID when the structure is already registered",
        security: [{ token: [] }],
        requestBody: json({
          type: "object",
          required: ["campaign"],
          additionalProperties: false,
          properties: {
            campaign: { type: "string" },
            smiles: { type: "string", maxLength: 2000 },
            molfile: { type: "string", description: "V2000 or V3000, at most 200 kB" },
            id: { type: "string", description: "an existing campaign ID to register under (unused; moves the counter past it)" },
            site: { type: "string", pattern: "^[A-Za-z]$" },
            name: { type: "string", maxLength: 200 },
            series: { type: "string", maxLength: 50 },
            aliases: { type: "array", items: { type: "string", maxLength: 100 }, maxItems: 50 },
            compare: { enum: ["exact", "no-stereo", "parent"], default: "exact", description: "what counts as the same structure for the duplicate check" },
            parentId: { type: "string", description: "maintainers: register a batch or salt form of this molecule" },
            allowDuplicateOf: { type: "string", description: "maintainers: register although it duplicates this molecule (linked to it as parent)" },
          },
        }),
        responses: { "201": { description: "Registered", ...json(ref("Molecule")) }, ...errors(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    "/api/v1/molecules/{id}": {
      get: { summary: "A molecule, with its molfile, forms and the entries that mention it", parameters: [moleculeParam], responses: { "200": { description: "Molecule", ...json(ref("Molecule")) }, ...errors(404) } },
    },
    "/api/v1/molecules/{id}/measurements": {
      get: { summary: "A molecule's measurements, oldest first", parameters: [moleculeParam], responses: { "200": { description: "Measurements", ...json({ type: "object", properties: { measurements: { type: "array", items: ref("Measurement") } } }) }, ...errors(404) } },
      post: {
        summary: "Add a measurement (members of the molecule's campaign); measurements are append-only",
        security: [{ token: [] }],
        parameters: [moleculeParam],
        requestBody: json({
          type: "object",
          required: ["assay", "value"],
          additionalProperties: false,
          properties: {
            assay: { type: "string", maxLength: 100, examples: ["IC50"] },
            target: { type: "string", maxLength: 100, examples: ["Pfal (3D7)"] },
            lab: { type: "string", maxLength: 100 },
            value: { type: "number" },
            unit: { type: ["string", "null"], examples: ["µM"], description: "uM, ug/ml... are normalized; null or omitted for dimensionless values" },
            qualifier: { enum: ["=", "<", ">"], default: "=" },
            measuredOn: { type: "string", format: "date" },
            entryId: { type: "integer", description: "the entry that reports it, in the same campaign" },
          },
        }),
        responses: { "201": { description: "Added", ...json(ref("Measurement")) }, ...errors(400, 401, 403, 404, 413, 415, 422, 429) },
      },
    },
    "/api/v1/molecules/{id}/park": {
      post: {
        summary: "Park a molecule with a reason (maintainers); its data stays public and its ID is never reused",
        security: [{ token: [] }],
        parameters: [moleculeParam],
        requestBody: json({ type: "object", required: ["reason"], additionalProperties: false, properties: { reason: { type: "string", maxLength: 500 } } }),
        responses: { "200": { description: "Parked", ...json(ref("Molecule")) }, ...errors(400, 401, 403, 404, 413, 415, 422, 429) },
      },
    },
    "/api/v1/molecules/{id}/activate": {
      post: { summary: "Make a parked molecule active again (maintainers)", security: [{ token: [] }], parameters: [moleculeParam], responses: { "200": { description: "Active", ...json(ref("Molecule")) }, ...errors(401, 403, 404, 429) } },
    },
    "/api/v1/imports": {
      post: {
        summary: "Import a CSV, TSV or SD file into a campaign (members); per-row errors, idempotent",
        description:
          "Columns are mapped from the headers (ID, SMILES, name, aliases, InChIKey, series; Assay/Value/Qualifier/Unit/Target/Lab/Date for one measurement per row; or one column per endpoint such as `Pfal IC50 (GSK)`) unless `mapping` overrides them. A cell with several IDs (`OSM-S-208;OSM-S-218`) registers the first as the ID and keeps the others as aliases. Re-importing the same file changes nothing.",
        security: [{ token: [] }],
        parameters: [
          { name: "campaign", in: "query", required: true, schema: { type: "string" } },
          { name: "format", in: "query", schema: { enum: ["csv", "tsv", "sdf"] }, description: "default: from the Content-Type" },
          { name: "mapping", in: "query", schema: { type: "string" }, description: 'JSON object of column roles overriding the guessed ones, e.g. {"id":null,"smiles":"Structure"}' },
          { name: "unit", in: "query", schema: { type: "string" }, description: "unit of measurement columns whose header names none, e.g. µM" },
        ],
        requestBody: {
          required: true,
          content: Object.fromEntries(["text/csv", "text/tab-separated-values", "chemical/x-mdl-sdfile", "application/octet-stream"].map((t) => [t, { schema: { type: "string", maxLength: 20000000 } }])),
        },
        responses: { "200": { description: "What was imported", ...json(ref("ImportResult")) }, ...errors(400, 401, 403, 404, 413, 422, 429, 503) },
      },
    },
    "/api/v1/me": {
      get: { summary: "Who the token belongs to", security: [{ token: [] }], responses: { "200": { description: "The caller", ...json({ type: "object", properties: { login: { type: "string" }, campaigns: { type: "array" } } }) }, ...errors(401) } },
    },
    "/api/v1/openapi.json": { get: { summary: "This description", responses: { "200": { description: "OpenAPI 3.1 document", ...json({ type: "object" }) } } } },
    "/feed.atom": { get: { summary: "Project feed (Atom 1.0)", responses: { "200": { description: "Atom", content: { "application/atom+xml": {} } } } } },
    "/feed.json": { get: { summary: "Project feed (JSON Feed 1.1)", responses: { "200": { description: "JSON Feed", content: { "application/feed+json": {} } } } } },
    "/campaigns/{slug}/feed.atom": { get: { summary: "A campaign's feed (Atom)", parameters: [slugParam], responses: { "200": { description: "Atom", content: { "application/atom+xml": {} } }, ...errors(404) } } },
    "/campaigns/{slug}/feed.json": { get: { summary: "A campaign's feed (JSON Feed 1.1)", parameters: [slugParam], responses: { "200": { description: "JSON Feed", content: { "application/feed+json": {} } }, ...errors(404) } } },
  },
} as const;
