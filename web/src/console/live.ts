// The live view of a series: headline numbers, occupancy against capacity, check-ins per minute,
// denials by reason, per-gate and per-category tables and the last 50 scans, all from the live
// feed (read with fetch, see ../sse.ts) without reloading the page.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip } from "chart.js";
import { api } from "../api";
import { clear, h, when } from "../dom";
import { followFeed } from "../sse";
import type { Shell } from "./app";
import type { Checkin, Gate, GateFeedEvent, GateLive, Metrics, Page, SeriesView } from "./types";
import { badge, link, table } from "./ui";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const lastScansShown = 50;

export async function liveView(shell: Shell, seriesId: string): Promise<void> {
  const signal = shell.signal;
  const series = await api<SeriesView>(`/api/series/${seriesId}`, { signal });
  const gates = await api<Gate[]>(`/api/events/${series.eventId}/gates`, { signal });
  const gateName = (id: string) => gates.find((g) => g.id === id)?.name ?? id.slice(0, 8);

  const feedStatus = h("span", { class: "feed-status", role: "status", "data-testid": "feed-status" }, "connecting…");
  const numbers = h("dl", { class: "numbers" });
  const meter = h("meter", { min: 0, max: series.capacity ?? 1, value: 0, id: "occupancy-meter" });
  const occupancyText = h("span", { class: "occupancy", "data-testid": "occupancy" }, "0");
  const canvas = h("canvas", { role: "img", "aria-label": "Check-ins per minute, allowed and denied" });
  const breakdowns = h("div", { class: "breakdowns" });
  const gateTable = h("div", {});
  const scans = h("ol", { class: "last-scans", "aria-label": `Last ${lastScansShown} scans` });

  shell.main.append(
    h("p", {}, link(shell, `/series/${seriesId}`, "← Series")),
    h("h1", {}, `Live: ${series.name} `, badge(series.lifecycle)),
    h("p", {}, "Feed: ", feedStatus),
    numbers,
    h("div", { class: "card occupancy-card" },
      h("label", { for: "occupancy-meter" }, "Occupancy"), " ", meter, " ", occupancyText,
      series.capacity ? ` of ${series.capacity}` : " (no capacity set)"),
    h("div", { class: "card chart" }, h("h2", {}, "Check-ins per minute"), canvas),
    breakdowns,
    h("section", { "aria-labelledby": "gates-h" }, h("h2", { id: "gates-h" }, "Gates"), gateTable),
    h("section", { "aria-labelledby": "scans-h" }, h("h2", { id: "scans-h" }, `Last ${lastScansShown} scans`), scans),
  );

  const chart = new Chart<"bar", number[], string>(canvas, {
    type: "bar",
    data: { labels: [] as string[], datasets: [
      { label: "allowed", data: [] as number[], backgroundColor: "#1b7f3b", stack: "s" },
      { label: "denied", data: [] as number[], backgroundColor: "#b3261e", stack: "s" },
    ] },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
  signal.addEventListener("abort", () => chart.destroy());

  const showHeadline = (m: Pick<Metrics, "totalScans" | "allowed" | "denied" | "uniqueWristbands" | "occupancy">) => {
    numbers.replaceChildren(
      ...[["Scans", m.totalScans], ["Allowed", m.allowed], ["Denied", m.denied], ["Wristbands seen", m.uniqueWristbands]]
        .flatMap(([k, v]) => [h("dt", {}, String(k)), h("dd", { "data-metric": String(k).toLowerCase() }, String(v))]),
    );
    meter.value = m.occupancy;
    occupancyText.textContent = String(m.occupancy);
  };

  const showMetrics = (m: Metrics) => {
    showHeadline(m);
    const minutes = (m.perMinute ?? []).slice(-30);
    chart.data.labels = minutes.map((p) => new Date(p.minute).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" }));
    chart.data.datasets[0].data = minutes.map((p) => p.allowed);
    chart.data.datasets[1].data = minutes.map((p) => p.denied);
    chart.update();
    clear(breakdowns);
    breakdowns.append(
      table("Denials by reason", ["Reason", "Count"], Object.entries(m.deniedByReason ?? {}).map(([r, n]) => [r, n])),
      table("Per category", ["Category", "Scans", "Allowed", "Denied"], Object.entries(m.perCategory ?? {}).map(([c, v]) => [c, v.total, v.allowed, v.denied])),
    );
    perGate = m.perGate ?? {};
    showGates();
  };

  let perGate: NonNullable<Metrics["perGate"]> = {};
  let gateLive: GateLive[] = [];
  const showGates = () => {
    gateTable.replaceChildren(table("Per gate", ["Gate", "State", "Scans", "Allowed", "Denied", "Last scan"], series.gateIds.map((id) => {
      const live = gateLive.find((g) => g.gateId === id);
      const counts = perGate[id] ?? { total: 0, allowed: 0, denied: 0 };
      const state = live ? (live.jammed ? `jammed${live.jammedReason ? ` (${live.jammedReason})` : ""}` : live.status) : "—";
      return [gateName(id), h("span", { class: live?.jammed ? "badge cancelled" : "badge" }, state), counts.total, counts.allowed, counts.denied,
        live?.lastScan ? `${when(live.lastScan.at)} ${live.lastScan.result}` : "—"];
    })));
  };

  const refreshGates = async () => {
    gateLive = await Promise.all(series.gateIds.map((id) => api<GateLive>(`/api/events/${series.eventId}/gates/${id}/live`, { signal })));
    showGates();
  };

  const addScan = (c: Checkin, atTop: boolean) => {
    const item = h("li", { class: `scan ${c.result}` },
      h("time", { datetime: c.at }, new Date(c.at).toLocaleTimeString()), " ",
      h("strong", {}, c.result), ` ${c.reason} · ${gateName(c.gateId)} · ${c.category} · ${c.direction}`);
    const gate = gateLive.find((l) => l.gateId === c.gateId);
    if (gate && c.result !== "annulled" && (!gate.lastScan || c.at >= gate.lastScan.at)) {
      gate.lastScan = { at: c.at, result: c.result, reason: c.reason };
      showGates();
    }
    if (atTop) scans.prepend(item);
    else scans.append(item);
    while (scans.children.length > lastScansShown) scans.lastElementChild!.remove();
  };

  // Full metrics are fetched at most once a second while the feed says something changed.
  let refetchPending = false;
  const refetchMetrics = () => {
    if (refetchPending) return;
    refetchPending = true;
    setTimeout(async () => {
      refetchPending = false;
      try {
        showMetrics(await api<Metrics>(`/api/series/${seriesId}/metrics`, { signal }));
      } catch (error) {
        shell.error(error);
      }
    }, 1000);
  };

  const loadAll = async () => {
    const [metrics, recent] = await Promise.all([
      api<Metrics>(`/api/series/${seriesId}/metrics`, { signal }),
      api<Page<Checkin>>(`/api/series/${seriesId}/checkins?pageSize=${lastScansShown}`, { signal }),
    ]);
    showMetrics(metrics);
    clear(scans);
    for (const c of recent.items) addScan(c, false);
  };
  await loadAll();
  await refreshGates();

  // Then the feed's `gate` events keep it current (sent when a gate's state changes, and once to
  // each new watcher): open or closed, jammed and why, the last scan's time.
  const applyGate = (g: GateFeedEvent) => {
    const known = gateLive.find((l) => l.gateId === g.gateId);
    const lastScan = g.lastScanAt ? { at: g.lastScanAt, result: known?.lastScan?.result ?? "", reason: known?.lastScan?.reason ?? "" } : known?.lastScan ?? null;
    const updated: GateLive = { gateId: g.gateId, name: g.name, status: g.status, jammed: g.jammed, jammedReason: g.jammedReason, minutes: known?.minutes ?? [], lastScan };
    gateLive = known ? gateLive.map((l) => (l.gateId === g.gateId ? updated : l)) : [...gateLive, updated];
    showGates();
  };

  void followFeed(`/api/series/${seriesId}/feed`, {
    onStatus: (status) => (feedStatus.textContent = status),
    onFatal: (status) => {
      feedStatus.textContent = `closed (${status})`;
      if (status !== 401) shell.error(`The live feed answered ${status}.`);
    },
    onEvent: (event) => {
      const data = JSON.parse(event.data);
      switch (event.type) {
        case "metrics":
          showHeadline(data);
          refetchMetrics();
          break;
        case "checkin":
          addScan(data as Checkin, true);
          refetchMetrics();
          break;
        case "gate":
          applyGate(data as GateFeedEvent);
          break;
        case "transition":
          shell.info(`The series is now ${data.to}.`);
          break;
        case "reset":
          void loadAll().catch(shell.error);
          break;
      }
    },
  }, signal);
}
