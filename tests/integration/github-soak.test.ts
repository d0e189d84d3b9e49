// Soak: a few thousand random edits on both sides (the notebook and GitHub), synced in rounds with conflicts
// resolved as they come; at the end both sides hold the same to-dos and no issue exists twice.
import { afterAll, beforeAll, expect, it } from "vitest";
import { listTodos, resolveConflict } from "@/db/queries/todos";
import type { FakeGitHub } from "../fakes/github/server";
import { parseIssueBody } from "@/lib/github/marker";
import { normalizeSet } from "@/lib/github/merge";
import { describeEachDatabase } from "./support/databases";
import { OWNER, connectedCampaign, githubUser, newSync, startGitHub } from "./support/github";
import { createTodo, updateTodo } from "./support/use-cases";

const TODOS = 15;
const ROUNDS = 20;
const EDITS_PER_SIDE = 50; // 20 rounds × 100 edits = 2,000 edits, plus the creates
const LABELS = ["assay", "Series 4", "urgent", "help wanted", "synthesis"];
const PEOPLE = ["mat-todd", "alice-lab"];

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startGitHub();
}, 60_000);
afterAll(async () => {
  await fake?.close();
});

describeEachDatabase("to-do sync soak", (get) => {
  it("ends with both sides equal and no duplicates after thousands of random edits", async () => {
    const db = get().db;
    const rnd = random(20261130);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const subset = (xs: readonly string[]) => xs.filter(() => rnd() < 0.35);
    // A loaded machine may answer slowly: a timed-out write stays pending and is retried, which is part of the test.
    const sync = newSync(db, fake, { timeoutMs: 15_000 });
    const settle = async () => {
      for (let i = 0; i < 5; i++) if ((await sync.sync(await connection())).errors.length === 0) return;
      throw new Error(`sync kept failing: ${(await connection()).lastError}`);
    };
    const { campaign, maintainer, slug, repo, connection } = await connectedCampaign(db, fake);
    const gh = githubUser(fake, "mat-todd");
    for (let i = 0; i < TODOS; i++) await createTodo(db, maintainer, slug, { title: `To-do ${i}`, body: `Body ${i}` });
    await settle();
    let edits = 0;
    let conflictsSeen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const todos = await listTodos(db, campaign.id, { state: "all" }, 1000);
      for (let e = 0; e < EDITS_PER_SIDE; e++) {
        const t = pick(todos);
        const change = pick(["title", "body", "state", "labels", "assignees"] as const);
        const value =
          change === "title" ? `T${round}.${e} local` : change === "body" ? `local body ${round}.${e}` : change === "state" ? pick(["open", "closed"]) : change === "labels" ? subset(LABELS) : subset(PEOPLE);
        await updateTodo(db, maintainer, t.id, { [change]: value }).catch((error: { code?: string }) => {
          if (error.code !== "conflict") throw error; // a field in conflict waits for its resolution
        });
        edits++;
      }
      for (let e = 0; e < EDITS_PER_SIDE; e++) {
        const issue = pick(fake.issues(OWNER, repo));
        const change = pick(["title", "body", "state", "labels", "assignees"] as const);
        const { marker } = parseIssueBody(issue.body);
        const body = `remote body ${round}.${e}\n\n<!-- notebook:todo:${marker} -->`;
        const value = change === "title" ? { title: `T${round}.${e} remote` } : change === "body" ? { body } : change === "state" ? { state: pick(["open", "closed"] as const) } : change === "labels" ? { labels: subset(LABELS) } : { assignees: subset(PEOPLE) };
        await gh.rest.issues.update({ owner: OWNER, repo, issue_number: issue.number, ...value });
        edits++;
      }
      await settle();
      for (const t of await listTodos(db, campaign.id, { state: "all", conflicts: true }, 1000)) {
        for (const field of Object.keys(t.conflicts)) {
          conflictsSeen++;
          await resolveConflict(db, maintainer, t.id, field, rnd() < 0.5 ? "notebook" : "github");
        }
      }
    }
    // Settle: push what is pending and read back until nothing moves.
    for (let i = 0; i < 3; i++) await settle();
    const local = await listTodos(db, campaign.id, { state: "all" }, 1000);
    const remote = fake.issues(OWNER, repo);
    expect(edits).toBeGreaterThanOrEqual(2000);
    expect(conflictsSeen).toBeGreaterThan(0);
    expect(remote).toHaveLength(TODOS);
    expect(local).toHaveLength(TODOS);
    const markers = remote.map((i) => parseIssueBody(i.body).marker);
    expect(new Set(markers).size).toBe(TODOS); // 0 duplicates
    for (const t of local) {
      const issue = remote.find((i) => i.number === t.issueNumber)!;
      expect(t.conflicts).toEqual({});
      expect({ title: t.title, body: t.body, state: t.state, labels: t.labels, assignees: t.assignees }).toEqual({
        title: issue.title,
        body: parseIssueBody(issue.body).body,
        state: issue.state,
        labels: normalizeSet(issue.labels),
        assignees: normalizeSet(issue.assignees),
      });
    }
    expect(fake.violations).toEqual([]);
  }, 600_000);
});
