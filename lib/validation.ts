import type { z } from "zod";
import { AppError } from "./errors";

/**
 * Validate input with a zod schema; on failure throw one AppError whose message names every bad field (a 422, or
 * `code` where the API answers a bad parameter with a 400). Text that PostgreSQL cannot store (a NUL) is refused
 * here too, naming its field.
 */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown, code?: "bad_request"): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) {
    assertStorable(result.data);
    return result.data;
  }
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.join(".") : "(body)";
    fields[field] ??= issue.message;
  }
  const message = Object.entries(fields)
    .map(([field, text]) => `${field}: ${text}`)
    .join("; ");
  const tooLarge = result.error.issues.some((i) => i.code === "too_big" && i.path[0] === "body");
  throw new AppError(code ?? (tooLarge ? "payload_too_large" : "validation_failed"), message, { fields });
}

/** Text PostgreSQL cannot store: a NUL character (text columns refuse it whatever the encoding). */
export function hasUnstorableText(text: string): boolean {
  return text.includes("\u0000");
}

/**
 * The first place in a parsed JSON value (or a record of parameters) holding text PostgreSQL cannot store, as a
 * field path ("campaign", "aliases.2"), or null. Checked at the boundary so such input is a 422 naming the field,
 * never a database error.
 */
export function unstorableField(value: unknown, path = ""): string | null {
  if (typeof value === "string") return hasUnstorableText(value) ? path || "(body)" : null;
  if (typeof value !== "object" || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (hasUnstorableText(key)) return path ? `${path}.${key.replace(/\u0000/g, "\\0")}` : "(key)";
    const found = unstorableField(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/** Throws a 422 naming the field when `value` holds text PostgreSQL cannot store. */
export function assertStorable(value: unknown, prefix = ""): void {
  const field = unstorableField(value, prefix);
  if (field === null) return;
  const message = "must not contain a NUL character";
  throw new AppError("validation_failed", `${field}: ${message}`, { fields: { [field]: message } });
}
