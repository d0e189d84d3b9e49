import type { Db } from "@/db/index";
import { createCampaign, listCampaigns, putMembership, requireCampaign } from "@/db/queries/campaigns";
import { createEntry, updateEntry } from "@/db/queries/entries";
import { ensureUserByLogin } from "@/db/queries/users";
import { demoCampaign, demoEntries, demoPeople } from "@/lib/demo/series4";

/** Fill an empty notebook with the demo campaign; a notebook that has any campaign is left alone. */
export async function seedDemo(db: Db): Promise<boolean> {
  if ((await listCampaigns(db)).length > 0) return false;
  const people = new Map<string, { id: number; login: string }>();
  for (const p of demoPeople) {
    const user = await ensureUserByLogin(db, p.login);
    people.set(p.login, { id: user.id, login: user.login });
  }
  const [first, ...rest] = demoPeople;
  await createCampaign(db, people.get(first!.login)!, demoCampaign);
  const campaign = await requireCampaign(db, demoCampaign.slug);
  for (const p of rest) await putMembership(db, campaign, p.login, p.role, people.get(first!.login)!.id);
  for (const e of demoEntries) {
    const entry = await createEntry(db, people.get(e.author)!, { campaign: campaign.slug, date: e.date, title: e.title, body: e.body });
    let base = entry.revisionId;
    for (const edit of e.edits ?? []) {
      const saved = await updateEntry(db, people.get(edit.author)!, entry.id, { body: edit.body, message: edit.message, baseRevision: base });
      base = saved.entry.revisionId;
    }
  }
  return true;
}
