// Cluster health for the operators (owners and admins of the organization named by
// EventSeries:Dashboard:OrganizationId): every silo's status, load and check-in log latency,
// from GET /api/cluster/health, refreshed every 5 s while the page is open.
import { api, ApiError } from "../api";
import { h, when } from "../dom";
import type { Shell } from "./app";
import { table } from "./ui";

interface SiloLogWriter { reportedAt: string; batches: number; rows: number; failedBatches: number; commitP50Ms: number | null; commitP99Ms: number | null }
interface Silo {
  address: string; name: string; hostName: string; status: string; startedAt: string;
  activations: number | null; cpuUsagePercent: number | null; memoryUsageBytes: number | null; overloaded: boolean | null;
  logWriter: SiloLogWriter | null;
}
interface ClusterHealth { at: string; activeSilos: number; silos: Silo[] }

const ms = (value: number | null | undefined) => (value == null ? "—" : `${value.toFixed(1)} ms`);
const mib = (bytes: number | null) => (bytes == null ? "—" : `${Math.round(bytes / 1048576)} MiB`);

export async function clusterView(shell: Shell): Promise<void> {
  shell.main.append(h("h1", {}, "Cluster health"));
  const summary = h("p", { role: "status", "data-testid": "cluster-summary" });
  const silos = h("div", {});
  shell.main.append(summary, silos);
  const load = async () => {
    let health: ClusterHealth;
    try {
      health = await api<ClusterHealth>("/api/cluster/health", { signal: shell.signal });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 403 || error.status === 404)) {
        summary.textContent = "Cluster health is for the owners and admins of the organization that runs the system " +
          "(EventSeries:Dashboard:OrganizationId).";
        return false;
      }
      throw error;
    }
    summary.textContent = `${health.activeSilos} active silo(s), as of ${when(health.at)}.`;
    silos.replaceChildren(table("Silos", ["Silo", "Status", "Activations", "CPU", "Memory", "Log commits (last minute)", "Commit p50 / p99"],
      health.silos.map((s) => [
        `${s.name} (${s.address})`,
        h("span", { class: s.status === "active" ? (s.overloaded ? "badge cancelled" : "badge active") : "badge cancelled" }, s.overloaded ? "overloaded" : s.status),
        s.activations ?? "—",
        s.cpuUsagePercent == null ? "—" : `${s.cpuUsagePercent.toFixed(0)} %`,
        mib(s.memoryUsageBytes),
        s.logWriter ? `${s.logWriter.batches} batches, ${s.logWriter.rows} rows${s.logWriter.failedBatches ? `, ${s.logWriter.failedBatches} failed` : ""}` : "—",
        s.logWriter ? `${ms(s.logWriter.commitP50Ms)} / ${ms(s.logWriter.commitP99Ms)}` : "—",
      ])));
    return true;
  };
  if (await load()) {
    const timer = setInterval(() => load().catch(shell.error), 5000);
    shell.signal.addEventListener("abort", () => clearInterval(timer));
  }
}
