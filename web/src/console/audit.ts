// The audit log of the organization (admins and owners): every administrative write, newest first.
import { api } from "../api";
import { field, h, when } from "../dom";
import type { Shell } from "./app";
import type { Page } from "./types";
import { form, table } from "./ui";

interface AuditEntry { id: number; at: string; actor: string; action: string; targetType: string; targetId: string }

export async function auditView(shell: Shell): Promise<void> {
  const org = shell.org();
  shell.main.append(h("h1", {}, "Audit log"));
  if (!org) return;
  const action = h("input", { name: "action", placeholder: "e.g. series.transition" });
  const results = h("div", {});
  const load = async () => {
    const query = new URLSearchParams({ organizationId: org.id, pageSize: "100" });
    if (action.value.trim()) query.set("action", action.value.trim());
    const page = await api<Page<AuditEntry>>(`/api/audit?${query}`, { signal: shell.signal });
    results.replaceChildren(table(`Audit entries (${page.total})`, ["At", "Who", "Action", "Target"],
      page.items.map((e) => [when(e.at), e.actor, e.action, `${e.targetType} ${e.targetId}`])));
  };
  shell.main.append(form(shell, "Filter", [field("Action", action)], "Show", load), results);
  await load();
}
