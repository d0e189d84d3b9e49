import { apiRoute } from "@/app/_lib/api";
import { setScoringSettings } from "@/db/queries/prediction-data";
import { scoreboard } from "@/db/queries/predictions";
import { routes } from "@/lib/contract/routes";
import { submissionJson } from "../../../predictions/json";

export const GET = apiRoute(routes.getScoreboard, async ({ db, origin }, { params, query }) => {
  const board = await scoreboard(db, params.slug, query.assay);
  return Response.json({
    campaign: board.campaign.slug,
    assay: board.assay,
    activeThreshold: board.activeThreshold,
    k: board.topK,
    submissions: board.submissions.map((s) => submissionJson(s, origin)),
  });
});

export const PATCH = apiRoute(routes.setScoringSettings, async ({ db, actor }, { params, body }) =>
  Response.json(await setScoringSettings(db, await actor(), params.slug, body)),
);
