// The REST client: bearer token from sessionStorage, Accept-Language from the
// chosen language, problem+json turned into ApiError. Types come from
// docs/openapi.yaml (generated at build time as "@openapi").
import type { components } from "@openapi";
import { currentLang } from "./i18n";

export type S = components["schemas"];
export type Problem = S["Problem"];

export interface Session {
  token_id: string;
  name: string;
  role: S["Role"];
  networks: string[];
}

const TOKEN_KEY = "ikv.token";

export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function storeToken(token: string | null): void {
  if (token === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem, readonly etag: string | null) {
    super(problem.detail || problem.title);
  }
}

export interface Answer<T> {
  data: T;
  etag: string | null;
  status: number;
}

export interface CallOptions {
  body?: unknown;
  ifMatch?: string | number | null;
  accept?: string;
  idempotent?: boolean;
  // A 401 is the caller's to explain (signing in), not "the session ended".
  signingIn?: boolean;
}

function randomKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function headers(accept = "application/json"): Headers {
  const hs = new Headers({ Accept: accept, "Accept-Language": currentLang() });
  const token = storedToken();
  if (token) hs.set("Authorization", `Bearer ${token}`);
  return hs;
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const p = JSON.parse(text) as Problem;
    if (typeof p.status === "number") return p;
  } catch {
    // not problem+json: made up below
  }
  return { type: "about:blank", title: res.statusText || String(res.status), status: res.status, detail: text.slice(0, 300) };
}

export async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<Answer<T>> {
  const hs = headers(opts.accept);
  let body: string | undefined;
  if (opts.body !== undefined) {
    hs.set("Content-Type", "application/json");
    body = JSON.stringify(opts.body);
  }
  if (opts.ifMatch !== undefined && opts.ifMatch !== null) hs.set("If-Match", `"${String(opts.ifMatch).replace(/"/g, "")}"`);
  if (method !== "GET" && opts.idempotent !== false) hs.set("Idempotency-Key", randomKey());
  const res = await fetch(path, { method, headers: hs, body, cache: "no-store" });
  const etag = res.headers.get("ETag");
  if (!res.ok) {
    const problem = await problemOf(res);
    if (res.status === 401 && !opts.signingIn) onUnauthorized(problem);
    throw new ApiError(res.status, problem, etag);
  }
  const type = res.headers.get("Content-Type") || "";
  const data = (type.includes("json") ? await res.json() : await res.text()) as T;
  return { data, etag, status: res.status };
}

export async function get<T>(path: string): Promise<T> {
  return (await call<T>("GET", path)).data;
}

// A GET answered as a file (CSV, NDJSON): the blob, for a download link.
export async function download(path: string, accept: string): Promise<Blob> {
  const res = await fetch(path, { headers: headers(accept), cache: "no-store" });
  if (!res.ok) throw new ApiError(res.status, await problemOf(res), null);
  return res.blob();
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

let unauthorized: (p: Problem) => void = () => {};
function onUnauthorized(p: Problem): void {
  unauthorized(p);
}
export function setUnauthorizedHandler(f: (p: Problem) => void): void {
  unauthorized = f;
}

// Does the server have `template` for another method than GET? A GET on a
// POST-only route answers 405 when the route exists and 404 when it does not.
export async function routeExists(path: string): Promise<boolean> {
  const res = await fetch(path, { method: "GET", headers: headers() });
  return res.status !== 404;
}
