// One event: its details, categories, gates, series, wristband imports and scanner devices.
import { api } from "../api";
import { field, fromLocalInput, h, select, toLocalInput, when } from "../dom";
import type { Shell } from "./app";
import { devicesSection } from "./devices";
import { importSection } from "./imports";
import type { Category, EventView, Gate, Page, SeriesSummary, SeriesView } from "./types";
import { badge, form, link, table } from "./ui";

const gateKinds = ["entry", "exit", "mixed", "vip", "staff"];

export async function eventView(shell: Shell, eventId: string): Promise<void> {
  const signal = shell.signal;
  const [event, categories, gates, series] = await Promise.all([
    api<EventView>(`/api/events/${eventId}`, { signal }),
    api<Category[]>(`/api/events/${eventId}/categories`, { signal }),
    api<Gate[]>(`/api/events/${eventId}/gates`, { signal }),
    api<Page<SeriesSummary>>(`/api/series?eventId=${eventId}&pageSize=200`, { signal }),
  ]);
  const reload = () => shell.go(location.pathname);
  const main = shell.main;
  main.append(h("p", {}, link(shell, "/", "← Events")), h("h1", {}, event.name));

  // Details
  const name = h("input", { name: "name", required: true, value: event.name });
  const timeZone = h("input", { name: "timeZone", required: true, value: event.timeZone });
  const description = h("textarea", { name: "description", rows: 2 }, event.description ?? "");
  main.append(
    form(shell, "Event details", [field("Name", name), field("Time zone (IANA)", timeZone), field("Description", description)], "Save event", async () => {
      await api(`/api/events/${eventId}`, { method: "PUT", body: { name: name.value, timeZone: timeZone.value, description: description.value || null } });
      shell.info("Event saved.");
    }),
  );

  // Categories
  const categoryName = h("input", { name: "categoryName", required: true });
  main.append(
    h("section", { "aria-labelledby": "cat-h" }, h("h2", { id: "cat-h" }, "Wristband categories"),
      table("Categories", ["Name", "Description"], categories.map((c) => [c.name, c.description ?? ""])),
      form(shell, "New category", [field("Category name", categoryName)], "Add category", async () => {
        await api(`/api/events/${eventId}/categories`, { method: "POST", body: { name: categoryName.value } });
        reload();
      })),
  );

  // Gates: each row edits in place (name, kind, open/closed).
  const gateRows = gates.map((g) => {
    const gName = h("input", { name: "gateName", value: g.name, "aria-label": `Name of gate ${g.name}` });
    const gKind = select("gateKind", gateKinds.map((k) => ({ value: k, label: k })), g.kind);
    gKind.setAttribute("aria-label", `Kind of gate ${g.name}`);
    const gStatus = select("gateStatus", [{ value: "open", label: "open" }, { value: "closed", label: "closed" }], g.status);
    gStatus.setAttribute("aria-label", `Status of gate ${g.name}`);
    const save = h("button", { type: "button", class: "secondary" }, "Save");
    save.addEventListener("click", async () => {
      try {
        await api(`/api/events/${eventId}/gates/${g.id}`, {
          method: "PUT",
          body: { name: gName.value, kind: gKind.value, status: gStatus.value, allowedCategories: g.allowedCategories },
        });
        shell.info(`Gate ${gName.value} saved.`);
      } catch (error) {
        shell.error(error);
      }
    });
    return [gName, gKind, gStatus, g.allowedCategories.join(", ") || "all", save];
  });
  const gateName = h("input", { name: "gateName", required: true });
  const gateKind = select("gateKind", gateKinds.map((k) => ({ value: k, label: k })), "entry");
  const gateCategories = h("input", { name: "gateCategories", placeholder: "empty: every category" });
  main.append(
    h("section", { "aria-labelledby": "gate-h" }, h("h2", { id: "gate-h" }, "Gates"),
      table("Gates", ["Name", "Kind", "Status", "Categories", ""], gateRows),
      form(shell, "New gate", [field("Gate name", gateName), field("Gate kind", gateKind), field("Allowed categories (comma-separated)", gateCategories)], "Add gate", async () => {
        await api(`/api/events/${eventId}/gates`, {
          method: "POST",
          body: { name: gateName.value, kind: gateKind.value, allowedCategories: gateCategories.value.split(",").map((c) => c.trim()).filter(Boolean) },
        });
        reload();
      })),
  );

  // Series
  main.append(
    h("section", { "aria-labelledby": "series-h" }, h("h2", { id: "series-h" }, "Series"),
      table("Series", ["Name", "Starts", "Ends", "Capacity", "State"], series.items.map((s) => [
        link(shell, `/series/${s.id}`, s.sequenceNumber ? `${s.name} #${s.sequenceNumber}` : s.name), when(s.startsAt), when(s.endsAt), s.capacity ?? "—", badge(s.lifecycle),
      ])),
      newSeriesForm(shell, eventId, gates, categories)),
  );

  main.append(importSection(shell, eventId));
  main.append(await devicesSection(shell, eventId, gates));
}

function newSeriesForm(shell: Shell, eventId: string, gates: Gate[], categories: Category[]): HTMLFormElement {
  const now = new Date();
  const start = new Date(now.getTime() + 30 * 60_000);
  const end = new Date(now.getTime() + 6 * 3600_000);
  const name = h("input", { name: "seriesName", required: true });
  const startsAt = h("input", { name: "startsAt", type: "datetime-local", required: true, value: toLocalInput(start.toISOString()) });
  const endsAt = h("input", { name: "endsAt", type: "datetime-local", required: true, value: toLocalInput(end.toISOString()) });
  const opens = h("input", { name: "opensMinutesBeforeStart", type: "number", min: 0, value: 60 });
  const capacity = h("input", { name: "capacity", type: "number", min: 1, placeholder: "no limit" });
  const gateBoxes = gates.map((g) => h("input", { type: "checkbox", name: "gateIds", value: g.id, checked: true, id: `sg-${g.id}` }));
  const limitInputs = categories.map((c) => h("input", { type: "number", min: 0, name: `limit-${c.name}`, placeholder: "no limit", "data-category": c.name }));
  const gateFieldset = h("fieldset", {}, h("legend", {}, "Gates of this series"),
    ...gateBoxes.map((box, i) => h("div", { class: "check" }, box, h("label", { for: box.id }, gates[i].name))));
  return form(
    shell,
    "New series",
    [field("Series name", name), field("Starts at", startsAt), field("Ends at", endsAt), field("Check-in opens (minutes before start)", opens),
      field("Capacity", capacity), gateFieldset, ...limitInputs.map((input, i) => field(`Most ${categories[i].name} wristbands`, input))],
    "Create series",
    async () => {
      const created = await api<SeriesView>("/api/series", {
        method: "POST",
        body: {
          eventId,
          name: name.value,
          startsAt: fromLocalInput(startsAt.value),
          endsAt: fromLocalInput(endsAt.value),
          checkInWindow: { opensMinutesBeforeStart: Number(opens.value || 0) },
          capacity: capacity.value ? Number(capacity.value) : null,
          gateIds: gateBoxes.filter((b) => b.checked).map((b) => b.value),
          categoryLimits: limitInputs.filter((i) => i.value !== "").map((i) => ({ category: i.dataset.category, maxWristbands: Number(i.value) })),
        },
      });
      shell.go(`/series/${created.id}`);
    },
  );
}
