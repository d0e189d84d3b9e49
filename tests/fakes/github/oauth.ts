/**
 * GitHub's OAuth web application flow: `GET /login/oauth/authorize` approves at once on behalf of a chosen user and
 * redirects back with a code; `POST /login/oauth/access_token` exchanges it (once, with PKCE S256 when a challenge was
 * given). Errors follow GitHub's "troubleshooting" pages: error redirects from authorize, and HTTP 200 bodies with
 * `error`/`error_description`/`error_uri` from the token endpoint, in the format the Accept header asks for.
 */
import { createHash, randomBytes } from "node:crypto";
import type { GitHubState } from "./model";

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** Registered callback URL. When set, redirect_uri must be it or below it (GitHub's rule for OAuth apps). */
  callbackUrl?: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
}

interface Grant {
  clientId: string;
  userId: number;
  redirectUri: string;
  scopes: string[];
  challenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

const DOCS = "https://docs.github.com/apps/managing-oauth-apps";
const AUTHORIZE_ERRORS = `${DOCS}/troubleshooting-authorization-request-errors`;
const TOKEN_ERRORS = `${DOCS}/troubleshooting-oauth-app-access-token-request-errors`;
const CODE_LIFETIME_MS = 10 * 60 * 1000;

function redirect(target: string, params: Record<string, string | undefined>): Reply {
  const url = new URL(target);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return { status: 302, headers: { location: url.toString() }, text: "" };
}

function underCallback(redirectUri: string, callbackUrl: string): boolean {
  try {
    const given = new URL(redirectUri);
    const registered = new URL(callbackUrl);
    const base = registered.pathname.replace(/\/$/, "");
    return (
      given.origin === registered.origin &&
      (given.pathname === registered.pathname || given.pathname.startsWith(`${base}/`))
    );
  } catch {
    return false;
  }
}

export class OAuthServer {
  private readonly grants = new Map<string, Grant>();
  /** login to approve the next authorization as; null denies it; undefined falls back to the first user. */
  private nextLogin: string | null | undefined;

  constructor(
    private readonly state: GitHubState,
    private readonly app: OAuthApp,
  ) {}

  setNextAuthorizingUser(login: string | null): void {
    if (login !== null && !this.state.userByLogin(login)) {
      throw new Error(`fake GitHub has no user ${login}; call addUser first`);
    }
    this.nextLogin = login;
  }

  authorize(query: URLSearchParams): Reply {
    const state = query.get("state") ?? undefined;
    const given = query.get("redirect_uri") ?? undefined;
    if (query.get("client_id") !== this.app.clientId) {
      // github.com shows a 404 page here; redirecting back with an error lets the app under test show its own page.
      if (!given || !URL.canParse(given)) return { status: 404, text: "Not Found" };
      return redirect(given, {
        error: "unauthorized_client",
        error_description: "The client_id is not that of a registered OAuth app.",
        error_uri: AUTHORIZE_ERRORS,
        state,
      });
    }
    const callback = this.app.callbackUrl;
    if (given && callback && !underCallback(given, callback)) {
      return redirect(callback, {
        error: "redirect_uri_mismatch",
        error_description: "The redirect_uri MUST match the registered callback URL for this application.",
        error_uri: `${AUTHORIZE_ERRORS}/#redirect-uri-mismatch`,
        state,
      });
    }
    const redirectUri = given ?? callback;
    if (!redirectUri || !URL.canParse(redirectUri)) return { status: 400, text: "redirect_uri is missing or invalid" };

    const challenge = query.get("code_challenge") ?? undefined;
    const method = query.get("code_challenge_method") ?? undefined;
    if ((challenge || method) && (method !== "S256" || !challenge || !/^[A-Za-z0-9_-]{43}$/.test(challenge))) {
      return redirect(redirectUri, {
        error: "invalid_request",
        error_description: "code_challenge must be a 43-character S256 challenge and code_challenge_method S256.",
        error_uri: AUTHORIZE_ERRORS,
        state,
      });
    }

    const login = this.nextLogin === undefined ? [...this.state.users.values()][0]?.login : this.nextLogin;
    this.nextLogin = undefined;
    const user = login ? this.state.userByLogin(login) : undefined;
    if (!user) {
      return redirect(redirectUri, {
        error: "access_denied",
        error_description: "The user has denied your application access.",
        error_uri: `${AUTHORIZE_ERRORS}/#access-denied`,
        state,
      });
    }

    const code = randomBytes(10).toString("hex");
    this.grants.set(code, {
      clientId: this.app.clientId,
      userId: user.id,
      redirectUri,
      scopes: (query.get("scope") ?? "").split(/[\s,]+/).filter(Boolean),
      challenge,
      expiresAt: this.state.now().getTime() + CODE_LIFETIME_MS,
      used: false,
    });
    return redirect(redirectUri, { code, state });
  }

  accessToken(headers: Record<string, string | string[] | undefined>, body: Record<string, string>): Reply {
    const accept = String(headers.accept ?? "");
    const answer = (fields: Record<string, string>): Reply =>
      accept.includes("application/json")
        ? { status: 200, json: fields }
        : {
            status: 200,
            headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
            text: new URLSearchParams(fields).toString(),
          };
    const fail = (error: string, description: string, anchor: string): Reply =>
      answer({ error, error_description: description, error_uri: `${TOKEN_ERRORS}/#${anchor}` });

    let clientId = body.client_id;
    let clientSecret = body.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(String(headers.authorization ?? ""));
    if (basic?.[1]) {
      // client_secret_basic (Auth.js's default): base64 of form-encoded "id:secret".
      const [id = "", secret = ""] = Buffer.from(basic[1], "base64").toString("utf8").split(":");
      clientId = decodeURIComponent(id.replace(/\+/g, " "));
      clientSecret = decodeURIComponent(secret.replace(/\+/g, " "));
    }
    if (clientId !== this.app.clientId || clientSecret !== this.app.clientSecret) {
      return fail(
        "incorrect_client_credentials",
        "The client_id and/or client_secret passed are incorrect.",
        "incorrect-client-credentials",
      );
    }

    const grant = body.code ? this.grants.get(body.code) : undefined;
    const expired = !grant || grant.used || grant.clientId !== clientId || grant.expiresAt < this.state.now().getTime();
    if (!grant || expired) {
      return fail("bad_verification_code", "The code passed is incorrect or expired.", "bad-verification-code");
    }
    if (body.redirect_uri && body.redirect_uri !== grant.redirectUri) {
      return fail(
        "redirect_uri_mismatch",
        "The redirect_uri MUST match the registered callback URL for this application.",
        "redirect-uri-mismatch2",
      );
    }
    if (grant.challenge !== undefined) {
      const verifier = body.code_verifier ?? "";
      const computed = createHash("sha256").update(verifier).digest("base64url");
      if (computed !== grant.challenge) {
        // GitHub does not document a separate PKCE error; the code is simply not valid with this verifier.
        return fail("bad_verification_code", "The code passed is incorrect or expired.", "bad-verification-code");
      }
    }
    grant.used = true;
    const token = this.state.issueToken(grant.userId, grant.scopes);
    return answer({ access_token: token.value, token_type: "bearer", scope: grant.scopes.join(",") });
  }
}
