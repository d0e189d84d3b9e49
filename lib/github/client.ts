/**
 * The notebook's GitHub REST client: octokit with the throttling plugin (primary `x-ratelimit-*` limits and secondary
 * limits with `retry-after`) and the retry plugin (5xx and network failures), writes serialized through one queue
 * spaced like GitHub asks (content-creating requests about one per second), ETags for conditional reads (a 304 costs
 * no rate limit; @octokit/request throws on 304, so it is turned back into an answer here), and issues that moved
 * (301) or were deleted (404/410) reported as such instead of thrown.
 */
import { Octokit } from "@octokit/rest";
import { throttling } from "@octokit/plugin-throttling";
import { retry } from "@octokit/plugin-retry";
import { createAppAuth } from "@octokit/auth-app";
import Bottleneck from "bottleneck";

export type GitHubAuth =
  | { kind: "token"; token: string }
  | { kind: "app"; appId: string; privateKey: string; installationId: number };

export interface GitHubClientOptions {
  /** REST base, e.g. https://api.github.com or https://ghe.example.org/api/v3. */
  baseUrl: string;
  auth: GitHubAuth;
  /** Spacing between writes (GitHub: about one content-creating request per second). */
  writeSpacingMs?: number;
  /** Multiplier for retry delays (retry-after seconds and backoff steps); tests shorten it. */
  retryUnitMs?: number;
  /** Retries of a failed read or update (5xx, network), and of a rate-limited request. */
  retries?: number;
  /** Abort a request that has not answered after this long. */
  timeoutMs?: number;
  /** Called when a rate limit is hit (for the sync log). */
  onRateLimit?: (kind: "primary" | "secondary", retryAfterSeconds: number, url: string) => void;
}

export interface RemoteIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  labels: string[];
  assignees: string[];
  milestone: string | null;
  comments: number;
  updatedAt: string;
  htmlUrl: string;
  isPullRequest: boolean;
}

export type IssueLookup =
  | { status: "ok"; issue: RemoteIssue; etag: string | null }
  | { status: "not-modified" }
  | { status: "gone"; reason: "transferred" | "deleted"; location?: string };

export interface IssueWrite {
  title?: string;
  body?: string;
  state?: "open" | "closed";
  labels?: string[];
  assignees?: string[];
}

/** An error with a status the sync can act on: 0 means GitHub could not be reached. */
export class GitHubError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const ThrottledOctokit = Octokit.plugin(throttling, retry);

interface RawIssue {
  id: number;
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  milestone?: { title: string } | null;
  comments: number;
  updated_at: string;
  html_url: string;
  pull_request?: unknown;
}

export function toRemoteIssue(raw: RawIssue): RemoteIssue {
  return {
    id: raw.id,
    number: raw.number,
    title: raw.title,
    body: raw.body ?? null,
    state: raw.state === "closed" ? "closed" : "open",
    labels: raw.labels.flatMap((l) => (typeof l === "string" ? [l] : l.name ? [l.name] : [])),
    assignees: (raw.assignees ?? []).map((a) => a.login),
    milestone: raw.milestone?.title ?? null,
    comments: raw.comments,
    updatedAt: raw.updated_at,
    htmlUrl: raw.html_url,
    isPullRequest: raw.pull_request !== undefined && raw.pull_request !== null,
  };
}

function statusOf(error: unknown): number {
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : 0;
}

/** Turns an octokit failure into a message a maintainer can act on. */
export function describeFailure(error: unknown, what: string): GitHubError {
  if (error instanceof GitHubError) return error;
  const status = statusOf(error);
  const raw = error instanceof Error ? error.message : String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  // @octokit/request reports a failed fetch (refused, reset, timed out) as status 500 with the cause attached.
  const unreachable = status === 500 && (cause !== undefined || /fetch failed|aborted|timeout|ECONN/i.test(raw));
  if (unreachable || status === 0) {
    return new GitHubError(`GitHub could not be reached (${what}): ${cause?.code ?? cause?.message ?? raw}. It will be retried.`, 0, true);
  }
  if (status === 401) return new GitHubError(`GitHub refused the credentials (${what}): check the token or App installation.`, status, false);
  if (status === 403 || status === 429) return new GitHubError(`GitHub rate limit or permission refused ${what}: ${raw}`, status, status === 429 || /rate limit/i.test(raw));
  if (status === 422) return new GitHubError(`GitHub refused ${what}: ${raw}`, status, false);
  if (status >= 500) return new GitHubError(`GitHub failed ${what} (HTTP ${status}: ${raw.slice(0, 200)}). It will be retried.`, status, true);
  return new GitHubError(`GitHub answered ${what} with HTTP ${status}: ${raw}`, status, false);
}

