import type { Db } from "@/db/index";
import { createCampaign, listCampaigns, putMembership, requireCampaign } from "@/db/queries/campaigns";
import { addAttachment } from "@/db/queries/attachments";
import { createEntry, updateEntry } from "@/db/queries/entries";
import { requireMolecule } from "@/db/queries/molecules/index";
import { importSheet } from "@/db/queries/molecules/imports";
import { setRegistrySettings } from "@/db/queries/molecules/registry";
import { saveTemplate } from "@/db/queries/templates";
import { ensureUserByLogin } from "@/db/queries/users";
import { depictSvg } from "@/lib/chem/depict";
import { rasterizeSvg } from "@/lib/chem/raster";
import { createCampaignInput } from "@/lib/contract/campaigns";
import { createEntryInput, updateEntryInput } from "@/lib/contract/entries";
import { importInput } from "@/lib/contract/imports";
import { registrySettingsInput } from "@/lib/contract/molecules";
import { closeSharedChemPool } from "@/lib/sandbox/pool";
import { parseInput } from "@/lib/validation";
import { osmDemoRegistry, osmDemoSheet, osmDemoUnit } from "@/lib/demo/osm-molecules";
import { demoCampaign, demoDiscussion, demoEntries, demoPeople, demoWiki } from "@/lib/demo/series4";
import { createPage } from "@/db/queries/wiki";
import { createPageInput } from "@/lib/contract/wiki";
import { createComment, markAnswered } from "@/db/queries/comments";
import { createCommentInput } from "@/lib/contract/comments";
import { seedPredictions } from "./seed-predictions";

/** Fill an empty notebook with the demo campaign; a notebook that has any campaign is left alone. */
export async function seedDemo(db: Db): Promise<boolean> {
  if ((await listCampaigns(db)).length > 0) return false;
  const people = new Map<string, { id: number; login: string }>();
  for (const p of demoPeople) {
    const user = await ensureUserByLogin(db, p.login);
    people.set(p.login, { id: user.id, login: user.login });
  }
  const [first, ...rest] = demoPeople;
  // The demo goes through the same checks as anything a person sends (trims, defaults, normalized units).
  await createCampaign(db, people.get(first!.login)!, parseInput(createCampaignInput, demoCampaign));
  const campaign = await requireCampaign(db, demoCampaign.slug);
  for (const p of rest) await putMembership(db, campaign, p.login, p.role, people.get(first!.login)!.id);
  try {
    await seedMolecules(db, people.get(first!.login)!, campaign.slug);
    await seedEntries(db, people, campaign.slug);
    await seedPredictions(db, people, campaign.slug);
    for (const page of demoWiki)
      await createPage(db, people.get(page.author)!, campaign.slug, parseInput(createPageInput, { title: page.title, body: page.body }));
  } finally {
    // The server that starts next has its own workers: don't keep this process's toolkits in memory meanwhile.
    await closeSharedChemPool();
  }
  return true;
}

/** The demo's dated entries, their later edits and reaction blocks, saved as a chemist's would be. */
async function seedEntries(db: Db, people: Map<string, { id: number; login: string }>, slug: string): Promise<void> {
  const campaign = { slug };
  for (const e of demoEntries) {
    const entry = await createEntry(
      db,
      people.get(e.author)!,
      parseInput(createEntryInput, { campaign: campaign.slug, date: e.date, title: e.title, body: e.body, reactions: e.reactions ?? [] }),
    );
    let base = entry.revisionId;
    for (const edit of e.edits ?? []) {
      const saved = await updateEntry(
        db,
        people.get(edit.author)!,
        entry.id,
        parseInput(updateEntryInput, { body: edit.body, reactions: edit.reactions, message: edit.message, baseRevision: base }),
      );
      base = saved.entry.revisionId;
    }
    for (const picture of e.pictures ?? []) {
      const molecule = await requireMolecule(db, picture.molecule);
      // Drawn as the molecule pages draw a 640 × 420 PNG: OpenChemLib at its natural bond length, scaled up.
      const png = await rasterizeSvg(depictSvg(molecule.idcode, { width: 360, height: 236 }), 640);
      await addAttachment(db, people.get(e.author)!, entry.id, { name: picture.filename, type: "image/png", data: new Uint8Array(png) });
    }
    if (e.template) await saveTemplate(db, people.get(e.author)!, entry.id, e.template);
    if (e.title === demoDiscussion.entryTitle) await seedDiscussion(db, entry.id);
  }
}

/** A reader's question on an entry and the chemist's answer, through the same use cases as the page's. */
async function seedDiscussion(db: Db, entryId: number): Promise<void> {
  const { question, answer } = demoDiscussion;
  const reader = await ensureUserByLogin(db, question.author);
  const chemist = await ensureUserByLogin(db, answer.author);
  const target = { kind: "entry", id: entryId };
  const asked = await createComment(
    db,
    { id: reader.id, login: reader.login },
    parseInput(createCommentInput, { target, body: question.body, question: true }),
  );
  await createComment(
    db,
    { id: chemist.id, login: chemist.login },
    parseInput(createCommentInput, { target, body: answer.body, replyTo: asked.id }),
  );
  await markAnswered(db, { id: chemist.id, login: chemist.login }, asked.id);
}

/**
 * Real Series 4 molecules with their OSM IDs and 3D7 potencies, imported the way a chemist would import the sheet
 * (lib/demo/osm-molecules.ts holds the rows), so a newcomer's table has structures, IDs and potency. Imported before
 * the entries, so the feed shows the entries on top.
 */
async function seedMolecules(db: Db, maintainer: { id: number; login: string }, slug: string): Promise<void> {
  await setRegistrySettings(db, maintainer, slug, parseInput(registrySettingsInput, osmDemoRegistry));
  const result = await importSheet(db, maintainer, slug, parseInput(importInput, { format: "tsv", text: osmDemoSheet, unit: osmDemoUnit }));
  if (result.failed > 0) console.warn(`Demo molecules: ${result.failed} rows failed`, result.errors.slice(0, 5));
}
