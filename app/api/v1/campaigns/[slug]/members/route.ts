import { apiRoute } from "@/app/_lib/api";
import { memberJson } from "@/app/_lib/json";
import { setMember } from "@/db/queries/campaigns";
import { routes } from "@/lib/contract/routes";

/** Maintainers add a member or change a member's role: `{login, role}`. */
export const POST = apiRoute(routes.setMember, async ({ db, actor }, { params, body }) => {
  const member = await setMember(db, await actor(), params.slug, body);
  return Response.json(memberJson(member), { status: 201 });
});
