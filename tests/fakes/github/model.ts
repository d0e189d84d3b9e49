/**
 * The fake's state (users, tokens, repositories, issues, comments, labels) and the GitHub-shaped JSON it renders.
 * Rendering takes the API base the client used (`…/api/v3` or the root) so every URL in a response, including the
 * `Link` header, leads back to the same layout.
 */
import { randomBytes } from "node:crypto";

export interface FakeUserInput {
  id: number;
  login: string;
  name?: string | null;
  /** Primary, verified address. Without one the user gets GitHub's noreply address. */
  email?: string | null;
  avatar_url?: string;
  /** Whether `GET /user` shows the email (GitHub's "public email" setting). Default true when an email is given. */
  publicEmail?: boolean;
}

export interface FakeRepoInput {
  owner: string;
  name: string;
  /** Logins with push access besides the owner (they may set labels and assignees). */
  collaborators?: string[];
}

interface User {
  id: number;
  login: string;
  name: string | null;
  email: string;
  publicEmail: boolean;
  avatarUrl: string | undefined;
  createdAt: string;
}

interface Label {
  id: number;
  name: string;
  color: string;
  description: string | null;
  isDefault: boolean;
}

export interface Issue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "duplicate" | "reopened" | null;
  userId: number;
  labels: string[];
  assignees: string[];
  comments: Comment[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedById: number | null;
  /** A pull request: GitHub lists them among issues, with a `pull_request` member. */
  pullRequest?: boolean;
  /** Deleted, or transferred to another repository (location: its API URL there). */
  gone?: { kind: "deleted" } | { kind: "transferred"; location: string };
}

export interface Comment {
  id: number;
  body: string;
  userId: number;
  createdAt: string;
  updatedAt: string;
}

export interface Repo {
  id: number;
  owner: string;
  name: string;
  collaborators: Set<string>;
  labels: Label[];
  issues: Issue[];
}

export interface Token {
  value: string;
  userId: number;
  scopes: string[];
}

/** The labels a new GitHub repository starts with. */
const DEFAULT_LABELS: [string, string, string][] = [
  ["bug", "d73a4a", "Something isn't working"],
  ["documentation", "0075ca", "Improvements or additions to documentation"],
  ["duplicate", "cfd3d7", "This issue or pull request already exists"],
  ["enhancement", "a2eeef", "New feature or request"],
  ["good first issue", "7057ff", "Good for newcomers"],
  ["help wanted", "008672", "Extra attention is needed"],
  ["invalid", "e4e669", "This doesn't seem right"],
  ["question", "d876e3", "Further information is requested"],
  ["wontfix", "ffffff", "This will not be worked on"],
];

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** GitHub timestamps have whole seconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Legacy global node ids, e.g. "MDU6SXNzdWUx" = base64("05:Issue1"). */
function nodeId(type: string, id: number): string {
  const prefix = String(type.length).padStart(2, "0");
  return Buffer.from(`${prefix}:${type}${id}`).toString("base64");
}

export class GitHubState {
  readonly users = new Map<number, User>();
  readonly tokens = new Map<string, Token>();
  readonly repos = new Map<string, Repo>();
  private nextId = { repo: 700_000_000, issue: 2_100_000_000, comment: 3_200_000_000, label: 8_000_000_000 };

  constructor(
    readonly webUrl: () => string,
    readonly now: () => Date,
  ) {}

  timestamp(): string {
    return isoSeconds(this.now());
  }

  addUser(input: FakeUserInput): void {
    if (this.userByLogin(input.login) || this.users.has(input.id)) {
      throw new Error(`fake GitHub already has a user ${input.login} or id ${input.id}`);
    }
    this.users.set(input.id, {
      id: input.id,
      login: input.login,
      name: input.name ?? null,
      email: input.email ?? `${input.id}+${input.login}@users.noreply.github.com`,
      publicEmail: input.email ? (input.publicEmail ?? true) : false,
      avatarUrl: input.avatar_url,
      createdAt: this.timestamp(),
    });
  }

  userByLogin(login: string): User | undefined {
    const wanted = login.toLowerCase();
    for (const user of this.users.values()) if (user.login.toLowerCase() === wanted) return user;
    return undefined;
  }

