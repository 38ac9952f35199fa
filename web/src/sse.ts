// Server-Sent Events over fetch(). EventSource cannot send an Authorization header, and the token
// must never go into a URL, so the feed is read as a stream and parsed here (the WHATWG rules:
// id/event/data fields, ':' comments, a blank line ends an event) and resumed with Last-Event-ID.
import { getToken, TokenSlot } from "./api";

export interface FeedEvent {
  type: string;
  data: string;
  id: string | null;
}

export interface FeedHandlers {
  onEvent(event: FeedEvent): void;
  onStatus?(status: "connecting" | "open" | "retrying", detail?: string): void;
  /** A 401/403/404 answer: reconnecting will not help. */
  onFatal?(status: number): void;
}

/** Splits a text stream into SSE events; feed it chunks, it calls back per complete event. */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private type = "";
  private id: string | null = null;
  lastEventId: string | null = null;

  constructor(private readonly emit: (event: FeedEvent) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const breakLength = this.buffer.startsWith("\r\n", newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + breakLength);
      this.line(line);
    }
  }

  private line(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return; // a comment: a keep-alive
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") this.data.push(value);
    else if (name === "event") this.type = value;
    else if (name === "id" && !value.includes("\0")) this.id = value;
  }

  private dispatch(): void {
    // An id without data still moves the position; an event without data is not dispatched.
    if (this.id !== null) this.lastEventId = this.id;
    if (this.data.length > 0) this.emit({ type: this.type || "message", data: this.data.join("\n"), id: this.id });
    this.data = [];
    this.type = "";
    this.id = null;
  }
}

/** Reads the feed at `path` until `signal` aborts, reconnecting with Last-Event-ID after a drop. */
export async function followFeed(path: string, handlers: FeedHandlers, signal: AbortSignal, slot: TokenSlot = "console"): Promise<void> {
  let lastEventId: string | null = null;
  let delay = 500;
  while (!signal.aborted) {
    handlers.onStatus?.("connecting");
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      const token = getToken(slot);
      if (token) headers.Authorization = `Bearer ${token}`;
      if (lastEventId) headers["Last-Event-ID"] = lastEventId;
      const response = await fetch(path, { headers, signal, cache: "no-store" });
      if ([401, 403, 404].includes(response.status)) {
        handlers.onFatal?.(response.status);
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      handlers.onStatus?.("open");
      delay = 500;
      const parser = new SseParser((event) => {
        // A reset means the position is no longer good: reconnect from now, without it.
        if (event.type === "reset") {
          lastEventId = null;
          parser.lastEventId = null;
        }
        handlers.onEvent(event);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        if (parser.lastEventId !== null) lastEventId = parser.lastEventId;
      }
    } catch (error) {
      if (signal.aborted) return;
      handlers.onStatus?.("retrying", String(error));
    }
    if (signal.aborted) return;
    handlers.onStatus?.("retrying");
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}
