// `npm run db:migrate`: apply the committed migrations (the app also applies them on start).
import { closeDatabase, getDatabase } from "@/db/index";

async function main(): Promise<void> {
  const database = await getDatabase();
  console.log(`Database schema is up to date (${database.kind}).`);
  await closeDatabase();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
