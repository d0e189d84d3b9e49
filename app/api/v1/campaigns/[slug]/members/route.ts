import { apiHandler, readJson } from "@/app/_lib/api";
import { memberJson } from "@/app/_lib/json";
import { setMember } from "@/db/queries/campaigns";

/** Maintainers add a member or change a member's role: `{login, role}`. */
export const POST = apiHandler<{ slug: string }>(async ({ db, request, actor }, { slug }) => {
  const member = await setMember(db, await actor(), slug, await readJson(request));
  return Response.json(memberJson(member), { status: 201 });
});
