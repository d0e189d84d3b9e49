/**
 * The campaign models' clock, in every app process: every few minutes, each assay whose results changed since its
 * model was trained gets a new model (db/queries/prediction-models.ts trainStaleModels: claimed once across processes
 * per version of the data, taken over if the process training it dies). Training runs in the chemistry sandbox's
 * workers at bulk priority, never in this process. Started from instrumentation.ts, never during `next build`.
 */
import { getDb } from "@/db/index";
import { trainStaleModels } from "@/db/queries/prediction-models";
import { env } from "@/lib/env.js";

const key = Symbol.for("open-notebook.model-runner");
const holder = ((globalThis as Record<symbol, unknown>)[key] ??= {}) as { timer?: NodeJS.Timeout; running?: boolean };

export function startModelRunner(): void {
  if (holder.timer) return;
  const tickMs = env().NOTEBOOK_MODEL_INTERVAL * 1000;
  const tick = () => {
    if (holder.running) return; // a long training is not overlapped by the next look
    holder.running = true;
    getDb()
      .then((db) => trainStaleModels(db))
      .then((trained) => {
        for (const m of trained)
          console.log(`[models] trained ${m.assayLabel} of campaign ${m.campaignId}: ${m.algorithm} on ${m.trainedOn} molecules`);
      })
      .catch((error: unknown) => console.error("[models]", error))
      .finally(() => {
        holder.running = false;
      });
  };
  setTimeout(tick, Math.min(tickMs, 15_000)).unref();
  holder.timer = setInterval(tick, tickMs);
  holder.timer.unref();
}
