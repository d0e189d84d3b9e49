/**
 * Signed webhook deliveries from the fake, the way GitHub sends them: one POST per event and action, with
 * X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256 (HMAC-SHA256 of the raw body, made with
 * @octokit/webhooks-methods `sign`) and a payload validated against GitHub's webhook description
 * (@octokit/openapi-webhooks), so a payload the fake invents that GitHub would never send is a recorded violation.
 */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { sign } from "@octokit/webhooks-methods";
import type { GitHubState, Issue, Render, Repo, Comment } from "./model";

export interface WebhookInput {
  owner: string;
  repo: string;
  url: string;
  secret: string;
}

export interface Delivery {
  id: string;
  hookId: number;
  event: string;
  action: string;
  body: string;
  /** HTTP status the receiver answered, 0 when it could not be reached, undefined while in flight. */
  status?: number;
  dropped?: boolean;
}

type Webhooks = { components: { schemas: Record<string, unknown> } };
const cacheKey = Symbol.for("open-notebook.fake-github.openapi-webhooks");
const cache = ((globalThis as Record<symbol, unknown>)[cacheKey] ??= {}) as { ajv?: Promise<Ajv> };

async function webhookAjv(): Promise<Ajv> {
  cache.ajv ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@octokit/openapi-webhooks/package.json"));
    const doc = JSON.parse(await readFile(path.join(dir, "generated", "api.github.com.json"), "utf8")) as Webhooks;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat("uri-template", true);
    ajv.addSchema({ $id: "webhooks", components: doc.components });
    return ajv;
  })();
  return cache.ajv;
}

const validators = new Map<string, ValidateFunction>();

