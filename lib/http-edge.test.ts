import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { decodablePath, installForwardedHeaderGuard } from "./http-edge";

function get(port: number, path: string, lang = "en"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { "accept-language": lang } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the process edge", () => {
  it("knows which paths decode", () => {
    expect(decodablePath("/api/v1/bookings/%E0%A4%A")).toBe(false);
    expect(decodablePath("/bookings/%")).toBe(false);
    expect(decodablePath("/bookings/%E4%BD%A0?q=%")).toBe(true);
  });

  it("answers a path with a broken %-escape 400 in the error shape, before Next.js can answer it 500", async () => {
    installForwardedHeaderGuard();
    const server = createServer((_req, res) => res.end("reached"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    try {
      const bad = await get(port, "/api/v1/bookings/%E0%A4%A");
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toEqual({ error: { code: "VALIDATION_FAILED", message: "The address contains a malformed %-escape" } });
      expect(JSON.parse((await get(port, "/bookings/%ZZ", "zh-CN")).body).error.message).toBe("地址中包含无效的 % 转义");
      expect(await get(port, "/bookings/%E4%BD%A0")).toEqual({ status: 200, body: "reached" });
    } finally {
      server.close();
    }
  });
});
