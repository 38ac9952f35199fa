// Upload a wristband file (CSV or NDJSON) and follow its import job until it finishes.
import { api } from "../api";
import { field, h, select } from "../dom";
import type { Shell } from "./app";
import type { ImportJob } from "./types";
import { form } from "./ui";

const finished = new Set(["completed", "failed"]);

export function importSection(shell: Shell, eventId: string): HTMLElement {
  const file = h("input", { type: "file", name: "wristbandFile", accept: ".csv,.ndjson,.jsonl,text/csv", required: true });
  const mode = select("mode", [
    { value: "skip_invalid", label: "Import good rows, list bad ones" },
    { value: "all_or_nothing", label: "All or nothing" },
  ]);
  const progress = h("div", { class: "import-progress", "aria-live": "polite" });
  const upload = form(shell, "Import wristbands", [
    h("p", {}, "Columns: nfc_id, category (required); status, holder_name, holder_email, series (optional)."),
    field("Wristband file (CSV or NDJSON)", file),
    field("Mode", mode),
  ], "Upload", async () => {
    const chosen = file.files?.[0];
    if (!chosen) throw new Error("Choose a file first.");
    const ndjson = /\.(nd)?jsonl?$/i.test(chosen.name);
    const job = await api<ImportJob>(`/api/events/${eventId}/wristbands/import?format=${ndjson ? "ndjson" : "csv"}&mode=${mode.value}`, {
      method: "POST",
      raw: { data: chosen, contentType: ndjson ? "application/x-ndjson" : "text/csv" },
    });
    await follow(shell, job, progress);
  });
  return h("section", { "aria-labelledby": "imp-h" }, h("h2", { id: "imp-h" }, "Wristbands"), upload, progress);
}

/** Polls the job twice a second, showing its counts, until it completes or fails. */
async function follow(shell: Shell, job: ImportJob, out: HTMLElement): Promise<void> {
  for (;;) {
    show(job, out);
    if (finished.has(job.status) || shell.signal.aborted) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
    job = await api<ImportJob>(`/api/imports/${job.id}`, { signal: shell.signal });
  }
}

function show(job: ImportJob, out: HTMLElement): void {
  const done = finished.has(job.status);
  out.replaceChildren(
    h("p", { class: `import-status ${job.status}`, "data-import-id": job.id },
      `Import ${job.status}: ${job.rowsRead} rows read, ${job.created} created, ${job.updated} updated, ${job.unchanged} unchanged, ${job.rejected} rejected`),
    done ? "" : h("progress", { "aria-label": "Import in progress" }),
    job.error ? h("p", { role: "alert", class: "error" }, job.error) : "",
    job.rejections.length
      ? h("ul", { class: "rejections" }, ...job.rejections.slice(0, 20).map((r) => h("li", {}, `line ${r.line}: ${r.reason}`)))
      : "",
  );
}
