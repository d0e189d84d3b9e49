import crypto from "node:crypto";
import type { Db } from "@/db/index";
import { putMembership, requireCampaign } from "@/db/queries/campaigns";
import { ensureUserByLogin } from "@/db/queries/users";
import type { Actor } from "@/lib/auth/policy";
import type { Role } from "@/db/schema";
import { createCampaign } from "./use-cases";

/** A user with a unique login, as an acting user. */
export async function makeUser(db: Db, prefix = "chemist"): Promise<NonNullable<Actor>> {
  const user = await ensureUserByLogin(db, `${prefix}-${crypto.randomBytes(4).toString("hex")}`);
  return { id: user.id, login: user.login };
}

/** A campaign with a maintainer and, optionally, members. */
export async function makeCampaign(db: Db, members: { actor: NonNullable<Actor>; role: Role }[] = []) {
  const maintainer = await makeUser(db, "maintainer");
  const slug = `series-${crypto.randomBytes(4).toString("hex")}`;
  await createCampaign(db, maintainer, { name: `Series ${slug}`, slug });
  const campaign = await requireCampaign(db, slug);
  for (const m of members) await putMembership(db, campaign, m.actor.login, m.role, maintainer.id);
  return { campaign, maintainer, slug };
}
