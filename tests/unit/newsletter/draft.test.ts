// The draft of Series 4's week 2026-W49 from realistic activity (IDs, structures' codes and values from the OSM
// Series 4 master list), and the same draft as an issue with a maintainer's edits, an e-mail and plain text.
import { describe, expect, it } from "vitest";
import { draftNewsletter } from "@/lib/newsletter/draft";
import { composeIssue, itemCount, leadImage, toggleKey } from "@/lib/newsletter/issue";
import type { ActivityComment, ActivityMeasurement, ActivityMolecule, NewsletterActivity } from "@/lib/newsletter/model";
import { renderNewsletterEmail, renderNewsletterFragment, renderNewsletterText } from "@/lib/newsletter/render";
import { weekWindow } from "@/lib/newsletter/week";

const W = weekWindow("2026-W49"); // Mon 30 Nov – Mon 7 Dec 2026
const at = (day: string, time = "10:00") => new Date(`${day}T${time}:00Z`);

let measurementId = 0;
const measure = (molecule: string, assay: string, value: number, when: Date, extra: Partial<ActivityMeasurement> = {}): ActivityMeasurement => ({
  id: ++measurementId,
  molecule,
  moleculeName: null,
  assay: "IC50",
  target: "Pfal",
  lab: assay,
  value,
  unit: "µM",
  qualifier: "=",
  createdAt: when,
  ...extra,
});

const molecule = (code: string, when: Date, extra: Partial<ActivityMolecule> = {}): ActivityMolecule => ({
  code,
  name: null,
  formula: "C19H13ClFN5O",
  registeredBy: "mat-todd",
  createdAt: when,
  status: "active",
  parkReason: null,
  parkedAt: null,
  ...extra,
});

let commentId = 100;
const comment = (target: string, when: Date, extra: Partial<ActivityComment> = {}): ActivityComment => ({
  id: ++commentId,
  body: "Could the ether be replaced by an amide here?",
  author: "alice-lab",
  createdAt: when,
  question: false,
  answeredAt: null,
  hidden: false,
  target: target.startsWith("entry:")
    ? { key: target, title: `Entry ${target.slice(6)}`, path: `/entries/${target.slice(6)}` }
    : { key: target, title: target.slice(9), path: `/molecules/${target.slice(9)}` },
  ...extra,
});

