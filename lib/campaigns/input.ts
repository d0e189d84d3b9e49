import { z } from "zod";

const RESERVED = new Set(["new", "api", "feed", "settings", "search", "signin", "admin"]);

export const slug = z
  .string({ error: "must be a string" })
  .trim()
  .toLowerCase()
  .min(2, "must be at least 2 characters")
  .max(50, "must be at most 50 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "may only hold lowercase letters, digits and inner hyphens")
  .refine((s) => !RESERVED.has(s), "is reserved");

/** GitHub logins: 1-39 characters, alphanumerics and single inner hyphens. */
export const login = z
  .string({ error: "is required" })
  .trim()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "is not a valid GitHub login");