/** Problems of a payload against `webhook-<event>-<action>` in GitHub's webhook description. */
export async function validateWebhook(event: string, action: string, payload: unknown): Promise<string[]> {
  const name = `webhook-${event.replace(/_/g, "-")}-${action}`;
  const ajv = await webhookAjv();
  let fn = validators.get(name);
  if (!fn) {
    fn = ajv.getSchema(`webhooks#/components/schemas/${name}`);
    if (!fn) return [`GitHub's webhook description has no ${name}`];
    validators.set(name, fn);
  }
  if (fn(payload)) return [];
  return (fn.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || "payload"} ${e.message ?? "is invalid"}`);
}

/** Repository as webhook payloads carry it (the "Repository" schema of webhooks, every required field). */
export function webhookRepository(render: Render, state: GitHubState, repo: Repo): Record<string, unknown> {
  const api = `${render.api}/repos/${repo.owner}/${repo.name}`;
  const web = `${state.webUrl()}/${repo.owner}/${repo.name}`;
  const owner = state.userByLogin(repo.owner);
  const t = state.timestamp();
  const u = (suffix: string) => `${api}/${suffix}`;
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: false,
    owner: owner ? render.simpleUser(owner.id) : null,
    html_url: web,
    description: null,
    fork: false,
    url: api,
    archive_url: u("{archive_format}{/ref}"),
    assignees_url: u("assignees{/user}"),
    blobs_url: u("git/blobs{/sha}"),
    branches_url: u("branches{/branch}"),
    collaborators_url: u("collaborators{/collaborator}"),
    comments_url: u("comments{/number}"),
    commits_url: u("commits{/sha}"),
    compare_url: u("compare/{base}...{head}"),
    contents_url: u("contents/{+path}"),
    contributors_url: u("contributors"),
    deployments_url: u("deployments"),
    downloads_url: u("downloads"),
    events_url: u("events"),
    forks_url: u("forks"),
    git_commits_url: u("git/commits{/sha}"),
    git_refs_url: u("git/refs{/sha}"),
    git_tags_url: u("git/tags{/sha}"),
    hooks_url: u("hooks"),
    issue_comment_url: u("issues/comments{/number}"),
    issue_events_url: u("issues/events{/number}"),
    issues_url: u("issues{/number}"),
    keys_url: u("keys{/key_id}"),
    labels_url: u("labels{/name}"),
    languages_url: u("languages"),
    merges_url: u("merges"),
    milestones_url: u("milestones{/number}"),
    notifications_url: u("notifications{?since,all,participating}"),
    pulls_url: u("pulls{/number}"),
    releases_url: u("releases{/id}"),
    stargazers_url: u("stargazers"),
    statuses_url: u("statuses/{sha}"),
    subscribers_url: u("subscribers"),
    subscription_url: u("subscription"),
    tags_url: u("tags"),
    teams_url: u("teams"),
    trees_url: u("git/trees{/sha}"),
    clone_url: `${web}.git`,
    git_url: `${web.replace(/^https?:/, "git:")}.git`,
    ssh_url: `git@${new URL(web).host}:${repo.owner}/${repo.name}.git`,
    svn_url: web,
    mirror_url: null,
    homepage: null,
    language: null,
    default_branch: "main",
    forks: 0,
    forks_count: 0,
    has_downloads: true,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    archived: false,
    disabled: false,
    open_issues: repo.issues.filter((i) => i.state === "open").length,
    open_issues_count: repo.issues.filter((i) => i.state === "open").length,
    license: null,
    pushed_at: t,
    size: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    created_at: t,
    updated_at: t,
  };
}

export interface IssueEvent {
  event: "issues" | "issue_comment";
  action: string;
  repo: Repo;
  issue: Issue;
  senderId: number;
  extra?: Record<string, unknown>;
  comment?: Comment;
}

/** Sends deliveries to registered hooks, one at a time per hook in the order events happened (like GitHub, mostly). */
export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  private readonly hooks: (WebhookInput & { id: number })[] = [];
  private queue: Promise<void> = Promise.resolve();
  private nextHookId = 400_000_000;
  /** While true, events are recorded as dropped deliveries and not sent (a receiver that was down). */
  dropping = false;

  constructor(
    private readonly state: GitHubState,
    private readonly render: () => Render,
    private readonly violation: (event: string, problems: string[]) => void,
  ) {}

  add(input: WebhookInput): number {
    const id = this.nextHookId++;
    this.hooks.push({ ...input, id });
    return id;
  }

  emit(e: IssueEvent): void {
    const hooks = this.hooks.filter(
      (h) => h.owner.toLowerCase() === e.repo.owner.toLowerCase() && h.repo.toLowerCase() === e.repo.name.toLowerCase(),
    );
    if (!hooks.length) return;
    const render = this.render();
    const payload: Record<string, unknown> = {
      action: e.action,
      issue: render.issue(e.repo, e.issue),
      ...(e.comment ? { comment: render.comment(e.repo, e.issue, e.comment) } : {}),
      ...e.extra,
      repository: webhookRepository(render, this.state, e.repo),
      sender: render.simpleUser(e.senderId),
    };
    const body = JSON.stringify(payload);
    for (const hook of hooks) {
      const delivery: Delivery = { id: randomUUID(), hookId: hook.id, event: e.event, action: e.action, body };
      this.deliveries.push(delivery);
      if (this.dropping) {
        delivery.dropped = true;
        continue;
      }
      this.enqueue(hook, delivery, payload);
    }
  }

  /** Sends a recorded delivery again with the same delivery id (GitHub's "Redeliver" button). */
  redeliver(id: string): void {
    const delivery = this.deliveries.find((d) => d.id === id);
    const hook = delivery && this.hooks.find((h) => h.id === delivery.hookId);
    if (!delivery || !hook) throw new Error(`fake GitHub has no delivery ${id}`);
    delivery.dropped = false;
    this.enqueue(hook, delivery, JSON.parse(delivery.body) as unknown);
  }

  private enqueue(hook: WebhookInput & { id: number }, delivery: Delivery, payload: unknown): void {
    this.queue = this.queue.then(async () => {
      const problems = await validateWebhook(delivery.event, delivery.action, payload);
      if (problems.length) this.violation(`${delivery.event}.${delivery.action}`, problems);
      try {
        const response = await fetch(hook.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "GitHub-Hookshot/fake",
            "x-github-event": delivery.event,
            "x-github-delivery": delivery.id,
            "x-github-hook-id": String(hook.id),
            "x-github-hook-installation-target-type": "repository",
            "x-hub-signature-256": await sign(hook.secret, delivery.body),
          },
          body: delivery.body,
          signal: AbortSignal.timeout(10_000),
        });
        delivery.status = response.status;
        await response.arrayBuffer();
      } catch {
        delivery.status = 0;
      }
    });
  }

  /** Resolves when every delivery sent so far has been answered. */
  idle(): Promise<void> {
    return this.queue;
  }
}