function series4Week(): NewsletterActivity {
  measurementId = 0;
  commentId = 100;
  return {
    campaign: { slug: "series-4", name: "Series 4 (triazolopyrazines)" },
    week: "2026-W49",
    window: W,
    entries: [
      {
        id: 41,
        title: "SNAr of 2-phenylethanol: OSM-S-369",
        body: "Made **OSM-S-369** (212 mg, 65.8 %). Sent to Dundee for *Pfal* IC50.",
        workDate: "2026-12-01",
        author: "ada-bench",
        createdAt: at("2026-12-01"),
        mentions: ["OSM-S-369"],
      },
      {
        id: 40,
        title: "Ether analogues of OSM-S-272",
        body: "Plan for the difluoro ether series.",
        workDate: "2026-11-18",
        author: "ada-bench",
        createdAt: at("2026-11-18"), // two weeks before: still waiting if OSM-S-370 has no result
        mentions: ["OSM-S-272", "OSM-S-370"],
      },
      {
        id: 12,
        title: "Old plan",
        body: "",
        workDate: "2026-10-01",
        author: "ada-bench",
        createdAt: at("2026-10-01"), // beyond the four weeks of "waiting for data"
        mentions: ["OSM-S-371"],
      },
      {
        id: 42,
        title: "Next week's amides",
        body: "",
        workDate: "2026-12-07",
        author: "ada-bench",
        createdAt: at("2026-12-07", "00:00"), // the next week
        mentions: ["OSM-S-369"],
      },
    ],
    molecules: [
      molecule("OSM-S-369", at("2026-12-01", "09:00"), { name: "phenethyl ether", formula: "C20H16FN5O" }),
      molecule("OSM-S-370", at("2026-11-17"), { formula: "C20H14F3N5O" }),
      molecule("OSM-S-371", at("2026-09-30")),
      molecule("OSM-S-272", at("2026-11-02")),
      molecule("OSM-S-258", at("2026-03-01"), { status: "parked", parkReason: "Inactive at 10 µM (Syngene); the pyridyl loses potency", parkedAt: at("2026-12-03") }),
      molecule("OSM-S-255", at("2026-03-01"), { status: "parked", parkReason: "inactive", parkedAt: at("2026-11-10") }),
    ],
    measurements: [
      // Before the week: OSM-S-208 holds the best Pfal IC50 (0.146 µM, Dundee).
      measure("OSM-S-208", "Dundee", 0.146, at("2026-06-01")),
      measure("OSM-S-175", "Dundee", 0.451, at("2026-06-02")),
      measure("OSM-S-201", "GSK", 5, at("2026-06-03"), { qualifier: ">" }),
      measure("OSM-S-272", "Broad", 0.0493, at("2026-11-20"), { target: "Pfal (3D7)" }),
      // In the week: OSM-S-272 at 0.143 µM (Dundee) and then 44.7 nM (Dundee again) beat it; a ">10" says nothing.
      measure("OSM-S-272", "Dundee", 0.143, at("2026-12-02"), { moleculeName: "difluorophenethyl ether" }),
      measure("OSM-S-258", "Syngene", 10, at("2026-12-02", "11:00"), { qualifier: ">" }),
      measure("OSM-S-272", "Dundee", 44.7, at("2026-12-04"), { unit: "nM", moleculeName: "difluorophenethyl ether" }),
      // The first pIC50 ever is a result, not an improvement.
      measure("OSM-S-369", "Avery", 6.2, at("2026-12-04", "12:00"), { assay: "pIC50", unit: null }),
      // After the week: ignored.
      measure("OSM-S-370", "Dundee", 0.01, at("2026-12-08")),
    ],
    todos: [
      { id: 7, title: "Resynthesize OSM-S-272 for in vivo", state: "open", issueNumber: 612, assignees: ["ada-bench"], createdAt: at("2026-12-02"), lastActivityAt: at("2026-12-02") },
      { id: 5, title: "Order 2-phenylethanol", state: "closed", issueNumber: 601, assignees: [], createdAt: at("2026-11-10"), lastActivityAt: at("2026-12-03") },
      { id: 3, title: "Closed long ago", state: "closed", issueNumber: 590, assignees: [], createdAt: at("2026-10-10"), lastActivityAt: at("2026-11-03") },
    ],
    comments: [
      comment("entry:41", at("2026-12-01", "12:00")),
      comment("entry:41", at("2026-12-01", "13:00"), { author: "mat-todd" }),
      comment("entry:41", at("2026-12-02", "13:00")),
      comment("molecule:OSM-S-272", at("2026-12-02", "14:00")),
      comment("molecule:OSM-S-255", at("2026-12-02", "15:00"), { hidden: true }),
      comment("molecule:OSM-S-255", at("2026-12-02", "16:00"), { hidden: true }),
      // Questions: asked earlier and still open; answered in the week (not open); answered only after the week.
      comment("molecule:OSM-S-272", at("2026-11-20"), { question: true, body: "Has anyone measured **solubility**?" }),
      comment("entry:40", at("2026-11-25"), { question: true, answeredAt: at("2026-12-01") }),
      comment("entry:41", at("2026-12-03"), { question: true, body: "Which base?", answeredAt: at("2026-12-09") }),
    ],
  };
}

