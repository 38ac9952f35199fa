// Calls to the EventSeries API with the signed-in token. The token lives in sessionStorage only:
// gone when the tab closes, never in localStorage, and never in a URL (query strings end up in
// logs and Referer headers), so every call, the live feed included, sends it as a header.

export type TokenSlot = "console" | "scanner";

const storageKey = (slot: TokenSlot) => `eventseries.${slot}.token`;

export function getToken(slot: TokenSlot): string | null {
  return sessionStorage.getItem(storageKey(slot));
}

export function setToken(slot: TokenSlot, token: string): void {
  sessionStorage.setItem(storageKey(slot), token);
}

export function clearToken(slot: TokenSlot): void {
  sessionStorage.removeItem(storageKey(slot));
}

/** RFC 7807 problem details as the API answers them (code is the API's stable error code). */
export interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  status?: number;
  errors?: Record<string, string[]>;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem, readonly retryAfter: number | null = null) {
    super(describeProblem(status, problem));
  }
}

/** A readable sentence from problem details: title, detail, each field at fault, and the code. */
export function describeProblem(status: number, p: Problem): string {
  const parts = [p.title ?? `Request failed (${status})`];
  if (p.detail) parts.push(p.detail);
  if (p.errors) {
    for (const [fieldName, messages] of Object.entries(p.errors)) parts.push(`${fieldName}: ${messages.join(" ")}`);
  }
  if (p.code) parts.push(`[${p.code}]`);
  return parts.join(" — ");
}

/** Called on a 401: the token is wrong, expired or revoked, so the page goes back to sign-in. */
const unauthorizedHandlers: Partial<Record<TokenSlot, () => void>> = {};

export function onUnauthorized(slot: TokenSlot, handler: () => void): void {
  unauthorizedHandlers[slot] = handler;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** A raw body (an uploaded file) sent as is with this content type. */
  raw?: { data: Blob | string; contentType: string };
  signal?: AbortSignal;
  slot?: TokenSlot;
}

export async function request(path: string, options: CallOptions = {}): Promise<Response> {
  const slot = options.slot ?? "console";
  const headers: Record<string, string> = { Accept: "application/json" };
  const token = getToken(slot);
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.raw) {
    headers["Content-Type"] = options.raw.contentType;
    body = options.raw.data;
  } else if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  const response = await fetch(path, { method: options.method ?? "GET", headers, body, signal: options.signal, cache: "no-store" });
  if (!response.ok) {
    let problem: Problem = {};
    try {
      problem = await response.json();
    } catch {
      problem = { title: response.statusText || `HTTP ${response.status}` };
    }
    if (response.status === 401) {
      clearToken(slot);
      unauthorizedHandlers[slot]?.();
    }
    const retryAfter = response.headers.get("Retry-After");
    throw new ApiError(response.status, problem, retryAfter === null ? null : Number(retryAfter));
  }
  return response;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const response = await request(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
