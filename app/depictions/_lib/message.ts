/**
 * An SVG that says, in the box where a drawing was expected, why there is none. An image route answers it with its
 * error status: an <img> then shows the reason instead of a broken-picture icon. The two visible lines are chosen
 * by the route from a fixed set; the detailed message (which may quote the input) is only in <desc>, XML-escaped.
 */
export function messageSvg(lines: readonly [string, string?], detail: string, width: number, height: number): string {
  const [title, reason] = lines;
  const middle = Math.round(height / 2);
  const size = Math.max(9, Math.min(14, Math.round(width / 22)));
  const text = (y: number, value: string, weight: number) =>
    `<text x="${Math.round(width / 2)}" y="${y}" text-anchor="middle" font-family="sans-serif" font-size="${size}" font-weight="${weight}" fill="#8a1f11">${escapeXml(value)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}px" height="${height}px" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(reason ? `${title}: ${reason}` : title)}">` +
    `<desc>${escapeXml(detail)}</desc>` +
    `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" fill="#fff8f6" stroke="#e5b7ae" stroke-dasharray="4 3"/>` +
    (reason ? text(middle - 4, title, 600) + text(middle + size + 2, reason, 400) : text(middle + Math.round(size / 3), title, 600)) +
    `</svg>`
  );
}

/** Text as XML character data, without the characters XML 1.0 cannot hold at all (which would break the image). */
export function escapeXml(text: string): string {
  return text
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      "\uFFFD",
    )
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
