// Forwards a request to the Next.js process over its private Unix socket and streams the answer back, as a
// reverse proxy does. Headers go through unchanged (the app reads the client's Host and X-Forwarded-* itself),
// minus the per-connection ones, plus the client's address as X-Forwarded-For when it sent none.
import http, { type IncomingMessage, type ServerResponse } from "node:http";

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"];

export function proxyTo(socketPath: string): (req: IncomingMessage, res: ServerResponse) => void {
  // Kept-alive connections to the app process; it never closes idle ones itself (keepAliveTimeout 0 in main.ts),
  // so a request is never sent on a socket that the other end is closing at that moment.
  const agent = new http.Agent({ keepAlive: true, maxFreeSockets: 256 });
  return (req, res) => {
    const headers = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    // What Next does for a direct client (base-server.ts), which it cannot do behind a Unix socket.
    // (The address is gone once the client has hung up; http.request would throw on an undefined header value.)
    const address = req.socket.remoteAddress;
    if (headers["x-forwarded-for"] === undefined && address) headers["x-forwarded-for"] = address;
    const upstream = http.request({ socketPath, agent, method: req.method, path: req.url, headers }, (answer) => {
      // setHeader, not writeHead's argument: the page cache reads them back (getHeader), e.g. Set-Cookie.
      for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.includes(name)) res.setHeader(name, value);
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage);
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    let clientGone = false;
    upstream.on("error", (error) => {
      if (clientGone) return; // we cut it off ourselves (below)
      if (res.headersSent) return void res.destroy();
      console.error("[server] the app process did not answer:", error.message);
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal", message: "The notebook is restarting or overloaded; try again." } }));
    });
    // A client that goes away stops the work behind its request.
    res.on("close", () => {
      if (res.writableFinished) return;
      clientGone = true;
      upstream.destroy();
    });
    req.pipe(upstream);
  };
}
