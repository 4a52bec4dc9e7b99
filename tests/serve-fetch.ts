import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSandboxGateway, type SandboxGateway, type SandboxGatewayOptions } from "@/lib/payments/sandbox/gateway";

/**
 * A tiny node:http ↔ Fetch adapter, so the framework-free handlers (the sandbox gateway, a
 * test's notify receiver) run outside Next.js on a real socket, e.g. in tests.
 */
export type FetchHandler = (req: Request) => Promise<Response>;

export interface RunningServer {
  /** http://127.0.0.1:<port> */
  origin: string;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) v.forEach((item) => headers.append(k, item));
    else if (v !== undefined) headers.set(k, v);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Serves `handler` on 127.0.0.1 (port 0 = a free one). */
export function serveFetch(handler: FetchHandler, port = 0): Promise<RunningServer> {
  let origin = "";
  const server = createServer((req, res) => {
    toRequest(req, origin)
      .then(handler)
      .then((response) => writeResponse(res, response))
      .catch(() => {
        res.statusCode = 500;
        res.end("adapter error");
      });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        origin,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Starts a sandbox gateway on its own port under `prefix` (default /sandbox-gateway), the same
 * path it has when mounted in the app. The port is picked first, since the gateway's base URL
 * (used in cashier links and QR codes) must include it.
 */
export async function startSandboxServer(
  options: Omit<SandboxGatewayOptions, "baseUrl"> & { prefix?: string; port?: number },
): Promise<RunningServer & { gateway: SandboxGateway }> {
  let gateway: SandboxGateway | undefined;
  const server = await serveFetch(async (req) => {
    if (!gateway) return new Response("starting", { status: 503 });
    return gateway.handle(req);
  }, options.port);
  try {
    gateway = createSandboxGateway({ ...options, baseUrl: `${server.origin}${options.prefix ?? "/sandbox-gateway"}` });
  } catch (e) {
    await server.close();
    throw e;
  }
  return { ...server, gateway };
}
