// The API's answers as the console uses them (a subset of each; see /scalar for the whole).
export type Lifecycle = "draft" | "scheduled" | "active" | "completed" | "cancelled";

export interface Organization { id: string; name: string; yourRole: string }
export interface EventView { id: string; organizationId: string; name: string; description: string | null; timeZone: string }
export interface Category { name: string; description: string | null }
export interface Gate { id: string; eventId: string; name: string; kind: string; status: string; allowedCategories: string[] }
export interface Page<T> { items: T[]; pageNumber: number; pageSize: number; total: number }
export interface SeriesSummary {
  id: string; eventId: string; name: string; startsAt: string; endsAt: string; capacity: number | null;
  lifecycle: Lifecycle; parentSeriesId: string | null; sequenceNumber: number | null; isRecurring: boolean;
}
export interface SeriesView extends SeriesSummary {
  description: string | null;
  window: { opensMinutesBeforeStart: number; closesMinutesAfterStart: number | null };
  checkInOpensAt: string; checkInClosesAt: string; gateIds: string[];
  categories: { category: string; maxWristbands: number | null; assigned: number }[];
  assignedWristbands: number; version: number;
}
export interface ImportJob {
  id: string; status: string; rowsRead: number; created: number; updated: number; unchanged: number;
  rejected: number; assigned: number; createdAt: string; rejections: { line: number; reason: string }[]; error: string | null;
}
export interface Transition { id: number; from: Lifecycle | null; to: Lifecycle; at: string; actor: string; reason: string | null }
export interface Metrics {
  seriesId: string; totalScans: number; allowed: number; denied: number; uniqueWristbands: number; occupancy: number;
  deniedByReason?: Record<string, number>;
  perGate?: Record<string, { total: number; allowed: number; denied: number }>;
  perCategory?: Record<string, { total: number; allowed: number; denied: number }>;
  perMinute?: { minute: string; allowed: number; denied: number }[];
}
export interface Checkin {
  id: string; seriesId: string; gateId: string; category: string; direction: string; result: string; reason: string; at: string;
}
/** The live feed's `gate` event (docs/live-feed.md). */
export interface GateFeedEvent {
  gateId: string; seriesId: string; name: string; status: string; jammed: boolean; jammedReason: string | null;
  scansThisMinute: number; deniedThisMinute: number; lastScanAt: string | null;
}

export interface GateLive {
  gateId: string; name: string; status: string; jammed: boolean; jammedReason: string | null;
  minutes: { minute: string; scans: number; denied: number }[];
  lastScan: { at: string; result: string; reason: string } | null;
}

/** The lifecycle's state machine (src/Domain/Series/SeriesLifecycleRules.cs): the buttons offer only these. */
export const nextStates: Record<Lifecycle, Lifecycle[]> = {
  draft: ["scheduled", "cancelled"],
  scheduled: ["active", "cancelled"],
  active: ["completed", "cancelled"],
  completed: [],
  cancelled: [],
};
