import { after } from "next/server";
import { getDb } from "@/db/index";
import { todoSync, todoSyncStore } from "@/db/queries/todo-sync";
import { receiveWebhook } from "@/lib/github/webhook";

export const dynamic = "force-dynamic";

/** GitHub webhooks (issues, issue_comment): verified, deduplicated, answered at once; the work runs after. */
export async function POST(request: Request): Promise<Response> {
  const raw = Buffer.from(await request.arrayBuffer());
  const answer = await receiveWebhook(todoSyncStore(await getDb()), await todoSync(), request.headers, raw);
  if (answer.work) after(answer.work);
  return Response.json(answer.body, { status: answer.status });
}