describe("the draft of a week", () => {
  const content = draftNewsletter(series4Week());

  it("holds the week's items, each with a stable key and kind, and nothing from outside the week", () => {
    expect(content.week).toBe("2026-W49");
    expect(content.window).toEqual({ start: "2026-11-30T00:00:00.000Z", end: "2026-12-07T00:00:00.000Z" });
    expect(content.items.map((i) => `${i.kind} ${i.key}`)).toEqual([
      "best_potency best:Pfal IC50|µM",
      "entry entry:41",
      "molecule molecule:OSM-S-369",
      "result results:OSM-S-272",
      "result results:OSM-S-258",
      "result results:OSM-S-369",
      "parked parked:OSM-S-258",
      "todo_opened todo-opened:7",
      "todo_closed todo-closed:5",
      "discussion discussion:entry:41",
      "discussion discussion:molecule:OSM-S-272",
      "question question:107",
      "question question:109",
      "waiting waiting:40",
    ]);
    // Drafted again from the same activity: the same items.
    expect(draftNewsletter(series4Week())).toEqual(content);
  });

  it("tells a new most potent compound when an assay's best value improves, in µM, against the best before the week", () => {
    const best = content.items.find((i) => i.kind === "best_potency")!;
    expect(best.title).toBe("New most potent compound for Pfal IC50: OSM-S-272");
    expect(best.summary).toBe("OSM-S-272 · difluorophenethyl ether reached 0.0447 µM (Dundee); the best before this week was OSM-S-208 at 0.146 µM.");
    expect(best.path).toBe("/molecules/OSM-S-272");
    expect(best.image).toEqual({ path: "/molecules/OSM-S-272.png", alt: "Structure of OSM-S-272" });
  });

  it("does not call a result an improvement when it only ties, is a weak bound, or is the assay's first", () => {
    const tie = series4Week();
    tie.measurements = [measure("OSM-S-208", "Dundee", 0.146, at("2026-06-01")), measure("OSM-S-272", "GSK", 146, at("2026-12-02"), { unit: "nM" })];
    expect(draftNewsletter(tie).items.filter((i) => i.kind === "best_potency")).toEqual([]);
    const bound = series4Week();
    bound.measurements = [measure("OSM-S-208", "Dundee", 0.146, at("2026-06-01")), measure("OSM-S-272", "GSK", 0.01, at("2026-12-02"), { qualifier: ">" })];
    expect(draftNewsletter(bound).items.filter((i) => i.kind === "best_potency")).toEqual([]);
    const potentBound = series4Week();
    potentBound.measurements = [measure("OSM-S-208", "Dundee", 0.146, at("2026-06-01")), measure("OSM-S-272", "GSK", 0.1, at("2026-12-02"), { qualifier: "<" })];
    expect(draftNewsletter(potentBound).items.find((i) => i.kind === "best_potency")?.summary).toMatch(/reached < 0\.1 µM/);
    // pIC50: higher is better.
    const pic50 = series4Week();
    pic50.measurements = [
      measure("OSM-S-208", "Avery", 6.5, at("2026-06-01"), { assay: "pIC50", unit: null }),
      measure("OSM-S-272", "Avery", 7.3, at("2026-12-02"), { assay: "pIC50", unit: null }),
      measure("OSM-S-175", "Avery", 5.1, at("2026-12-03"), { assay: "pIC50", unit: null }),
    ];
    expect(draftNewsletter(pic50).items.find((i) => i.kind === "best_potency")?.summary).toBe(
      "OSM-S-272 reached 7.3 (Avery); the best before this week was OSM-S-208 at 6.5.",
    );
  });

  it("summarizes entries, new molecules with their structure, results per molecule and parked molecules with the reason", () => {
    const byKey = new Map(content.items.map((i) => [i.key, i]));
    expect(byKey.get("entry:41")).toMatchObject({
      title: "SNAr of 2-phenylethanol: OSM-S-369",
      summary: "Made OSM-S-369 (212 mg, 65.8 %). Sent to Dundee for Pfal IC50. — ada-bench, work of 2026-12-01",
      path: "/entries/41",
    });
    expect(byKey.get("molecule:OSM-S-369")).toMatchObject({
      title: "OSM-S-369 · phenethyl ether",
      summary: "C20H16FN5O, registered by mat-todd.",
      image: { path: "/molecules/OSM-S-369.png", alt: "Structure of OSM-S-369" },
    });
    expect(byKey.get("results:OSM-S-272")).toMatchObject({
      title: "OSM-S-272 · difluorophenethyl ether: 2 new results",
      summary: "Pfal IC50 0.143 µM (Dundee); Pfal IC50 44.7 nM (Dundee).",
    });
    expect(byKey.get("results:OSM-S-258")?.summary).toBe("Pfal IC50 > 10 µM (Syngene).");
    expect(byKey.get("parked:OSM-S-258")).toMatchObject({ title: "OSM-S-258 parked", summary: "Why: Inactive at 10 µM (Syngene); the pyridyl loses potency" });
  });

  it("lists to-dos opened and closed in the week, the most discussed pages without hidden comments, and open questions as of the week's end", () => {
    const byKey = new Map(content.items.map((i) => [i.key, i]));
    expect(byKey.get("todo-opened:7")).toMatchObject({ title: "Opened: Resynthesize OSM-S-272 for in vivo", summary: "GitHub issue #612, assigned to ada-bench.", path: "/campaigns/series-4/todos/7" });
    expect(byKey.get("todo-closed:5")).toMatchObject({ title: "Closed: Order 2-phenylethanol", summary: "GitHub issue #601." });
    expect(byKey.get("discussion:entry:41")).toMatchObject({ title: "Entry 41", summary: "4 comments this week from alice-lab, mat-todd.", path: "/entries/41" });
    expect(byKey.get("discussion:molecule:OSM-S-272")?.summary).toBe("1 comment this week from alice-lab.");
    expect(byKey.has("discussion:molecule:OSM-S-255")).toBe(false);
    expect(byKey.get("question:107")).toMatchObject({
      title: "Has anyone measured solubility?",
      summary: "Asked by alice-lab on OSM-S-272, 2026-11-20.",
      path: "/molecules/OSM-S-272#comment-107",
    });
    expect(byKey.get("question:109")?.title).toBe("Which base?");
  });

  it("finds entries of the last four weeks still waiting for data on the molecules they mention", () => {
    // Entry 40 (two weeks before) mentions OSM-S-370, measured only after the week; entry 41's OSM-S-369 got its pIC50
    // in the week; entry 12 is older than four weeks; entry 42 is of the next week.
    const waiting = content.items.filter((i) => i.kind === "waiting");
    expect(waiting.map((i) => [i.key, i.summary, i.image?.path])).toEqual([
      ["waiting:40", "OSM-S-370 has no measurement yet (entry of 2026-11-18 by ada-bench).", "/molecules/OSM-S-370.png"],
    ]);
    const unmeasured = series4Week();
    unmeasured.measurements = unmeasured.measurements.filter((m) => m.molecule !== "OSM-S-369");
    expect(draftNewsletter(unmeasured).items.filter((i) => i.kind === "waiting").map((i) => i.summary)).toEqual([
      "OSM-S-370 has no measurement yet (entry of 2026-11-18 by ada-bench).",
      "OSM-S-369 has no measurement yet (entry of 2026-12-01 by ada-bench).",
    ]);
    // A parked molecule waits for nothing.
    const parked = series4Week();
    parked.molecules = parked.molecules.map((m) => (m.code === "OSM-S-370" ? { ...m, status: "parked" as const, parkedAt: at("2026-11-19") } : m));
    expect(draftNewsletter(parked).items.filter((i) => i.kind === "waiting")).toEqual([]);
  });

  it("is empty for a quiet week", () => {
    const quiet = draftNewsletter({ ...series4Week(), week: "2026-W30", window: weekWindow("2026-W30"), comments: [], todos: [] });
    expect(quiet.items).toEqual([]);
    expect(composeIssue(quiet, { editorial: null, pinned: [], dropped: [] }).empty).toBe(true);
    expect(composeIssue(quiet, { editorial: "Lab closed for the conference.", pinned: [], dropped: [] }).empty).toBe(false);
  });
});

