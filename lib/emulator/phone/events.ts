/**
 * The virtual phone's event stream (Server-Sent Events): one "change" event whenever the emulator's
 * state changes, coalesced per tick, so the page refreshes itself without polling.
 */
import type { ServerResponse } from "node:http";
import { EVENT_STREAM_KEEPALIVE_MS } from "../constants";

/** How long the browser waits before reconnecting a dropped stream. */
const RECONNECT_MS = 2_000;

export class PhoneEvents {
  private readonly clients = new Set<ServerResponse>();
  private pending = false;
  private readonly keepalive: NodeJS.Timeout;

  constructor() {
    this.keepalive = setInterval(() => {
      for (const client of this.clients) client.write(": keepalive\n\n");
    }, EVENT_STREAM_KEEPALIVE_MS);
    this.keepalive.unref();
  }

  open(response: ServerResponse): void {
    response.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Content-Type-Options": "nosniff",
    });
    response.write(`retry: ${RECONNECT_MS}\n\n`);
    this.clients.add(response);
    response.on("close", () => this.clients.delete(response));
  }

  /** Many changes in one tick (a phone call's answered + allow) make one event. */
  notify(): void {
    if (this.pending || this.clients.size === 0) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      for (const client of this.clients) client.write("event: change\ndata: {}\n\n");
    });
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
