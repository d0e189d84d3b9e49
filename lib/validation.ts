import type { z } from "zod";
import { AppError } from "./errors";

/** Validate input with a zod schema; on failure throw one AppError whose message names every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join(".") : "(body)";
    fields[field] ??= issue.message;
  }
  const message = Object.entries(fields)
    .map(([field, text]) => `${field}: ${text}`)
    .join("; ");
  const tooLarge = result.error.issues.some((i) => i.code === "too_big" && i.path[0] === "body");
  throw new AppError(tooLarge ? "payload_too_large" : "validation_failed", message, { fields });
}
