// One series: edit it, move it through its lifecycle (only the allowed moves; cancel asks first),
// assign wristbands, see its transitions and, for a recurring parent, its instances.
import { api } from "../api";
import { field, fromLocalInput, h, select, toLocalInput, when } from "../dom";
import type { Shell } from "./app";
import type { Category, ImportJob, Lifecycle, Page, SeriesSummary, SeriesView, Transition } from "./types";
import { nextStates } from "./types";
import { badge, form, link, table } from "./ui";

const actionLabel: Record<Lifecycle, string> = {
  draft: "Back to draft",
  scheduled: "Schedule",
  active: "Activate",
  completed: "Complete",
  cancelled: "Cancel series…",
};

export async function seriesView(shell: Shell, seriesId: string): Promise<void> {
  const signal = shell.signal;
  const series = await api<SeriesView>(`/api/series/${seriesId}`, { signal });
  const [transitions, categories, imports, instances] = await Promise.all([
    api<Transition[]>(`/api/series/${seriesId}/transitions`, { signal }),
    api<Category[]>(`/api/events/${series.eventId}/categories`, { signal }),
    api<Page<ImportJob>>(`/api/events/${series.eventId}/imports?pageSize=20`, { signal }).catch(() => ({ items: [] as ImportJob[] }) as Page<ImportJob>),
    series.parentSeriesId === null
      ? api<Page<SeriesSummary>>(`/api/series?parentSeriesId=${seriesId}&pageSize=200`, { signal })
      : Promise.resolve({ items: [] } as unknown as Page<SeriesSummary>),
  ]);
  const reload = () => shell.go(location.pathname);
  const main = shell.main;
  main.append(
    h("p", {}, link(shell, `/events/${series.eventId}`, "← Event"), " · ",
      series.parentSeriesId ? link(shell, `/series/${series.parentSeriesId}`, "Parent series") : "",
      series.parentSeriesId ? " · " : "", link(shell, `/series/${seriesId}/live`, "Live view")),
    h("h1", {}, series.name, " ", badge(series.lifecycle)),
    h("p", {}, `${when(series.startsAt)} – ${when(series.endsAt)}; check-in ${when(series.checkInOpensAt)} – ${when(series.checkInClosesAt)}; `,
      h("span", { class: "assigned" }, `${series.assignedWristbands} wristbands assigned`), series.capacity ? `; capacity ${series.capacity}` : ""),
  );

  // Lifecycle: one button per allowed next state.
  const moves = nextStates[series.lifecycle];
  const lifecycle = h("section", { "aria-labelledby": "lc-h", class: "card" }, h("h2", { id: "lc-h" }, "Lifecycle"));
  if (moves.length === 0) lifecycle.append(h("p", {}, `This series is ${series.lifecycle}: no further moves.`));
  for (const to of moves) {
    const button = h("button", { type: "button", class: to === "cancelled" ? "danger" : "" }, actionLabel[to]);
    button.addEventListener("click", async () => {
      const reason = to === "cancelled" ? await confirmCancel(series.name) : null;
      if (to === "cancelled" && reason === null) return;
      try {
        await api(`/api/series/${seriesId}/transitions`, { method: "POST", body: { to, reason: reason || null } });
        reload();
      } catch (error) {
        shell.error(error);
      }
    });
    lifecycle.append(button, " ");
  }
  main.append(lifecycle);

  // Assign wristbands: every band of the event, of a category, or of an import.
  const scope = select("assignScope", [
    { value: "all", label: "Every wristband of the event" },
    ...categories.map((c) => ({ value: `category:${c.name}`, label: `Category ${c.name}` })),
    ...imports.items.filter((i) => i.status === "completed").map((i) => ({ value: `import:${i.id}`, label: `Import of ${when(i.createdAt)} (${i.created + i.updated + i.unchanged} bands)` })),
  ]);
  main.append(
    form(shell, "Assign wristbands", [field("Which wristbands", scope)], "Assign", async () => {
      const [kind, value] = scope.value.split(/:(.*)/s);
      const body = kind === "category" ? { category: value } : kind === "import" ? { importId: value } : {};
      const result = await api<{ assigned: number; alreadyAssigned: number }>(`/api/series/${seriesId}/wristbands/assign-all`, { method: "POST", body });
      shell.info(`${result.assigned} wristbands assigned (${result.alreadyAssigned} already were).`);
      reload();
    }),
  );

  // Edit
  const name = h("input", { name: "name", required: true, value: series.name });
  const startsAt = h("input", { name: "startsAt", type: "datetime-local", required: true, value: toLocalInput(series.startsAt) });
  const endsAt = h("input", { name: "endsAt", type: "datetime-local", required: true, value: toLocalInput(series.endsAt) });
  const opens = h("input", { name: "opens", type: "number", min: 0, value: series.window.opensMinutesBeforeStart });
  const capacity = h("input", { name: "capacity", type: "number", min: 1, value: series.capacity ?? "" });
  const description = h("textarea", { name: "description", rows: 2 }, series.description ?? "");
  main.append(
    form(shell, "Edit series", [field("Name", name), field("Starts at", startsAt), field("Ends at", endsAt),
      field("Check-in opens (minutes before start)", opens), field("Capacity", capacity), field("Description", description)], "Save series", async () => {
      await api(`/api/series/${seriesId}`, {
        method: "PUT",
        body: {
          name: name.value, description: description.value || null,
          startsAt: fromLocalInput(startsAt.value), endsAt: fromLocalInput(endsAt.value),
          checkInWindow: { opensMinutesBeforeStart: Number(opens.value || 0), closesMinutesAfterStart: series.window.closesMinutesAfterStart },
          capacity: capacity.value ? Number(capacity.value) : null,
        },
      });
      reload();
    }),
  );

  main.append(table("Category limits", ["Category", "Most", "Assigned"], series.categories.map((c) => [c.category, c.maxWristbands ?? "—", c.assigned])));
  if (instances.items.length) {
    main.append(table("Instances", ["#", "Name", "Starts", "State"], instances.items.map((i) => [
      i.sequenceNumber ?? "", link(shell, `/series/${i.id}`, i.name), when(i.startsAt), badge(i.lifecycle)])));
  }
  main.append(table("Transitions", ["At", "From", "To", "By", "Reason"], transitions.map((t) => [when(t.at), t.from ?? "—", t.to, t.actor, t.reason ?? ""])));
}

/** A modal confirmation for the one move that cannot be undone; resolves to the reason, or null when kept. */
function confirmCancel(name: string): Promise<string | null> {
  return new Promise((resolve) => {
    const reason = h("input", { name: "cancelReason", placeholder: "optional" });
    const keep = h("button", { type: "button", class: "secondary" }, "Keep the series");
    const confirmButton = h("button", { type: "button", class: "danger" }, "Cancel the series");
    const dialog = h("dialog", { "aria-labelledby": "cancel-h" },
      h("h2", { id: "cancel-h" }, `Cancel ${name}?`),
      h("p", {}, "A cancelled series admits nobody and cannot be reopened."),
      field("Reason", reason), keep, " ", confirmButton);
    const done = (value: string | null) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    keep.addEventListener("click", () => done(null));
    confirmButton.addEventListener("click", () => done(reason.value.trim()));
    dialog.addEventListener("cancel", () => done(null));
    document.body.append(dialog);
    dialog.showModal();
    keep.focus();
  });
}
