"use server";

import { revalidatePath } from "next/cache";
import { runAction, type ActionResult } from "@/app/_lib/action";
import { markRead } from "@/db/queries/notifications";
import { setWatching } from "@/db/queries/watches";
import { requireActor } from "@/lib/auth/policy";
import { watchTargetKinds, type WatchTargetKind } from "@/lib/discussion/model";
import { AppError } from "@/lib/errors";

/** "Watch" / "Stop watching" a campaign, a molecule or an entry. */
export async function setWatchAction(input: {
  kind: WatchTargetKind;
  id: number;
  on: boolean;
  path: string;
}): Promise<ActionResult<{ watching: boolean }>> {
  return runAction(async (db, actor) => {
    requireActor(actor);
    if (
      typeof input !== "object" ||
      input === null ||
      !watchTargetKinds.includes(input.kind) ||
      !Number.isSafeInteger(input.id) ||
      input.id <= 0
    ) {
      throw new AppError("bad_request", "What to watch is missing.");
    }
    const watching = await setWatching(db, actor, input.kind, input.id, input.on === true);
    if (typeof input.path === "string" && input.path.startsWith("/")) revalidatePath(input.path);
    return { watching };
  });
}

/** Marks notifications read: these ids, or all of the caller's. */
export async function markReadAction(ids?: number[]): Promise<ActionResult<{ marked: number }>> {
  return runAction(async (db, actor) => {
    requireActor(actor);
    const list = Array.isArray(ids) ? ids.filter((i) => Number.isSafeInteger(i) && i > 0).slice(0, 500) : undefined;
    const marked = await markRead(db, actor, list);
    revalidatePath("/notifications");
    return { marked };
  });
}
