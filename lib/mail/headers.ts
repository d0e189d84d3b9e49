import crypto from "node:crypto";
import { AppError } from "../errors";

// What goes into a message's header lines. A CR or LF in a value would end the header and start another (a `Bcc:`
// smuggled in through a name or a subject), so addresses and header values with one are refused, and text taken
// from people (titles, names) is flattened onto one line before it becomes a subject.

/** Control characters: CR and LF end a header line; the others have no business there either. */
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g;

/** Header names as RFC 5322 allows them (printable ASCII but the colon). */
const HEADER_NAME = /^[!-9;-~]{1,76}$/;

/** Headers the notebook sets itself; extra headers may not replace them. */
const RESERVED = new Set(["from", "to", "cc", "bcc", "reply-to", "sender", "subject", "message-id", "date", "mime-version", "content-type", "content-transfer-encoding", "return-path"]);

/** One address, as the notebook accepts them from people: no display name, no comments, no quoting. */
export function isMailAddress(value: string): boolean {
  if (value.length > 254 || CONTROL.test(value)) return false;
  const at = value.lastIndexOf("@");
  if (at < 1 || at > 64) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes("..")) return false;
  const labels = domain.split(".");
  return labels.length >= 2 && labels.every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** An address a message goes to: refused (422) unless it is one plain address. */
export function requireMailAddress(value: string, field = "email"): string {
  if (!isMailAddress(value)) {
    throw new AppError("validation_failed", `${field}: must be one e-mail address`, { fields: { [field]: "must be one e-mail address" } });
  }
  return value;
}

/**
 * Text from people (a title, a name) made fit for one header line: control characters (CR and LF among them)
 * become spaces, runs of white space one space, and it is cut at `max` characters.
 */
export function headerText(value: string, max = 160): string {
  const flat = value.replace(CONTROL_RUNS, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** A header value that is about to be written as it is: refused if it could end its line. */
export function assertHeaderValue(name: string, value: string): void {
  if (CONTROL.test(value.replace(/\t/g, " "))) {
    throw new AppError("validation_failed", `The mail header ${name} must be one line without control characters.`);
  }
}

/** Extra headers of a message (List-Unsubscribe and the like): names checked, values one line each, nothing reserved. */
export function checkExtraHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new AppError("validation_failed", `${JSON.stringify(name)} is not a mail header name.`);
    if (RESERVED.has(name.toLowerCase())) throw new AppError("validation_failed", `The mail header ${name} is set by the notebook itself.`);
    assertHeaderValue(name, value);
  }
  return headers;
}

/**
 * RFC 2369 `List-Unsubscribe` with RFC 8058 one-click: a mail client POSTs `List-Unsubscribe=One-Click` to the URL,
 * with no cookies, and the subscription ends. The URL carries everything needed (a token).
 */
export function listUnsubscribeHeaders(url: string): Record<string, string> {
  const parsed = new URL(url);
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error(`listUnsubscribeHeaders: not a web URL: ${url}`);
  return { "List-Unsubscribe": `<${parsed.href}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/** The host part of Message-IDs: the public URL's host name, else `notebook.local`. */
export function messageIdHost(publicUrl: string | undefined): string {
  if (!publicUrl) return "notebook.local";
  try {
    const host = new URL(publicUrl).hostname;
    return /^[A-Za-z0-9.-]+$/.test(host) ? host : "notebook.local"; // an IPv6 literal is no dot-atom
  } catch {
    return "notebook.local";
  }
}

/** A new Message-ID, `<random@host>`: fixed when a message is queued and sent with every attempt. */
export function newMessageId(host: string): string {
  return `<${crypto.randomBytes(16).toString("hex")}@${host}>`;
}
