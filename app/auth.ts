import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { getDb } from "@/db/index";
import { ensureUserByLogin, upsertGithubUser } from "@/db/queries/users";
import { login as loginSchema } from "@/lib/campaigns/input";
import { env } from "@/lib/env.js";
import { isLoopbackRequest } from "./_lib/request";

declare module "next-auth" {
  interface Session {
    /** The notebook account: our own id (not GitHub's) and the login shown on pages. */
    actor?: { id: number; login: string };
  }
}

function config(): NextAuthConfig {
  const e = env();
  const providers: NextAuthConfig["providers"] = [];
  if (e.githubOAuth) {
    const enterprise = e.GITHUB_BASE_URL.replace(/\/$/, "") === "https://github.com" ? undefined : { baseUrl: e.GITHUB_BASE_URL.replace(/\/$/, "") };
    providers.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET, enterprise }));
  }
  if (e.localSignIn) {
    providers.push(
      Credentials({
        id: "local",
        name: "Local sign-in",
        credentials: { login: { label: "Name", type: "text" } },
        // Only for a notebook on one's own machine: no password, so it is refused unless the request
        // came to a loopback address (the start command also binds the server to 127.0.0.1).
        async authorize(credentials, request) {
          if (!isLoopbackRequest(request)) return null;
          const parsed = loginSchema.safeParse(credentials?.login);
          if (!parsed.success) return null;
          const user = await ensureUserByLogin(await getDb(), parsed.data);
          if (user.githubId !== null) return null; // a GitHub account is never taken over locally
          return { id: String(user.id), name: user.login };
        },
      }),
    );
  }
  return {
    secret: e.authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async jwt({ token, user, account, profile }) {
        if (account?.provider === "github" && profile) {
          const p = profile as unknown as { id: number; login: string; name?: string | null; avatar_url?: string | null };
          const dbUser = await upsertGithubUser(await getDb(), { id: Number(p.id), login: p.login, name: p.name, avatarUrl: p.avatar_url });
          token.uid = dbUser.id;
          token.login = dbUser.login;
          token.picture = dbUser.avatarUrl;
        } else if (account?.provider === "local" && user?.id) {
          token.uid = Number(user.id);
          token.login = user.name;
        }
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === "number" && typeof token.login === "string") {
          session.actor = { id: token.uid, login: token.login };
        }
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());
