// A small typed client for /api/v1, as a script or another lab's tool would use it: plain fetch, bearer token,
// and every answer returned whole (status, headers, parsed body) so tests can assert on failures too.
import http from "node:http";

export interface ApiError {
  error: { code: string; message: string; fields?: Record<string, string>; current?: ConflictCurrent; [key: string]: unknown };
}

export interface ConflictCurrent {
  revisionId: number;
  number: number;
  title: string;
  body: string;
  author: string;
  createdAt: string;
}

export interface Campaign {
  slug: string;
  name: string;
  description: string;
  createdAt: string;
  entryCount?: number;
  memberCount?: number;
  lastWorkDate?: string | null;
  url: string;
}

export interface Member {
  login: string;
  name: string | null;
  role: "maintainer" | "member";
  since: string;
}

export interface Entry {
  id: number;
  campaign: string;
  date: string;
  title: string;
  body: string;
  reactions: unknown[];
  author: string;
  revisionId: number;
  revisionNumber: number;
  createdAt: string;
  updatedAt: string;
  deleted: boolean;
  url: string;
  snippet?: string;
  rank?: number;
  changed?: boolean;
}

export interface EntryPage {
  entries: Entry[];
  page: number;
  perPage: number;
  hasMore: boolean;
}

export interface Revision {
  id: number;
  entryId: number;
  number: number;
  title: string;
  body: string;
  reactions: unknown[];
  message: string | null;
  author: string;
  createdAt: string;
  url: string;
}

export interface Attachment {
  id: number;
  entryId: number;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
  url: string;
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Sent as JSON with Content-Type application/json. */
  json?: unknown;
  /** Sent as is (with whatever Content-Type `headers` give). */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** How long to wait for the whole answer before failing with the request named (default REQUEST_TIMEOUT_MS). */
  timeoutMs?: number;
}

/**
 * No e2e request takes near this long; it is here so that a server that never answers fails the test that asked,
 * naming the request, instead of waiting for the hook's or test's time limit with nothing said about where.
 */
export const REQUEST_TIMEOUT_MS = 180_000;

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  /** The same server as someone else (or nobody, with undefined). */
  as(token: string | undefined): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let body = options.body;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    Object.assign(headers, options.headers);
    const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    let res: Response;
    let text: string;
    try {
      res = await fetch(this.baseUrl + path, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      text = await res.text();
    } catch (error) {
      if ((error as Error).name !== "TimeoutError") throw error;
      throw new Error(`${method} ${path} got no complete answer within ${timeoutMs / 1000} s`, { cause: error });
    }
    const type = res.headers.get("content-type") ?? "";
    let parsed: unknown = text;
    if (/\bjson\b/.test(type) && text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text; // a test asserting on shape will show the text
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>("GET", path);
  }
  post<T = unknown>(path: string, json?: unknown): Promise<ApiResponse<T>> {
    return this.request<T>("POST", path, json === undefined ? {} : { json });
  }
  patch<T = unknown>(path: string, json: unknown): Promise<ApiResponse<T>> {
    return this.request<T>("PATCH", path, { json });
  }
  delete<T = unknown>(path: string): Promise<ApiResponse<T>> {
    return this.request<T>("DELETE", path);
  }

  // The operations the tests use most, failing loudly when the server does not answer as documented.

  async createCampaign(input: { name: string; slug: string; description?: string }): Promise<Campaign> {
    return expectStatus(await this.post<Campaign>("/api/v1/campaigns", input), 201);
  }

  async addMember(slug: string, login: string, role: "member" | "maintainer"): Promise<Member> {
    return expectStatus(await this.post<Member>(`/api/v1/campaigns/${slug}/members`, { login, role }), 201);
  }

  async createEntry(input: { campaign: string; date: string; title: string; body?: string; message?: string }): Promise<Entry> {
    return expectStatus(await this.post<Entry>("/api/v1/entries", input), 201);
  }

  async getEntry(id: number): Promise<Entry> {
    return expectStatus(await this.get<Entry>(`/api/v1/entries/${id}`), 200);
  }

  async editEntry(id: number, input: { title?: string; body?: string; date?: string; message?: string; baseRevision: number }): Promise<Entry> {
    return expectStatus(await this.patch<Entry>(`/api/v1/entries/${id}`, input), 200);
  }

  async revisions(id: number): Promise<Revision[]> {
    return expectStatus(await this.get<{ revisions: Revision[] }>(`/api/v1/entries/${id}/revisions`), 200).revisions;
  }

  async listEntries(query: Record<string, string | number> = {}): Promise<EntryPage> {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
    return expectStatus(await this.get<EntryPage>(`/api/v1/entries${qs ? `?${qs}` : ""}`), 200);
  }
}

/**
 * One request on its own connection (node:http, no keep-alive pool), for bodies the server is expected to refuse
 * part-way: the server answers 413 and drops the connection, which must not poison fetch's shared pool. A body
 * given as a generator is sent chunked, without Content-Length.
 */
export function sendOnce(
  url: string,
  init: { method: string; headers: Record<string, string>; body: Uint8Array | string | (() => Iterable<Uint8Array>) },
): Promise<ApiResponse<unknown>> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request(url, { method: init.method, headers: { ...init.headers, Connection: "close" }, agent: false }, (res) => {
      answered = true;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        const headers = new Headers();
        for (const [key, value] of Object.entries(res.headers)) if (typeof value === "string") headers.set(key, value);
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, headers, body, text });
      });
    });
    // Writing after the server has answered and closed fails with EPIPE/ECONNRESET: only an error before an answer counts.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (typeof init.body === "function") {
      for (const chunk of init.body()) req.write(chunk);
      req.end();
    } else {
      req.end(init.body);
    }
  });
}

/** The body of a response that must have this status; otherwise an error showing what came back. */
export function expectStatus<T>(res: ApiResponse<T>, status: number): T {
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${res.text.slice(0, 2000)}`);
  return res.body;
}

/** The error of a failed response, checked for the documented shape `{error: {code, message}}`. */
export function errorOf(res: ApiResponse<unknown>): ApiError["error"] {
  const body = res.body as Partial<ApiError> | string;
  if (typeof body !== "object" || !body.error || typeof body.error.code !== "string" || typeof body.error.message !== "string") {
    throw new Error(`HTTP ${res.status} is not a JSON error {error: {code, message}}: ${res.text.slice(0, 500)}`);
  }
  return body.error;
}

/** Today's date as the API wants it (YYYY-MM-DD, UTC). */
export function isoDay(offsetDays = 0): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
