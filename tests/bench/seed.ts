// A notebook the size of a long campaign: 5,000 entries with about 20,000 revisions, written
// straight into the database in batches (the API would take far longer and measure nothing new).
import { sql } from "drizzle-orm";
import type { Db } from "@/db/index";
import { putMembership, requireCampaign } from "@/db/queries/campaigns";
import { createToken } from "@/db/queries/tokens";
import { ensureUserByLogin } from "@/db/queries/users";
import { entries, events, revisions } from "@/db/schema";
import { createCampaign } from "../integration/support/use-cases";

const WORDS = "amide coupling Suzuki reductive amination triazolopyrazine aldehyde morpholine yield column TLC NMR LCMS potency solubility assay 3D7 IC50 recrystallised filtered dried concentrated purified analogue ether linker fluorine pyridine".split(" ");

function paragraph(seed: number, words: number): string {
  let out = "";
  for (let i = 0; i < words; i++) out += `${WORDS[(seed * 31 + i * 17) % WORDS.length]} `;
  return out.trim();
}

function body(i: number, revision: number): string {
  return `## Entry ${i}\n\n${paragraph(i, 60)}.\n\n| step | result |\n|---|---|\n| ${revision} | ${paragraph(i + revision, 6)} |\n\n${paragraph(i * 7 + revision, 80)}.`;
}

export interface BenchData {
  slug: string;
  entryIds: number[];
  writerTokens: string[];
  revisionCount: number;
}

export async function seedBench(db: Db, options: { entries: number; revisionsPerEntry: number; writers: number }): Promise<BenchData> {
  const maintainer = await ensureUserByLogin(db, "bench-maintainer");
  await createCampaign(db, { id: maintainer.id, login: maintainer.login }, { name: "Bench campaign", slug: "bench" });
  const campaign = await requireCampaign(db, "bench");
  const writerTokens: string[] = [];
  for (let w = 0; w < options.writers; w++) {
    const login = `bench-writer-${w}`;
    await putMembership(db, campaign, login, "maintainer", maintainer.id);
    const user = await ensureUserByLogin(db, login);
    writerTokens.push((await createToken(db, user.id, "bench")).token);
  }
  const entryIds: number[] = [];
  const batch = 250;
  for (let start = 0; start < options.entries; start += batch) {
    await db.transaction(async (tx) => {
      const rows = Array.from({ length: Math.min(batch, options.entries - start) }, (_, k) => {
        const i = start + k;
        const day = new Date(Date.UTC(2019, 0, 1) + Math.floor(i / 3) * 86_400_000).toISOString().slice(0, 10);
        return { campaignId: campaign.id, authorId: maintainer.id, workDate: day, title: `Day ${day}: ${paragraph(i, 5)}`, body: body(i, options.revisionsPerEntry) };
      });
      const inserted = await tx.insert(entries).values(rows).returning({ id: entries.id, title: entries.title });
      const revisionRows = inserted.flatMap((e, k) =>
        Array.from({ length: options.revisionsPerEntry }, (_, r) => ({ entryId: e.id, number: r + 1, authorId: maintainer.id, title: e.title, body: body(start + k, r + 1) })),
      );
      await tx.insert(revisions).values(revisionRows);
      await tx.execute(sql`update entries set current_revision_id = r.id, revision_count = r.number
        from revisions r where r.entry_id = entries.id and r.number = ${options.revisionsPerEntry} and entries.id between ${inserted[0]!.id} and ${inserted.at(-1)!.id}`);
      await tx.insert(events).values(inserted.map((e) => ({ kind: "entry.created" as const, campaignId: campaign.id, actorId: maintainer.id, entryId: e.id, title: e.title })));
      entryIds.push(...inserted.map((e) => e.id));
    });
  }
  return { slug: "bench", entryIds, writerTokens, revisionCount: options.entries * options.revisionsPerEntry };
}