describe("an issue: the draft with a maintainer's edits", () => {
  const content = draftNewsletter(series4Week());

  it("puts pinned items first, leaves dropped ones out, and ignores keys the draft does not hold", () => {
    const issue = composeIssue(content, {
      editorial: "  A good week for the ethers.\n\nThanks to Dundee for the fast turnaround.  ",
      pinned: ["todo-closed:5", "entry:41", "entry:999", "parked:OSM-S-258"],
      dropped: ["parked:OSM-S-258", "question:109"],
    });
    expect(issue.editorial).toBe("A good week for the ethers.\n\nThanks to Dundee for the fast turnaround.");
    expect(issue.pinned.map((i) => i.key)).toEqual(["todo-closed:5", "entry:41"]);
    expect(issue.dropped.map((i) => i.key)).toEqual(["parked:OSM-S-258", "question:109"]);
    const shown = issue.sections.flatMap((s) => s.items.map((i) => i.key));
    expect(shown).not.toContain("entry:41");
    expect(shown).not.toContain("question:109");
    expect(issue.sections.map((s) => s.title)).toEqual([
      "New most potent compounds",
      "New molecules",
      "New results",
      "To-dos",
      "Most discussed",
      "Questions still open",
      "Entries waiting for data",
    ]);
    expect(itemCount(issue)).toBe(content.items.length - 2);
    expect(leadImage(issue)).toEqual({ path: "/molecules/OSM-S-272.png", alt: "Structure of OSM-S-272" });
  });

  it("cuts a long section at its limit and says how many more there are", () => {
    const many = series4Week();
    many.molecules = Array.from({ length: 30 }, (_, n) => molecule(`OSM-S-${500 + n}`, at("2026-12-02", `10:${String(n).padStart(2, "0")}`)));
    const issue = composeIssue(draftNewsletter(many), { editorial: null, pinned: ["molecule:OSM-S-529"], dropped: [] });
    const section = issue.sections.find((s) => s.id === "molecules")!;
    expect(section.items).toHaveLength(24);
    expect(section.more).toBe(5);
    expect(issue.pinned.map((i) => i.key)).toEqual(["molecule:OSM-S-529"]); // a pin is shown even past the limit
  });

  it("toggles pins and drops without duplicates", () => {
    expect(toggleKey(["a", "b"], "a", true)).toEqual(["b", "a"]);
    expect(toggleKey(["a", "b"], "a", false)).toEqual(["b"]);
    expect(toggleKey([], "c", false)).toEqual([]);
  });
});