  issueToken(userId: number, scopes: string[]): Token {
    // Shape of GitHub's OAuth user tokens: "gho_" + 36 base62 characters.
    const value = "gho_" + Array.from(randomBytes(36), (b) => BASE62[b % 62]).join("");
    const token = { value, userId, scopes };
    this.tokens.set(value, token);
    return token;
  }

  addRepo(input: FakeRepoInput): Repo {
    const key = `${input.owner}/${input.name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`fake GitHub already has a repository ${key}`);
    const repo: Repo = {
      id: this.nextId.repo++,
      owner: input.owner,
      name: input.name,
      collaborators: new Set((input.collaborators ?? []).map((l) => l.toLowerCase())),
      labels: DEFAULT_LABELS.map(([name, color, description]) => ({
        id: this.nextId.label++,
        name,
        color,
        description,
        isDefault: true,
      })),
      issues: [],
    };
    this.repos.set(key, repo);
    return repo;
  }

  repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  canPush(repo: Repo, user: User | undefined): boolean {
    if (!user) return false;
    const login = user.login.toLowerCase();
    return login === repo.owner.toLowerCase() || repo.collaborators.has(login);
  }

  /** Finds labels by name (case-insensitive); like GitHub, unknown names become new labels. */
  ensureLabels(repo: Repo, names: string[]): string[] {
    return names.map((name) => {
      const found = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
      if (found) return found.name;
      repo.labels.push({ id: this.nextId.label++, name, color: "ededed", description: null, isDefault: false });
      return name;
    });
  }

  createIssue(repo: Repo, user: User, fields: { title: string; body: string | null }): Issue {
    const at = this.timestamp();
    const issue: Issue = {
      id: this.nextId.issue++,
      number: repo.issues.length + 1,
      title: fields.title,
      body: fields.body,
      state: "open",
      stateReason: null,
      userId: user.id,
      labels: [],
      assignees: [],
      comments: [],
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      closedById: null,
    };
    repo.issues.push(issue);
    return issue;
  }

  addComment(issue: Issue, user: User, body: string): Comment {
    const at = this.timestamp();
    const comment = { id: this.nextId.comment++, body, userId: user.id, createdAt: at, updatedAt: at };
    issue.comments.push(comment);
    issue.updatedAt = at;
    return comment;
  }
}

/** Renders state as GitHub JSON for one request (`api` is the REST base the client used). */
export class Render {
  constructor(
    private readonly state: GitHubState,
    readonly api: string,
  ) {}

  private get web(): string {
    return this.state.webUrl();
  }

  simpleUser(userId: number): Record<string, unknown> {
    const user = this.state.users.get(userId);
    if (!user) throw new Error(`fake GitHub lost user ${userId}`);
    // A GitHub App acts as "<slug>[bot]": type Bot, its page under /apps/, its login escaped in API URLs.
    const bot = /^(.+)\[bot\]$/.exec(user.login);
    const url = `${this.api}/users/${encodeURIComponent(user.login)}`;
    return {
      login: user.login,
      id: user.id,
      node_id: nodeId(bot ? "Bot" : "User", user.id),
      avatar_url: user.avatarUrl ?? `${this.web}/avatars/u/${user.id}`,
      gravatar_id: "",
      url,
      html_url: bot ? `${this.web}/apps/${bot[1]}` : `${this.web}/${user.login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type: bot ? "Bot" : "User",
      user_view_type: "public",
      site_admin: false,
    };
  }

  /** `GET /user`: the "Private User" shape GitHub returns to the user themself. */
  privateUser(userId: number): Record<string, unknown> {
    const user = this.state.users.get(userId);
    if (!user) throw new Error(`fake GitHub lost user ${userId}`);
    const owned = [...this.state.repos.values()].filter((r) => r.owner.toLowerCase() === user.login.toLowerCase());
    return {
      ...this.simpleUser(userId),
      user_view_type: "private",
      name: user.name,
      company: null,
      blog: "",
      location: null,
      email: user.publicEmail ? user.email : null,
      notification_email: user.email,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: owned.length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: user.createdAt,
      updated_at: user.createdAt,
      private_gists: 0,
      total_private_repos: 0,
      owned_private_repos: 0,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: false,
      plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
    };
  }

