import { getDatabase, ping } from "@/db/index";

export const dynamic = "force-dynamic";

/** Liveness and readiness: answers 200 once the database is open and migrated. */
export async function GET(): Promise<Response> {
  try {
    const database = await getDatabase();
    await ping(database.db);
    return Response.json({ ok: true, database: database.kind });
  } catch (error) {
    console.error("[health]", error);
    return Response.json({ ok: false, error: { code: "unavailable", message: "The database is not available." } }, { status: 503 });
  }
}
