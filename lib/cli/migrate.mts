// `npm run db:migrate`: apply the committed migrations (the app also applies them on start).
import { closeDatabase, getDatabase } from "@/db/index";

const database = await getDatabase();
console.log(`Database schema is up to date (${database.kind}).`);
await closeDatabase();