  emails(userId: number): Record<string, unknown>[] {
    const user = this.state.users.get(userId);
    if (!user) throw new Error(`fake GitHub lost user ${userId}`);
    return [{ email: user.email, primary: true, verified: true, visibility: user.publicEmail ? "public" : "private" }];
  }

  private repoApi(repo: Repo): string {
    return `${this.api}/repos/${repo.owner}/${repo.name}`;
  }

  label(repo: Repo, name: string): Record<string, unknown> {
    const label = repo.labels.find((l) => l.name === name);
    if (!label) throw new Error(`fake GitHub lost label ${name}`);
    return {
      id: label.id,
      node_id: nodeId("Label", label.id),
      url: `${this.repoApi(repo)}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      default: label.isDefault,
      description: label.description,
    };
  }

  labels(repo: Repo): Record<string, unknown>[] {
    return repo.labels.map((l) => this.label(repo, l.name));
  }

  private association(repo: Repo, userId: number): string {
    const user = this.state.users.get(userId);
    if (user?.login.toLowerCase() === repo.owner.toLowerCase()) return "OWNER";
    return this.state.canPush(repo, user) ? "COLLABORATOR" : "NONE";
  }

  private reactions(url: string): Record<string, unknown> {
    const counts = { "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
    return { url: `${url}/reactions`, total_count: 0, ...counts };
  }

  issue(repo: Repo, issue: Issue): Record<string, unknown> {
    const url = `${this.repoApi(repo)}/issues/${issue.number}`;
    const assignees = issue.assignees.flatMap((login) => {
      const user = this.state.userByLogin(login);
      return user ? [this.simpleUser(user.id)] : [];
    });
    return {
      url,
      repository_url: this.repoApi(repo),
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.web}/${repo.owner}/${repo.name}/issues/${issue.number}`,
      id: issue.id,
      node_id: nodeId("Issue", issue.id),
      number: issue.number,
      title: issue.title,
      user: this.simpleUser(issue.userId),
      labels: issue.labels.map((name) => this.label(repo, name)),
      state: issue.state,
      locked: false,
      assignee: assignees[0] ?? null,
      assignees,
      milestone: null,
      comments: issue.comments.length,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      author_association: this.association(repo, issue.userId),
      type: null,
      active_lock_reason: null,
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      issue_dependencies_summary: { blocked_by: 0, blocking: 0, total_blocked_by: 0, total_blocking: 0 },
      body: issue.body,
      closed_by: issue.closedById === null ? null : this.simpleUser(issue.closedById),
      reactions: this.reactions(url),
      timeline_url: `${url}/timeline`,
      performed_via_github_app: null,
      state_reason: issue.stateReason,
      ...(issue.pullRequest
        ? {
            draft: false,
            pull_request: {
              url: `${this.repoApi(repo)}/pulls/${issue.number}`,
              html_url: `${this.web}/${repo.owner}/${repo.name}/pull/${issue.number}`,
              diff_url: `${this.web}/${repo.owner}/${repo.name}/pull/${issue.number}.diff`,
              patch_url: `${this.web}/${repo.owner}/${repo.name}/pull/${issue.number}.patch`,
              merged_at: null,
            },
          }
        : {}),
    };
  }

  comment(repo: Repo, issue: Issue, comment: Comment): Record<string, unknown> {
    const url = `${this.repoApi(repo)}/issues/comments/${comment.id}`;
    return {
      url,
      html_url: `${this.web}/${repo.owner}/${repo.name}/issues/${issue.number}#issuecomment-${comment.id}`,
      issue_url: `${this.repoApi(repo)}/issues/${issue.number}`,
      id: comment.id,
      node_id: nodeId("IssueComment", comment.id),
      user: this.simpleUser(comment.userId),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: this.association(repo, comment.userId),
      body: comment.body,
      reactions: this.reactions(url),
      performed_via_github_app: null,
    };
  }
}
