// The front's forwarding to the app process over a Unix socket, with a stand-in app.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { proxyTo } from "@/server/proxy";

const servers: http.Server[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function listen(server: http.Server, where: { path: string } | { port: 0; host: string }) {
  servers.push(server);
  await new Promise<void>((r) => server.listen(where, r));
}

async function front(app?: http.RequestListener) {
  dir = mkdtempSync(path.join(os.tmpdir(), "proxy-test-"));
  const socketPath = path.join(dir, "app.sock");
  if (app) await listen(http.createServer(app), { path: socketPath });
  const server = http.createServer(proxyTo(socketPath));
  await listen(server, { port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("proxyTo", () => {
  it("forwards method, path, headers and body, adds the client address, and returns status, headers (all cookies) and body", async () => {
    let seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string } | undefined;
    const url = await front((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c)).on("end", () => {
        seen = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
        res.setHeader("set-cookie", ["a=1; Path=/", "b=2; Path=/"]);
        res.writeHead(201, { "content-type": "application/json", "x-app": "yes" });
        res.end('{"ok":true}');
      });
    });
    const res = await fetch(`${url}/api/v1/entries?x=1`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-host": "nb.test", authorization: "Bearer t" }, body: '{"a":1}' });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-app")).toBe("yes");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    expect(await res.json()).toEqual({ ok: true });
    expect(seen).toMatchObject({ method: "POST", url: "/api/v1/entries?x=1", body: '{"a":1}' });
    // The client's Host goes through (the app makes its URLs from it), not the socket's.
    expect(seen!.headers).toMatchObject({ host: new URL(url).host, "x-forwarded-host": "nb.test", authorization: "Bearer t", "x-forwarded-for": "127.0.0.1" });
  });

  it("keeps an X-Forwarded-For the client sent", async () => {
    let forwarded: string | string[] | undefined;
    const url = await front((req, res) => {
      forwarded = req.headers["x-forwarded-for"];
      res.end();
    });
    await (await fetch(url, { headers: { "x-forwarded-for": "203.0.113.9" } })).text();
    expect(forwarded).toBe("203.0.113.9");
  });

  it("answers 502 with a JSON error when the app process does not answer", async () => {
    const url = await front();
    const res = await fetch(url + "/");
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("internal");
  });
});
