import { apiRoute, readBytes } from "@/app/_lib/api";
import { importSheet } from "@/db/queries/molecules/imports";
import { requireActor } from "@/lib/auth/policy";
import { SHEET_LIMITS } from "@/lib/chem/limits";
import { importInput } from "@/lib/contract/imports";
import { routes } from "@/lib/contract/routes";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { ELN_TYPES, importElnRequest } from "./eln";

/** Bytes of an import body: the sheet cap in characters, plus room for multi-byte UTF-8 (µ, names). */
const IMPORT_MAX_BYTES = SHEET_LIMITS.maxChars + 1_000_000;

const FORMAT_BY_TYPE: Record<string, "csv" | "tsv" | "sdf"> = {
  "text/csv": "csv",
  "text/tab-separated-values": "tsv",
  "chemical/x-mdl-sdfile": "sdf",
};

/**
 * `POST /api/v1/imports?campaign=<slug>&format=csv|tsv|sdf[&mapping=<json>][&unit=µM][&ids=own-only|foreign-as-aliases|adopt-prefix]` with the file as the raw
 * body (size-capped while reading) → `{imported, unchanged, failed, errors: [{row, column?, message}], warnings,
 * registered, measurementsAdded}`. The format may also come from the Content-Type.
 */
export const POST = apiRoute(routes.importSheet, async ({ db, request, actor }, { query }) => {
  const who = await actor();
  requireActor(who);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const format = query.format ?? FORMAT_BY_TYPE[type];
  // An .eln archive (lib/eln): a zip, read in the sandbox, imported all or nothing.
  if (format === "eln" || (query.format === undefined && ELN_TYPES.has(type))) return importElnRequest(db, who, query.campaign, request);
  let mapping: unknown;
  const mappingParam = query.mapping;
  if (mappingParam) {
    try {
      mapping = JSON.parse(mappingParam);
    } catch (error) {
      throw new AppError("invalid_json", `mapping: is not valid JSON: ${(error as Error).message}`);
    }
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > IMPORT_MAX_BYTES)
    throw new AppError("payload_too_large", `The file is larger than ${IMPORT_MAX_BYTES / 1_000_000} MB; split it into smaller files.`);
  const bytes = await readBytes(request, IMPORT_MAX_BYTES);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new AppError("validation_failed", "file: is not UTF-8 text; export the sheet as CSV, TSV or SDF in UTF-8", {
      fields: { file: "is not UTF-8 text" },
    });
  }
  if (text.includes("\u0000"))
    throw new AppError("validation_failed", "file: is binary, not a CSV, TSV or SD file", { fields: { file: "is binary" } });
  const input = parseInput(importInput, {
    format,
    text,
    ...(mapping === undefined ? {} : { mapping }),
    ...(query.unit ? { unit: query.unit } : {}),
    ...(query.ids === undefined ? {} : { ids: query.ids }),
  });
  return Response.json(await importSheet(db, who, query.campaign, input));
});
