import { notFound } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/index";
import { getEntry } from "@/db/queries/entries";

/** The entry of an /entries/[id] route, loaded once per request and shared by metadata and page. */
export const loadEntry = cache(async (id: string) => {
  if (!/^\d{1,10}$/.test(id)) notFound();
  const entry = await getEntry(await getDb(), Number(id));
  if (!entry) notFound();
  return entry;
});
