import http from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, ErrorReply, MultiErrorReply, RESP_TYPES } from "redis";

/**
 * A local stand-in for the Upstash REST API, forwarding to a real redis-server, so tests
 * run the real `@upstash/redis` client against real Redis. It speaks what that client
 * sends (see node_modules/@upstash/redis, pkg/http.ts and pkg/pipeline.ts):
 * - `POST /` body `["set","k","v"]` → 200 `{ result }`, or 400 `{ error }` on a Redis error;
 * - `POST /pipeline` and `POST /multi-exec`, body `[[...], [...]]` → 200
 *   `[{ result } | { error }, ...]`; a transaction aborted at queue time → 400 `{ error }`;
 * - `Authorization: Bearer <token>`, else 401 `{ error: "Unauthorized" }`;
 * - with `Upstash-Encoding: base64`, every string inside `result` is base64 (bulk strings
 *   byte for byte); numbers and nulls stay as they are.
 */

export interface UpstashShim {
  url: string;
  /** Authorised requests seen, by endpoint and encoding (e.g. `"/pipeline base64"`). */
  requests: Map<string, number>;
  close(): Promise<void>;
}

type Reply = { result: unknown } | { error: string };

// Bulk strings as Buffers, so base64 is byte-exact even for non-UTF-8 values.
const TYPE_MAPPING = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

export async function startUpstashShim(opts: { redisUrl: string; token: string }): Promise<UpstashShim> {
  const base = createClient({ url: opts.redisUrl, socket: { reconnectStrategy: false, connectTimeout: 1000 } });
  base.on("error", () => {});
  await base.connect();
  const redis = base.withTypeMapping(TYPE_MAPPING);

  const exec = async (args: string[]): Promise<Reply> => {
    try {
      return { result: await redis.sendCommand(args) };
    } catch (err) {
      return { error: errorText(err) };
    }
  };

  const multiExec = async (commands: string[][]): Promise<Reply[]> => {
    const multi = redis.multi();
    for (const args of commands) multi.addCommand(args);
    try {
      const replies: unknown[] = await multi.exec();
      return replies.map((result) => ({ result }));
    } catch (err) {
      if (!(err instanceof MultiErrorReply)) throw err;
      return err.replies.map((r: unknown) => (r instanceof ErrorReply ? { error: r.message } : { result: r }));
    }
  };

  const requests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${opts.token}`) return reply(401, { error: "Unauthorized" });
    if (req.method !== "POST") return reply(405, { error: "ERR only POST is supported here" });
    const base64 = String(req.headers["upstash-encoding"] ?? "").toLowerCase() === "base64";
    const path = new URL(req.url ?? "/", "http://shim").pathname;
    const seen = `${path}${base64 ? " base64" : ""}`;
    requests.set(seen, (requests.get(seen) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
        if (path === "/") {
          const out = await exec(toArgs(body));
          return "error" in out ? reply(400, out) : reply(200, encode(out, base64));
        }
        if (path === "/pipeline" || path === "/multi-exec") {
          if (!Array.isArray(body) || body.length === 0) throw new Error("ERR expected an array of commands");
          const commands = body.map(toArgs);
          const out = path === "/pipeline" ? await Promise.all(commands.map(exec)) : await multiExec(commands);
          return reply(
            200,
            out.map((r) => encode(r, base64)),
          );
        }
        reply(404, { error: `ERR unknown endpoint ${path}` });
      })().catch((err: unknown) => reply(400, { error: errorText(err) }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await base.close();
    },
  };
}

/** A command as Upstash accepts it: a non-empty JSON array of strings and numbers. */
function toArgs(command: unknown): string[] {
  if (!Array.isArray(command) || command.length === 0) throw new Error("ERR command must be a non-empty array");
  return command.map((part: unknown) => {
    if (typeof part === "string") return part;
    if (typeof part === "number" || typeof part === "boolean") return String(part);
    throw new Error(`ERR unsupported argument ${JSON.stringify(part)}`);
  });
}

function encode(reply: Reply, base64: boolean): Reply {
  return "error" in reply ? reply : { result: encodeValue(reply.result, base64) };
}

function encodeValue(value: unknown, base64: boolean): unknown {
  if (Buffer.isBuffer(value)) return base64 ? value.toString("base64") : value.toString("utf8");
  if (typeof value === "string") return base64 ? Buffer.from(value, "utf8").toString("base64") : value;
  if (Array.isArray(value)) return value.map((v: unknown) => encodeValue(v, base64));
  if (value instanceof Error) return value.message;
  return value ?? null;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
