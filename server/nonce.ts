// A cached page must not hand every reader the same CSP nonce: a nonce that stays valid across answers and is
// readable by anyone is no longer a secret, so the policy would again admit a script that names it. So the
// answer is kept with the nonce it was rendered with, cut at every place that nonce occurs, and each reply
// gets a fresh random nonce in both the Content-Security-Policy header and the HTML (the `nonce` attributes
// of Next's scripts and any copy of it in the inline flight data). Nothing else of the page changes.
import crypto from "node:crypto";

/** The same form proxy.ts uses (base64 of a random UUID: 48 characters), so body lengths do not change. */
export function freshNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString("base64");
}

/** The nonce of a Content-Security-Policy value (`'nonce-…'` in script-src), or null. */
export function nonceOf(csp: string | undefined): string | null {
  const match = csp ? /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(csp) : null;
  return match ? match[1]! : null;
}

/** The body cut at every occurrence of `nonce`; joining the parts with the nonce gives the body back. */
export function splitOnNonce(body: Buffer, nonce: string | null): Buffer[] {
  if (!nonce) return [body];
  const needle = Buffer.from(nonce);
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(needle, from); at !== -1; at = body.indexOf(needle, from)) {
    parts.push(body.subarray(from, at));
    from = at + needle.length;
  }
  parts.push(body.subarray(from));
  return parts;
}

/** The body with `nonce` wherever the render's nonce was. */
export function joinWithNonce(segments: Buffer[], nonce: string): Buffer {
  if (segments.length === 1) return segments[0]!;
  const glue = Buffer.from(nonce);
  const pieces: Buffer[] = [];
  segments.forEach((segment, i) => {
    if (i > 0) pieces.push(glue);
    pieces.push(segment);
  });
  return Buffer.concat(pieces);
}

/** A header value with the render's nonce replaced (CSP, and any Link preload that carries it). */
export function replaceNonce<T extends string | string[]>(value: T, from: string, to: string): T {
  return (Array.isArray(value) ? value.map((v) => v.split(from).join(to)) : value.split(from).join(to)) as T;
}
