// Sends one read to the API. The scan id is made once per read and reused on every retry, so a
// retry after a lost answer is the same scan to the API (it answers the first decision again).
import { api, ApiError } from "../api";

export interface ScanAnswer {
  allowed: boolean;
  reason: string;
  detail: string | null;
  message: string;
  category?: string;
}

const maxAttempts = 4;

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, a handheld may use plain http on a LAN. */
export function newScanId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Posts the scan, retrying a network failure or a 503 (after its Retry-After, at most 3 s) up to 4 attempts in all. */
export async function sendScan(eventId: string, body: { nfcId: string; gateId: string; direction: string }, onRetry: (attempt: number) => void): Promise<ScanAnswer> {
  const scanId = newScanId();
  for (let attempt = 1; ; attempt++) {
    try {
      return await api<ScanAnswer>(`/api/events/${eventId}/scans`, { method: "POST", body: { ...body, scanId }, slot: "scanner" });
    } catch (error) {
      const transient = error instanceof TypeError || (error instanceof ApiError && error.status === 503);
      if (!transient || attempt >= maxAttempts) throw error;
      const retryAfter = error instanceof ApiError && error.retryAfter !== null ? error.retryAfter * 1000 : 250 * 2 ** attempt;
      onRetry(attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfter, 3000)));
    }
  }
}
