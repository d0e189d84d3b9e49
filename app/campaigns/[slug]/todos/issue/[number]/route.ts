import { getDb } from "@/db/index";
import { getCampaign } from "@/db/queries/campaigns";
import { getConnection, todoByNumber, todoPath } from "@/db/queries/todos";
import { env } from "@/lib/env.js";

export const dynamic = "force-dynamic";

/** `#42` in a campaign's text: the synced to-do when there is one, else the issue on GitHub. */
export async function GET(request: Request, { params }: { params: Promise<{ slug: string; number: string }> }): Promise<Response> {
  const { slug, number } = await params;
  const notFound = (message: string) => Response.json({ error: { code: "not_found", message } }, { status: 404 });
  if (!/^[1-9][0-9]{0,8}$/.test(number)) return notFound(`#${number} is not an issue number`);
  const db = await getDb();
  const campaign = await getCampaign(db, slug);
  if (!campaign) return notFound(`No campaign ${slug}`);
  const todo = await todoByNumber(db, campaign.id, Number(number));
  if (todo) return Response.redirect(new URL(todoPath(slug, todo.id), request.url), 302);
  const conn = await getConnection(db, campaign.id);
  if (!conn) return notFound(`${campaign.name} is not connected to a GitHub repository`);
  return Response.redirect(`${env().GITHUB_BASE_URL.replace(/\/$/, "")}/${conn.owner}/${conn.repo}/issues/${number}`, 302);
}
