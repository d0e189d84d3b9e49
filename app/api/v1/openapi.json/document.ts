/** The OpenAPI 3.1 description of /api/v1. A test checks every route here exists and answers as described. */
const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", enum: ["bad_request", "invalid_json", "unauthorized", "forbidden", "not_found", "conflict", "payload_too_large", "unsupported_media_type", "validation_failed", "rate_limited", "internal"] },
        message: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" } },
        current: { $ref: "#/components/schemas/RevisionSummary" },
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
  409: "Conflict: stale baseRevision (the error carries `current`), duplicate slug",
  413: "Body too large",
  415: "Body is not JSON",
  422: "Validation failed: `fields` names each bad field",
  429: "Rate limited: see Retry-After",
};

const json = (schema: object) => ({ content: { "application/json": { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const idParam = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };
const slugParam = { name: "slug", in: "path", required: true, schema: { type: "string" } };

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