describe("the issue as e-mail, text and feed HTML", () => {
  const activity = series4Week();
  activity.campaign.name = 'Series 4 <script>alert("x")</script>';
  activity.entries[0]!.title = 'SNAr <img src=x onerror="alert(1)"> & friends';
  const issue = composeIssue(draftNewsletter(activity), { editorial: "Welcome <b>back</b>!", pinned: [], dropped: [] });
  const options = { origin: "https://notebook.example.org", siteName: "Open Notebook", unsubscribeUrl: "https://notebook.example.org/unsubscribe/tok123" };

  it("builds HTML with absolute links and PNG structures, escaped text and nothing executable", async () => {
    const mail = await renderNewsletterEmail(issue, options);
    expect(mail.subject).toBe('Series 4 <script>alert("x")</script>: the week of 30 Nov – 6 Dec 2026');
    expect(mail.html).toContain('src="https://notebook.example.org/molecules/OSM-S-272.png"');
    expect(mail.html).toContain('href="https://notebook.example.org/entries/41"');
    expect(mail.html).toContain('href="https://notebook.example.org/campaigns/series-4/newsletter/2026-W49"');
    expect(mail.html).toContain('href="https://notebook.example.org/unsubscribe/tok123"');
    expect(mail.html).toContain("SNAr &#60;img src=x onerror=&#34;alert(1)&#34;&#62; &#38; friends");
    expect(mail.html).toContain("Welcome &#60;b&#62;back&#60;/b&#62;!");
    expect(mail.html).not.toMatch(/<script|<img[^>]*onerror|javascript:/i);
    // Every URL the message loads or links is absolute.
    for (const m of mail.html.matchAll(/(?:src|href)="([^"]*)"/g)) expect(m[1]).toMatch(/^https:\/\/notebook\.example\.org\//);
  });

  it("keeps a subject on one line whatever the campaign's name holds", () => {
    const evil = { ...issue, campaign: { ...issue.campaign, name: "Series 4\r\nBcc: everyone@example.org" } };
    return renderNewsletterEmail(evil, options).then((mail) => expect(mail.subject).toBe("Series 4 Bcc: everyone@example.org: the week of 30 Nov – 6 Dec 2026"));
  });

  it("writes plain text with each item's absolute link and the unsubscribe link", () => {
    const text = renderNewsletterText(issue, options);
    expect(text).toContain("NEW MOST POTENT COMPOUNDS\n\n* New most potent compound for Pfal IC50: OSM-S-272\n");
    expect(text).toContain("  https://notebook.example.org/molecules/OSM-S-272\n");
    expect(text).toContain("Unsubscribe: https://notebook.example.org/unsubscribe/tok123");
    expect(text).toContain("Read it in the archive: https://notebook.example.org/campaigns/series-4/newsletter/2026-W49");
  });

  it("gives feeds the same items as escaped HTML", () => {
    const html = renderNewsletterFragment(issue, options.origin);
    expect(html).toContain('<h2>New most potent compounds</h2>');
    expect(html).toContain('<img src="https://notebook.example.org/molecules/OSM-S-369.png" alt="Structure of OSM-S-369" width="150" height="100">');
    expect(html).not.toMatch(/<script|<img src=x/i);
  });
});
