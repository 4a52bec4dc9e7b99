/** Liveness for load balancers: answers without touching the database, cache or queue. */
export function GET() {
  return new Response("pong", { headers: { "content-type": "text/plain" } });
}
