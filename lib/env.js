// @ts-check
// The one place the environment is read and validated. Plain JavaScript so that next.config.js
// can import it and a bad configuration fails at start, not on the first request.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { z } from "zod";

/** One mailbox on one line: `address` or `Name <address>` (no CR/LF, so no header can be smuggled in). */
const MAILBOX = /^(?:[^\r\n\0<>@]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  NOTEBOOK_DATA_DIR: z.string().min(1).default("./data"),
  AUTH_SECRET: z.string().min(16, "AUTH_SECRET must be at least 16 characters").optional(),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  GITHUB_BASE_URL: z.string().url("GITHUB_BASE_URL must be a URL").default("https://github.com"),
  NOTEBOOK_LOCAL_SIGNIN: z.enum(["auto", "on", "off"]).default("auto"),
  NOTEBOOK_PUBLIC_URL: z.string().url("NOTEBOOK_PUBLIC_URL must be a URL").optional(),
  NOTEBOOK_SITE_NAME: z.string().min(1).default("Open Notebook"),
  NOTEBOOK_RATE_LIMIT_WRITES: z.coerce.number().int().positive().default(120),
  NOTEBOOK_RATE_LIMIT_SIGNIN: z.coerce.number().int().positive().default(20),
  /** Seconds between reconciles of every to-do list with its GitHub repository; 0 turns the periodic sync off. */
  NOTEBOOK_GITHUB_SYNC_INTERVAL: z.coerce.number().int().min(0).default(300),
  NOTEBOOK_PAGE_CACHE_MB: z.coerce
    .number({ error: "NOTEBOOK_PAGE_CACHE_MB must be a number of megabytes" })
    .int()
    .min(0)
    .max(65536)
    .default(64),
  /** E-mail (README "E-mail"): without an SMTP server, e-mail is off and nothing is queued for sending. */
  NOTEBOOK_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "NOTEBOOK_SMTP_URL must be an smtp:// or smtps:// URL (e.g. smtps://user:pass@mail.example.org:465)")
    .optional(),
  /** The sender of every message: an address, or `Name <address>`. */
  NOTEBOOK_MAIL_FROM: z.string().regex(MAILBOX, "NOTEBOOK_MAIL_FROM must be an address or `Name <address>`, on one line").optional(),
  /** Seconds between two looks at the outbox (and at notifications to mail) in each app process. */
  NOTEBOOK_MAIL_INTERVAL: z.coerce.number({ error: "NOTEBOOK_MAIL_INTERVAL must be a number of seconds" }).min(0.05).max(3600).default(5),
  /** Seconds a process holds the messages it claimed; a claim of a process that died lapses after this. */
  NOTEBOOK_MAIL_CLAIM_SECONDS: z.coerce
    .number({ error: "NOTEBOOK_MAIL_CLAIM_SECONDS must be a number of seconds" })
    .min(1)
    .max(86400)
    .default(300),
  /** Seconds between two looks for assays whose results changed since their model was trained (server/model-runner.ts). */
  NOTEBOOK_MODEL_INTERVAL: z.coerce.number({ error: "NOTEBOOK_MODEL_INTERVAL must be a number of seconds" }).min(1).max(86400).default(120),
  /** Seconds between two looks for pictures attached to entries that are not scanned yet (server/scan-runner.ts). */
  NOTEBOOK_SCAN_INTERVAL: z.coerce.number({ error: "NOTEBOOK_SCAN_INTERVAL must be a number of seconds" }).min(1).max(86400).default(20),
  /** How long a process's claim on a picture it scans holds; a process that dies leaves it to lapse (server/scan-runner.ts). */
  NOTEBOOK_SCAN_CLAIM_SECONDS: z.coerce
    .number({ error: "NOTEBOOK_SCAN_CLAIM_SECONDS must be a number of seconds" })
    .min(1)
    .max(86400)
    .default(300),
  /** Newsletter sign-ups per client address per hour. */
  NOTEBOOK_RATE_LIMIT_SUBSCRIBE: z.coerce.number().int().positive().default(20),
});

/** @typedef {z.infer<typeof schema> & { githubOAuth: boolean, localSignIn: boolean, authSecret: string, dataDir: string, mailEnabled: boolean }} Env */

/** @returns {Env} */
function load() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  const githubOAuth = Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
  if (Boolean(env.AUTH_GITHUB_ID) !== Boolean(env.AUTH_GITHUB_SECRET)) {
    throw new Error("Invalid environment:\n  AUTH_GITHUB_ID and AUTH_GITHUB_SECRET must be set together");
  }
  const localSignIn = env.NOTEBOOK_LOCAL_SIGNIN === "on" || (env.NOTEBOOK_LOCAL_SIGNIN === "auto" && !githubOAuth);
  const dataDir = path.resolve(env.NOTEBOOK_DATA_DIR);
  const mailEnabled = Boolean(env.NOTEBOOK_SMTP_URL);
  if (mailEnabled && !env.NOTEBOOK_MAIL_FROM) {
    throw new Error("Invalid environment:\n  NOTEBOOK_MAIL_FROM is required when NOTEBOOK_SMTP_URL is set (the sender of every message)");
  }
  if (mailEnabled && !env.NOTEBOOK_PUBLIC_URL) {
    throw new Error("Invalid environment:\n  NOTEBOOK_PUBLIC_URL is required when NOTEBOOK_SMTP_URL is set (links in e-mail point there)");
  }
  return { ...env, githubOAuth, localSignIn, dataDir, mailEnabled, authSecret: env.AUTH_SECRET ?? embeddedSecret(env, dataDir) };
}

/**
 * On a laptop nobody should have to invent a secret: the embedded database keeps one beside its data.
 * With PostgreSQL several processes must share it, so it has to come from the environment.
 * @param {z.infer<typeof schema>} env
 * @param {string} dataDir
 */
function embeddedSecret(env, dataDir) {
  if (env.DATABASE_URL) {
    if (process.env.NEXT_PHASE === "phase-production-build") return "build-time-placeholder-secret";
    throw new Error("Invalid environment:\n  AUTH_SECRET is required when DATABASE_URL is set");
  }
  const file = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}-auth-secret`);
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}

/** @type {Env | undefined} */
let cached;

/** Validated environment, read once per process. */
export function env() {
  cached ??= load();
  return cached;
}

/** Forget the cached environment (tests change process.env between cases). */
export function resetEnvForTests() {
  cached = undefined;
}
