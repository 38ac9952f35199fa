// The gate scanner page (/scanner), for a phone or handheld: sign in with a scanner device token
// (or a personal one), pick the gate, then read wristbands by NFC or by the text input (typed,
// pasted, or a USB reader that types the UID and presses Enter). Each answer fills the screen for
// 2 s, green or red, with a tone; then the input has the focus again for the next read.
import { api, ApiError, clearToken, getToken, onUnauthorized, setToken } from "../api";
import { clear, field, h, select } from "../dom";
import { beep, unlockAudio } from "./beep";
import { nfcAvailable, startNfc } from "./nfc";
import { sendScan } from "./scan";

interface ScannableSeries {
  seriesId: string; eventId: string; name: string; lifecycle: string;
  gates: { id: string; name: string; kind: string; status: string }[];
}

const gateKey = "eventseries.scanner.gate";
const resultShownMs = 2000;
let root: HTMLElement;

export function startScanner(element: HTMLElement): void {
  root = element;
  document.body.classList.add("scanner-body");
  onUnauthorized("scanner", () => signIn("The token was refused (wrong, expired or revoked): sign in again."));
  if (getToken("scanner")) void choose();
  else signIn();
}

function signIn(message = ""): void {
  clear(root);
  const token = h("input", { type: "password", name: "scannerToken", autocomplete: "off", required: true, spellcheck: "false" });
  const error = h("p", { role: "alert", class: "error" }, message);
  const form = h("form", { class: "card signin" },
    h("h1", {}, "Gate scanner"),
    h("p", {}, "Sign in with this device's scanner token (or your own token)."),
    field("Scanner token", token), h("button", { type: "submit" }, "Sign in"), error);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    unlockAudio(); // a user gesture: the tones may play from now on
    setToken("scanner", token.value.trim());
    void choose();
  });
  root.append(h("main", { class: "scanner" }, form));
  token.focus();
}

/** Pick the event's gate among the series this token may scan now (GET /api/series/scannable). */
async function choose(): Promise<void> {
  let series: ScannableSeries[];
  try {
    series = await api<ScannableSeries[]>("/api/series/scannable", { slot: "scanner" });
  } catch (error) {
    if (getToken("scanner")) signIn(error instanceof Error ? error.message : String(error));
    return;
  }
  // One choice per event and gate; the API decides which of the event's series a band belongs to.
  const gates = new Map<string, { eventId: string; gateId: string; label: string; kind: string }>();
  for (const s of series) {
    for (const g of s.gates) gates.set(`${s.eventId}/${g.id}`, { eventId: s.eventId, gateId: g.id, label: `${g.name} (${g.kind}) · ${s.name}`, kind: g.kind });
  }
  clear(root);
  const signOut = h("button", { type: "button", class: "secondary" }, "Sign out");
  signOut.addEventListener("click", () => {
    clearToken("scanner");
    signIn("Signed out.");
  });
  if (gates.size === 0) {
    root.append(h("main", { class: "scanner" }, h("h1", {}, "Gate scanner"),
      h("p", { role: "status" }, "No series can be scanned now (none is scheduled or active for this token)."), signOut));
    return;
  }
  const gateSelect = select("gate", [...gates].map(([key, g]) => ({ value: key, label: g.label })), sessionStorage.getItem(gateKey) ?? undefined);
  const start = h("button", { type: "submit" }, "Start scanning");
  const form = h("form", { class: "card" }, h("h1", {}, "Gate scanner"), field("Gate", gateSelect), start, " ", signOut);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    unlockAudio();
    sessionStorage.setItem(gateKey, gateSelect.value);
    scanning(gates.get(gateSelect.value)!);
  });
  root.append(h("main", { class: "scanner" }, form));
  gateSelect.focus();
}

function scanning(gate: { eventId: string; gateId: string; label: string; kind: string }): void {
  clear(root);
  const uid = h("input", { name: "nfcId", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", inputmode: "text", required: true });
  const direction = select("direction", [{ value: "in", label: "In" }, { value: "out", label: "Out" }], gate.kind === "exit" ? "out" : "in");
  const status = h("p", { role: "status", class: "scan-status" }, "Ready.");
  const overlay = h("div", { class: "result hidden", "aria-live": "assertive", "data-testid": "scan-result" });
  const change = h("button", { type: "button", class: "secondary" }, "Change gate");
  change.addEventListener("click", () => void choose());
  const form = h("form", { class: "card scan-form" },
    h("h1", {}, gate.label),
    field("Wristband NFC UID", uid),
    gate.kind === "mixed" ? field("Direction", direction) : "",
    h("button", { type: "submit" }, "Scan"), " ", change, status);
  let busy = false;

  const read = async (nfcId: string) => {
    if (busy || !nfcId) return;
    busy = true;
    status.textContent = "Checking…";
    try {
      const answer = await sendScan(gate.eventId, { nfcId, gateId: gate.gateId, direction: direction.value },
        (attempt) => (status.textContent = `Network trouble, retrying (${attempt})…`));
      show(answer.allowed, answer.allowed ? "ALLOW" : "DENY", answer.message, answer.allowed ? answer.category ?? "" : answer.reason);
      status.textContent = "Ready.";
    } catch (error) {
      if (!getToken("scanner")) return; // a 401: back at sign-in
      const text = error instanceof ApiError ? error.message : `No answer from the server: ${error}`;
      show(false, "ERROR", text, "Scan again");
      status.textContent = text;
    } finally {
      busy = false;
    }
  };

  let hideTimer = 0;
  const show = (allowed: boolean, word: string, message: string, small: string) => {
    beep(allowed);
    overlay.className = `result ${allowed ? "allow" : "deny"}`;
    overlay.replaceChildren(h("div", { class: "word" }, word), h("div", { class: "message" }, message), h("div", { class: "small" }, small));
    clearTimeout(hideTimer);
    hideTimer = window.setTimeout(() => {
      overlay.className = "result hidden";
      overlay.replaceChildren();
      uid.focus();
    }, resultShownMs);
    uid.value = "";
    uid.focus();
  };

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void read(uid.value.trim().toUpperCase());
  });

  const main = h("main", { class: "scanner" }, form, overlay);
  if (nfcAvailable()) {
    const nfcButton = h("button", { type: "button" }, "Read NFC wristbands");
    const controller = new AbortController();
    nfcButton.addEventListener("click", async () => {
      try {
        await startNfc((id) => void read(id), controller.signal);
        nfcButton.disabled = true;
        status.textContent = "Hold a wristband to the phone.";
      } catch (error) {
        status.textContent = `NFC unavailable: ${error}`;
      }
    });
    form.append(nfcButton);
  }
  root.append(main);
  uid.focus();
}
