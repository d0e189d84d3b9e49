/** What people may write into a to-do and a repository connection; GitHub's own limits, checked before any write. */
import { z } from "zod";
import { TODO_BODY_LIMIT, normalizeBody } from "./marker";
import { normalizeSet } from "./merge";

const label = z.string().trim().min(1, "a label cannot be empty").max(50, "labels have at most 50 characters");
const login = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "not a GitHub login");

export const todoFieldsSchema = z.object({
  title: z.string().trim().min(1, "a title is required").max(256, "GitHub titles have at most 256 characters"),
  body: z
    .string()
    .max(TODO_BODY_LIMIT, `GitHub issue bodies hold at most ${TODO_BODY_LIMIT.toLocaleString("en")} characters here (65,536 less the notebook's hidden marker)`)
    .transform(normalizeBody),
  state: z.enum(["open", "closed"]),
  labels: z.array(label).max(100, "at most 100 labels").transform(normalizeSet),
  assignees: z.array(login).max(10, "GitHub allows at most 10 assignees").transform(normalizeSet),
});

export const createTodoSchema = todoFieldsSchema.partial({ body: true, state: true, labels: true, assignees: true }).extend({
  /** Add the mentioned molecules' structures and database links to the issue body. */
  moleculeLinks: z.boolean().optional(),
});
export type CreateTodoInput = z.infer<typeof createTodoSchema>;

export const updateTodoSchema = todoFieldsSchema.partial().strict();
export type UpdateTodoInput = z.infer<typeof updateTodoSchema>;

const repoPart = z.string().trim().regex(/^[A-Za-z0-9_.-]{1,100}$/, "not a GitHub owner or repository name");

export const connectionSchema = z
  .object({
    repository: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, "write the repository as owner/name"),
    authKind: z.enum(["token", "app"]),
    token: z.string().trim().min(1).optional(),
    appId: z.string().trim().regex(/^\d+$/, "the App ID is a number").optional(),
    privateKey: z.string().trim().includes("PRIVATE KEY", { message: "paste the App's PEM private key" }).optional(),
    installationId: z.coerce.number().int().positive().optional(),
    apiBaseUrl: z.string().trim().url("the API base must be a URL").optional(),
    webhookSecret: z.string().min(16, "use a webhook secret of at least 16 characters").optional(),
  })
  .superRefine((v, ctx) => {
    if (v.authKind === "token" && !v.token) ctx.addIssue({ code: "custom", path: ["token"], message: "a token is required" });
    if (v.authKind === "app") {
      for (const key of ["appId", "privateKey", "installationId"] as const) {
        if (!v[key]) ctx.addIssue({ code: "custom", path: [key], message: "required for a GitHub App" });
      }
    }
  })
  .transform((v) => {
    const [owner = "", repo = ""] = v.repository.split("/");
    return { ...v, owner: repoPart.parse(owner), repo: repoPart.parse(repo) };
  });
export type ConnectionInput = z.infer<typeof connectionSchema>;

/** The REST base for a web base: github.com → api.github.com; an Enterprise server → <host>/api/v3. */
export function apiBaseFor(webBase: string): string {
  const url = new URL(webBase);
  if (url.hostname === "github.com") return "https://api.github.com";
  return `${url.origin}${url.pathname.replace(/\/$/, "")}/api/v3`;
}
