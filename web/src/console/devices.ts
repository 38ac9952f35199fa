// Scanner devices of an event (admins): enrol one (its token shown once, as text and QR code), revoke.
import QRCode from "qrcode";
import { api, ApiError } from "../api";
import { field, h, when } from "../dom";
import type { Shell } from "./app";
import type { Gate } from "./types";
import { form, table } from "./ui";

interface Device { id: string; name: string; gateIds: string[]; createdAt: string; revokedAt: string | null }

export async function devicesSection(shell: Shell, eventId: string, gates: Gate[]): Promise<HTMLElement> {
  const section = h("section", { "aria-labelledby": "dev-h" }, h("h2", { id: "dev-h" }, "Scanner devices"));
  let devices: Device[];
  try {
    devices = await api<Device[]>(`/api/events/${eventId}/devices`, { signal: shell.signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      section.append(h("p", {}, "Only admins and owners manage scanner devices."));
      return section;
    }
    throw error;
  }
  const gateName = (id: string) => gates.find((g) => g.id === id)?.name ?? id;
  section.append(
    table("Devices", ["Name", "Gates", "Enrolled", "State", ""], devices.map((d) => {
      const revoke = h("button", { type: "button", class: "danger", disabled: !!d.revokedAt }, "Revoke");
      revoke.addEventListener("click", async () => {
        if (!confirm(`Revoke ${d.name}? Its token stops working at once.`)) return;
        try {
          await api(`/api/devices/${d.id}`, { method: "DELETE" });
          shell.go(location.pathname);
        } catch (error) {
          shell.error(error);
        }
      });
      return [d.name, d.gateIds.map(gateName).join(", ") || "all", when(d.createdAt), d.revokedAt ? `revoked ${when(d.revokedAt)}` : "active", revoke];
    })),
  );
  const name = h("input", { name: "deviceName", required: true });
  const boxes = gates.map((g) => h("input", { type: "checkbox", value: g.id, id: `dg-${g.id}` }));
  const shown = h("div", { class: "enrolment", "aria-live": "polite" });
  section.append(
    form(shell, "Enrol a scanner device", [
      field("Device name", name),
      h("fieldset", {}, h("legend", {}, "Gates it may scan at (none: all)"),
        ...boxes.map((b, i) => h("div", { class: "check" }, b, h("label", { for: b.id }, gates[i].name)))),
    ], "Enrol device", async () => {
      const issued = await api<{ device: Device; token: string }>(`/api/events/${eventId}/devices`, {
        method: "POST",
        body: { name: name.value, gateIds: boxes.filter((b) => b.checked).map((b) => b.value) },
      });
      // Shown this once: the API keeps only its hash. The QR code carries the token alone, for the scanner page.
      const qr = await QRCode.toDataURL(issued.token, { margin: 1, width: 220 });
      shown.replaceChildren(
        h("p", {}, `Token of ${issued.device.name} (shown only now; scan it or copy it into the scanner page):`),
        h("code", { class: "token" }, issued.token),
        h("img", { src: qr, alt: `QR code of the token of ${issued.device.name}`, width: 220, height: 220 }),
      );
    }),
    shown,
  );
  return section;
}
