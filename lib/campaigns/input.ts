import { z } from "zod";
import { roles } from "./model";

const RESERVED = new Set(["new", "api", "feed", "settings", "search", "signin", "admin"]);

export const slug = z
  .string({ error: "must be a string" })
  .trim()
  .toLowerCase()
  .min(2, "must be at least 2 characters")
  .max(50, "must be at most 50 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "may only hold lowercase letters, digits and inner hyphens")
  .refine((s) => !RESERVED.has(s), "is reserved");

export const createCampaignInput = z.strictObject({
  name: z.string({ error: "is required" }).trim().min(1, "must not be empty").max(120, "must be at most 120 characters"),
  slug,
  description: z.string().trim().max(2000, "must be at most 2000 characters").default(""),
});
export type CreateCampaignInput = z.infer<typeof createCampaignInput>;

/** GitHub logins: 1-39 characters, alphanumerics and single inner hyphens. */
export const login = z
  .string({ error: "is required" })
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "is not a valid GitHub login");

export const memberInput = z.strictObject({
  login,
  role: z.enum(roles, { error: "must be maintainer or member" }),
});