export class GitHubClient {
  readonly octokit: InstanceType<typeof ThrottledOctokit>;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: GitHubClientOptions) {
    const unit = options.retryUnitMs ?? 1000;
    const retries = options.retries ?? 3;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const auth = options.auth;
    const onLimit = (kind: "primary" | "secondary") => (retryAfter: number, opts: { url: string }, _o: unknown, retryCount: number) => {
      options.onRateLimit?.(kind, retryAfter, opts.url);
      return retryCount < retries;
    };
    this.octokit = new ThrottledOctokit({
      baseUrl: options.baseUrl.replace(/\/$/, ""),
      userAgent: "open-notebook-todo-sync",
      ...(auth.kind === "token"
        ? { auth: auth.token }
        : {
            authStrategy: createAppAuth,
            // auth-app caches installation tokens and renews them before they expire.
            auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: auth.installationId },
          }),
      request: {
        fetch: (url: string, init: RequestInit) =>
          fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(timeoutMs) }),
      },
      throttle: {
        id: `${options.baseUrl}`,
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: 60,
        // One queue for writes per client, spaced as GitHub's best practices ask; reads are not held back.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs ?? 1000 }),
        onRateLimit: onLimit("primary"),
        onSecondaryRateLimit: onLimit("secondary"),
      },
      // 429 is the throttling plugin's (it knows retry-after); everything else 5xx or network is retried here.
      retry: { retries, retryAfterBaseValue: unit / 4, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
  }

  /** Runs writes one at a time, in the order they were asked for. */
  private serialize<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }

  /**
   * One page of `GET /repos/{owner}/{repo}/issues` (state=all, oldest update first), conditional on `etag` for the
   * first page. Pull requests are included by GitHub and left to the caller to skip.
   */
  async listIssuesPage(
    owner: string,
    repo: string,
    options: { since?: Date; etag?: string | null; url?: string },
  ): Promise<{ notModified: true } | { notModified: false; issues: RemoteIssue[]; etag: string | null; next: string | null }> {
    try {
      const headers = options.etag ? { "if-none-match": options.etag } : {};
      const response = options.url
        ? await this.octokit.request(`GET ${options.url}`, { headers })
        : await this.octokit.rest.issues.listForRepo({
            owner,
            repo,
            state: "all",
            sort: "updated",
            direction: "asc",
            per_page: 100,
            ...(options.since ? { since: options.since.toISOString().replace(/\.\d{3}Z$/, "Z") } : {}),
            headers,
          });
      const link = String(response.headers.link ?? "");
      const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null;
      return {
        notModified: false,
        issues: (response.data as RawIssue[]).map(toRemoteIssue),
        etag: response.headers.etag ?? null,
        next,
      };
    } catch (error) {
      if (statusOf(error) === 304) return { notModified: true };
      throw describeFailure(error, `listing issues of ${owner}/${repo}`);
    }
  }

  async getIssue(owner: string, repo: string, number: number, etag?: string | null): Promise<IssueLookup> {
    try {
      const response = await this.octokit.rest.issues.get({
        owner,
        repo,
        issue_number: number,
        headers: etag ? { "if-none-match": etag } : {},
        // A transferred issue answers 301; following it would silently read another repository's issue.
        request: { redirect: "manual" },
      });
      if ((response.status as number) === 301) {
        return { status: "gone", reason: "transferred", location: response.headers.location ?? undefined };
      }
      return { status: "ok", issue: toRemoteIssue(response.data), etag: response.headers.etag ?? null };
    } catch (error) {
      const status = statusOf(error);
      if (status === 304) return { status: "not-modified" };
      if (status === 404 || status === 410) return { status: "gone", reason: "deleted" };
      throw describeFailure(error, `reading issue #${number}`);
    }
  }

  /**
   * Creates an issue without automatic retries: a create whose answer was lost may have been committed, and only the
   * caller (who can look for the marker first) may decide to send it again.
   */
  createIssue(owner: string, repo: string, fields: Required<Pick<IssueWrite, "title" | "body">> & IssueWrite) {
    return this.serialize(async () => {
      try {
        const response = await this.octokit.rest.issues.create({
          owner,
          repo,
          title: fields.title,
          body: fields.body,
          ...(fields.labels?.length ? { labels: fields.labels } : {}),
          ...(fields.assignees?.length ? { assignees: fields.assignees } : {}),
          request: { retries: 0 },
        });
        const issue = toRemoteIssue(response.data);
        // A new issue is created open; closing it is a second write.
        if (fields.state === "closed") return this.patch(owner, repo, issue.number, { state: "closed" });
        return { issue, etag: response.headers.etag ?? null };
      } catch (error) {
        throw describeFailure(error, `creating an issue in ${owner}/${repo}`);
      }
    });
  }

  updateIssue(owner: string, repo: string, number: number, fields: IssueWrite) {
    return this.serialize(() => this.patch(owner, repo, number, fields));
  }

  private async patch(owner: string, repo: string, number: number, fields: IssueWrite) {
    try {
      const response = await this.octokit.rest.issues.update({ owner, repo, issue_number: number, ...fields });
      return { issue: toRemoteIssue(response.data), etag: response.headers.etag ?? null };
    } catch (error) {
      throw describeFailure(error, `updating issue #${number}`);
    }
  }

  /** Issues updated since `since` whose body carries the marker (for a create whose answer was lost). */
  async findByMarker(owner: string, repo: string, marker: string, since: Date): Promise<RemoteIssue | null> {
    const needle = `<!-- notebook:todo:${marker} -->`;
    let url: string | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await this.listIssuesPage(owner, repo, { since, url });
      if (page.notModified) return null;
      const found = page.issues.find((i) => !i.isPullRequest && (i.body ?? "").includes(needle));
      if (found) return found;
      if (!page.next) return null;
      url = page.next;
    }
    return null;
  }
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  return new GitHubClient(options);
}
