/** Comments by people a campaign does not know yet: their links carry rel="nofollow ugc", and markup stays inert. */
import { describe, expect, it } from "vitest";
import { findUserMentions } from "@/lib/discussion/mentions";
import { renderMarkdown, withUgcLinks } from "@/lib/markdown";

describe("comments' markdown", () => {
  it("marks every link of an unknown commenter nofollow ugc, and keeps script out", () => {
    const html = withUgcLinks(renderMarkdown('Cheap [pills](https://spam.example) <script>alert(1)</script> <a href="javascript:alert(2)">x</a> https://also.example'));
    expect(html.match(/<a /g)?.length).toBe(2);
    expect(html.match(/<a rel="nofollow ugc" href="https:\/\//g)?.length).toBe(2);
    expect(html).not.toMatch(/<script|javascript:/);
    expect(withUgcLinks(html)).toBe(html); // applied twice, still one rel
  });

  it("finds @mentions as GitHub logins, not e-mail addresses or code", () => {
    // `@Ben_x` is no GitHub login (no underscores there), so it mentions nobody rather than a "Ben".
    expect(findUserMentions("Thanks @ada-bench and @Ben_x, cc @ben-synth! Mail ada@example.org; `@notme` and\n```\n@neither\n```\n@Ada-Bench again")).toEqual([
      "ada-bench",
      "ben-synth",
    ]);
    expect(findUserMentions("@-bad @bad- @a--b @" + "x".repeat(40))).toEqual([]);
  });
});
