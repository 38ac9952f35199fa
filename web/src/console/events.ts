// The organization's events: pick one, or create one with its first categories.
import { api } from "../api";
import { field, h } from "../dom";
import type { Shell } from "./app";
import type { EventView, Page } from "./types";
import { form, link, table } from "./ui";

export async function eventsView(shell: Shell): Promise<void> {
  const org = shell.org();
  shell.main.append(h("h1", {}, org ? `Events of ${org.name}` : "Events"));
  if (!org) {
    shell.main.append(h("p", {}, "This token belongs to no organization."));
    return;
  }
  const events = await api<Page<EventView>>(`/api/events?organizationId=${org.id}&pageSize=100`, { signal: shell.signal });
  shell.main.append(
    table("Events", ["Name", "Time zone"], events.items.map((e) => [link(shell, `/events/${e.id}`, e.name), e.timeZone])),
  );

  const name = h("input", { name: "name", required: true, maxlength: 200 });
  const timeZone = h("input", { name: "timeZone", value: Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" });
  const description = h("textarea", { name: "description", rows: 2 });
  const categories = h("input", { name: "categories", value: "general", placeholder: "general, vip" });
  shell.main.append(
    form(
      shell,
      "New event",
      [field("Name", name), field("Time zone (IANA)", timeZone), field("Description", description), field("Wristband categories (comma-separated)", categories)],
      "Create event",
      async () => {
        const created = await api<EventView>("/api/events", {
          method: "POST",
          body: {
            organizationId: org.id,
            name: name.value,
            timeZone: timeZone.value,
            description: description.value || null,
            categories: categories.value.split(",").map((c) => c.trim()).filter(Boolean).map((c) => ({ name: c })),
          },
        });
        shell.go(`/events/${created.id}`);
      },
    ),
  );
}
