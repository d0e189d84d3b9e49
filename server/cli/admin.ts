// `npm run admin -- <command>`: first set-up and automation, with the operator's authority.
// On the embedded database it needs the server stopped (PGlite is one process at a time) and
// refuses with a clear message otherwise; on PostgreSQL it runs any time.
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase } from "@/db/index";
import { readFile, writeFile } from "node:fs/promises";
import { exportArchive, importArchive } from "@/db/queries/archive";
import { rescanPictures } from "@/db/queries/attachment-scans";
import { verifyCampaign } from "@/db/queries/integrity";
import { listCampaigns, putMembership, requireCampaign } from "@/db/queries/campaigns";
import { createToken } from "@/db/queries/tokens";
import { ensureUserByLogin } from "@/db/queries/users";
import { login as loginSchema } from "@/lib/campaigns/input";
import { roles, type Role } from "@/lib/campaigns/model";
import { AppError, isAppError } from "@/lib/errors";

const USAGE = `Usage:
  npm run admin -- create-token --user <login> [--name <label>]
      Create the user if needed and print a new API token for them.
  npm run admin -- add-member --campaign <slug> --user <login> --role member|maintainer
      Add a user (created if needed) to a campaign, or change their role.
  npm run admin -- export --campaign <slug> --out <file.zip>
      Write the campaign's complete archive (history, attachments, hash chain, manifest, verify script).
  npm run admin -- import --in <file.zip>
      Restore a campaign archive into this notebook (which must not have the campaign), exactly as it was.
  npm run admin -- verify [--campaign <slug>]
      Seal new records and check the hash chain of one campaign or of all; exits 1 if any chain is broken.
  npm run admin -- rescan-pictures [--campaign <slug>] [--outdated]
      Queue the pictures attached to entries for structure recognition again (after installing a better OSRA):
      all, one campaign's, or only those read by another recognizer than the one installed now. The server's
      scanner reads them in the background; their structures are replaced when each new scan finishes.`;

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || !value) throw new AppError("bad_request", `--${name} is required.\n\n${USAGE}`);
  return value;
}

function userLogin(value: string): string {
  const parsed = loginSchema.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", `--user: "${value}" is not a valid GitHub login.`);
  return parsed.data;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      user: { type: "string" },
      name: { type: "string" },
      campaign: { type: "string" },
      role: { type: "string" },
      out: { type: "string" },
      in: { type: "string" },
      outdated: { type: "boolean" },
    },
    strict: true,
  });
  if (!["create-token", "add-member", "export", "import", "verify", "rescan-pictures"].includes(command ?? "")) {
    console.log(USAGE);
    if (command && command !== "help" && command !== "--help") process.exitCode = 2;
    return;
  }
  const { db } = await getDatabase();
  try {
    if (command === "export") {
      const { filename, bytes, report } = await exportArchive(db, required(values, "campaign"));
      const out = values.out ?? filename;
      await writeFile(out, bytes);
      console.log(
        `Wrote ${out} (${(bytes.byteLength / 1024).toFixed(0)} kB); chain ${report.ok ? "verified" : "BROKEN"}, ${report.links} links, head ${report.head}.`,
      );
    } else if (command === "import") {
      const restored = await importArchive(db, new Uint8Array(await readFile(required(values, "in"))));
      const rows = Object.entries(restored.rows)
        .filter(([, n]) => n > 0)
        .map(([t, n]) => `${n} ${t}`)
        .join(", ");
      console.log(
        `Restored ${restored.slug}: ${rows}. Chain ${restored.report.ok ? "verified" : "BROKEN"}, ${restored.report.links} links, head ${restored.report.head}.`,
      );
      if (!restored.report.ok) process.exitCode = 1;
    } else if (command === "verify") {
      const slugs = values.campaign ? [values.campaign] : (await listCampaigns(db)).map((c) => c.slug);
      for (const slug of slugs) {
        const report = await verifyCampaign(db, slug);
        if (report.ok) console.log(`${slug}: OK, ${report.links} links, head ${report.head}`);
        else {
          console.log(
            `${slug}: BROKEN at link ${report.failure!.seq} (${report.failure!.kind} ${report.failure!.recordId}): ${report.failure!.reason}`,
          );
          process.exitCode = 1;
        }
      }
    } else if (command === "rescan-pictures") {
      const queued = await rescanPictures(db, { campaign: values.campaign, outdated: values.outdated });
      console.log(`Queued ${queued} picture${queued === 1 ? "" : "s"} for recognition; the server scans them in the background.`);
    } else if (command === "create-token") {
      const user = await ensureUserByLogin(db, userLogin(required(values, "user")));
      const { token } = await createToken(db, user.id, values.name ?? "created with npm run admin");
      console.log(token);
    } else {
      const role = required(values, "role");
      if (!roles.includes(role as Role)) throw new AppError("bad_request", `--role must be one of: ${roles.join(", ")}.`);
      const campaign = await requireCampaign(db, required(values, "campaign"));
      const member = await putMembership(db, campaign, userLogin(required(values, "user")), role as Role, null);
      console.log(`${member.login} is now ${member.role} of ${campaign.name}.`);
    }
  } finally {
    await closeDatabase();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(isAppError(error) ? `Error: ${error.message}` : error);
  process.exit(isAppError(error) && error.code === "database_busy" ? 3 : 1);
});
