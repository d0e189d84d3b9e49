// Shared set-up for the to-do sync tests: the fake GitHub, a webhook receiver on loopback that runs the route's
// logic, and a campaign connected to a fresh repository.
import crypto from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import type { Db } from "@/db/index";
import { getConnection } from "@/db/queries/todos";
import { TodoSync } from "@/lib/github/sync";
import { receiveWebhook } from "@/lib/github/webhook";
import { todoSyncStore } from "@/db/queries/github-sync";
import { startFakeGitHub, type FakeGitHub } from "../../fakes/github/server";
import { makeCampaign } from "./seed";
import { connectRepository } from "./use-cases";

export const OWNER = "osm-bot";

/** A GitHub App installed on all of OWNER's repositories. */
export const APP = (() => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    id: 424242,
    slug: "notebook-sync",
    installationId: 5_550_001,
    privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
})();

export function startGitHub(): Promise<FakeGitHub> {
  return startFakeGitHub({
    apps: [{ id: APP.id, slug: APP.slug, publicKey: APP.publicKey, installationId: APP.installationId, owner: OWNER, repos: "all" }],
    users: [
      { id: 101, login: OWNER },
      { id: 102, login: "mat-todd" },
      { id: 103, login: "alice-lab" },
      { id: 104, login: "outsider" },
    ],
  });
}

export function newSync(db: Db, fake: FakeGitHub, client: Record<string, number> = {}): TodoSync {
  return new TodoSync(todoSyncStore(db), {
    githubBaseUrl: fake.url,
    siteUrl: "http://notebook.test",
    client: { writeSpacingMs: 0, retryUnitMs: 5, timeoutMs: 3000, ...client },
  });
}

/** A GitHub user acting on the fake directly (someone working on GitHub, not through the notebook). */
export function githubUser(fake: FakeGitHub, login: string): Octokit {
  return new Octokit({ baseUrl: fake.url, auth: fake.createToken(login), log: { debug() {}, info() {}, warn() {}, error() {} } });
}

export interface Receiver {
  url: string;
  answers: number[];
  /** Waits for the fake's deliveries and the background work they started. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(db: Db, sync: TodoSync, fake: FakeGitHub): Promise<Receiver> {
  const work: Promise<void>[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      receiveWebhook(todoSyncStore(db), sync, headers, Buffer.concat(chunks)).then(
        (answer) => {
          answers.push(answer.status);
          res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
          if (answer.work) work.push(answer.work());
        },
        (error: unknown) => {
          answers.push(500);
          res.writeHead(500).end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhook`,
    answers,
    async idle() {
      for (let i = 0; i < 5; i++) {
        await fake.webhooksIdle();
        await Promise.all(work);
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A campaign connected to a new repository of the fake (with a webhook to `receiver` when given). */
export async function connectedCampaign(db: Db, fake: FakeGitHub, options: { receiver?: Receiver; tokenOf?: string; apiBaseUrl?: string; app?: boolean } = {}) {
  const { campaign, maintainer, slug } = await makeCampaign(db);
  const name = `${options.app ? "app" : "series"}-${crypto.randomBytes(3).toString("hex")}`;
  fake.addRepo({ owner: OWNER, name, collaborators: ["mat-todd", "alice-lab"] });
  const secret = crypto.randomBytes(20).toString("hex");
  if (options.receiver) fake.addWebhook({ owner: OWNER, repo: name, url: options.receiver.url, secret });
  await connectRepository(db, maintainer, slug, {
    repository: `${OWNER}/${name}`,
    ...(options.app
      ? { authKind: "app", appId: String(APP.id), privateKey: APP.privateKey, installationId: APP.installationId }
      : { authKind: "token", token: fake.createToken(options.tokenOf ?? OWNER) }),
    apiBaseUrl: options.apiBaseUrl ?? fake.url,
    webhookSecret: secret,
  });
  const connection = async () => (await getConnection(db, campaign.id))!;
  return { campaign, maintainer, slug, repo: name, secret, connection };
}
