import { describe, expect, it } from "vitest";
import type { TodoFields } from "@/db/schema";
import { composeIssueBody, GITHUB_BODY_LIMIT, parseIssueBody, TODO_BODY_LIMIT, BodyTooLongError } from "@/lib/github/marker";
import { threeWayMerge } from "@/lib/github/merge";
import { signatureFor, verifySignature } from "@/lib/github/webhook";

const base: TodoFields = { title: "Assay", body: "b", state: "open", labels: ["assay"], assignees: ["mat-todd"] };

describe("three-way merge", () => {
  it("takes each side's change of different fields, sends only the notebook's, keeps GitHub's value as the base", () => {
    const r = threeWayMerge(base, { ...base, title: "Assay at 3 doses" }, { ...base, state: "closed" });
    expect(r.local).toEqual({ ...base, title: "Assay at 3 doses", state: "closed" });
    expect(r.toRemote).toEqual({ title: "Assay at 3 doses" });
    expect(r.toLocal).toEqual(["state"]);
    expect(r.conflicts).toEqual({});
    expect(r.base).toEqual({ ...base, state: "closed" });
  });
  it("keeps a true conflict and overwrites neither side", () => {
    const r = threeWayMerge(base, { ...base, title: "mine" }, { ...base, title: "theirs" });
    expect(r.conflicts).toEqual({ title: { local: "mine", remote: "theirs" } });
    expect(r.local.title).toBe("mine");
    expect(r.toRemote).toEqual({});
    expect(r.base.title).toBe("Assay");
  });
  it("is not a conflict when both sides made the same change", () => {
    const r = threeWayMerge(base, { ...base, body: "same" }, { ...base, body: "same" });
    expect(r.conflicts).toEqual({});
    expect(r.toRemote).toEqual({});
  });
  it("merges labels and assignees as sets: additions and removals from both sides, case-insensitively", () => {
    const r = threeWayMerge(
      { ...base, labels: ["assay", "Series 4"] },
      { ...base, labels: ["assay", "series 4", "urgent"] },
      { ...base, labels: ["Series 4", "help wanted"], assignees: ["mat-todd", "alice-lab"] },
    );
    expect(r.local.labels).toEqual(["help wanted", "Series 4", "urgent"]);
    expect(r.local.assignees).toEqual(["alice-lab", "mat-todd"]);
    expect(r.toRemote).toEqual({ labels: ["help wanted", "Series 4", "urgent"] });
    expect(r.conflicts).toEqual({});
  });
});

describe("issue bodies", () => {
  const marker = "0b8a3c1e-3f5e-4d5c-9a0e-1f2a3b4c5d6e";
  it("carries a hidden marker that reading strips again, with the molecule block", () => {
    const body = composeIssueBody("Make OSM-S-106", marker, [
      { code: "OSM-S-106", name: null, pageUrl: "https://nb/molecules/OSM-S-106", imageUrl: "https://nb/molecules/OSM-S-106.png", pubchemUrl: "https://pubchem/x", chemblUrl: null },
    ]);
    expect(body).toContain(`<!-- notebook:todo:${marker} -->`);
    expect(body).toContain('<img src="https://nb/molecules/OSM-S-106.png"');
    expect(body).toContain("[PubChem](https://pubchem/x)");
    expect(parseIssueBody(body)).toEqual({ body: "Make OSM-S-106", marker });
    expect(parseIssueBody("Written on GitHub\r\n")).toEqual({ body: "Written on GitHub", marker: null });
  });
  it("fits GitHub's 65,536 characters: the longest allowed body fits, one more is refused with the numbers", () => {
    expect(composeIssueBody("x".repeat(TODO_BODY_LIMIT), marker)).toHaveLength(GITHUB_BODY_LIMIT);
    expect(() => composeIssueBody("x".repeat(TODO_BODY_LIMIT + 1), marker)).toThrow(BodyTooLongError);
    expect(() => composeIssueBody("x".repeat(TODO_BODY_LIMIT + 1), marker)).toThrow(/65,537 characters.*65,536/);
  });
});

describe("webhook signatures", () => {
  const raw = Buffer.from('{"action":"opened"}');
  it("accepts GitHub's HMAC-SHA256 of the raw body and refuses anything else", () => {
    // Value computed by GitHub's documented example algorithm (HMAC-SHA256, hex, "sha256=" prefix).
    const good = signatureFor("It's a Secret to Everybody", "Hello, World!");
    expect(good).toBe("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    expect(verifySignature("s3cret-s3cret-s3cret", raw, signatureFor("s3cret-s3cret-s3cret", raw))).toBe(true);
    expect(verifySignature("s3cret-s3cret-s3cret", raw, signatureFor("other", raw))).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", Buffer.from('{"action":"closed"}'), signatureFor("s3cret-s3cret-s3cret", raw))).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", raw, null)).toBe(false);
    expect(verifySignature("s3cret-s3cret-s3cret", raw, "sha1=abc")).toBe(false);
  });
});

describe("#42 issue references in markdown", () => {
  it("link to the campaign's issue only as whole references, outside code and links, and only with a campaign", async () => {
    const { renderMarkdown } = await import("@/lib/markdown");
    const html = renderMarkdown("See #42, not a#43 or &#44; or `#45` or [x #46](https://e.org) or #47-b.", { campaign: "series-4" });
    expect(html).toContain('<a href="/campaigns/series-4/todos/issue/42" class="issue-ref">#42</a>');
    for (const n of [43, 44, 45, 46, 47]) expect(html).not.toContain(`todos/issue/${n}`);
    expect(renderMarkdown("See #42")).not.toContain("<a");
  });
});
