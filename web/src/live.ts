// Live updates: the SSE feed /v1/events read with fetch streaming (EventSource
// cannot send the Authorization header), resumed with Last-Event-ID. Roles
// the feed refuses (403: coordinators) fall back to polling. Listeners are
// called (debounced) after new events arrive.
import { headers } from "./api";

export type LiveState = "connecting" | "live" | "polling" | "offline";

const POLL_MS = 10_000;
let controller: AbortController | null = null;
let listeners: Array<() => void> = [];
let stateListener: (s: LiveState) => void = () => {};
let timer: number | undefined;
let lastId = "";

function changed(): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => listeners.forEach((f) => f()), 250);
}

export function onChange(f: () => void): () => void {
  listeners.push(f);
  return () => {
    listeners = listeners.filter((g) => g !== f);
  };
}

export function onState(f: (s: LiveState) => void): void {
  stateListener = f;
}

async function head(): Promise<string> {
  try {
    const res = await fetch("/readyz", { cache: "no-store" });
    const body = (await res.json()) as { log_position?: number };
    return body.log_position !== undefined ? String(body.log_position) : "";
  } catch {
    return "";
  }
}

async function run(signal: AbortSignal): Promise<void> {
  if (!lastId) lastId = await head();
  for (;;) {
    if (signal.aborted) return;
    stateListener("connecting");
    try {
      const hs = headers("text/event-stream");
      if (lastId) hs.set("Last-Event-ID", lastId);
      const res = await fetch(`/v1/events${lastId ? `?after=${lastId}` : ""}`, { headers: hs, signal, cache: "no-store" });
      if (res.status === 403) return poll(signal);
      if (!res.ok || !res.body) throw new Error(String(res.status));
      stateListener("live");
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: ?(.*)$/m.exec(block);
          if (id) {
            lastId = id[1];
            changed();
          }
        }
      }
    } catch {
      if (signal.aborted) return;
    }
    stateListener("offline");
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function poll(signal: AbortSignal): Promise<void> {
  stateListener("polling");
  let last = await head();
  while (!signal.aborted) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const now = await head();
    if (now && now !== last) {
      last = now;
      changed();
    }
  }
}

export function startLive(): void {
  stopLive();
  controller = new AbortController();
  void run(controller.signal);
}

export function stopLive(): void {
  controller?.abort();
  controller = null;
  lastId = "";
}
