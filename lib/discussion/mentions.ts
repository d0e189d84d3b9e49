/**
 * People mentioned in markdown as `@login` (GitHub's login rules: letters, digits and single hyphens, at most 39),
 * outside code. An e-mail address (`ada@example.org`) is not a mention, nor is `@` inside a word.
 */

const MENTION = /(^|[^\w@/.`-])@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?![\w@-])/g;

export function findUserMentions(markdown: string): string[] {
  // Code is quoted text, not a message to someone: fenced blocks and inline code are left out.
  const text = markdown.replace(/(^|\n)(```|~~~)[^\n]*\n[\s\S]*?(\n\2[^\n]*(?=\n|$)|$)/g, "$1").replace(/`[^`\n]*`/g, " ");
  const found = new Map<string, string>();
  for (const match of text.matchAll(MENTION)) {
    const login = match[2]!;
    if (!found.has(login.toLowerCase())) found.set(login.toLowerCase(), login);
  }
  return [...found.values()];
}
