// The console's shell: sign-in, the header with navigation, and a small path router. Ids in the
// path (/events/{id}, /series/{id}/live) are fine to share; the token never goes there.
import { api, ApiError, clearToken, getToken, onUnauthorized, setToken } from "../api";
import { clear, field, h } from "../dom";
import type { Organization } from "./types";

export interface Shell {
  main: HTMLElement;
  org: () => Organization | null;
  go: (path: string) => void;
  error: (error: unknown) => void;
  info: (message: string) => void;
  /** Aborted when the page changes: views stop their polling and feeds with it. */
  signal: AbortSignal;
}

type View = (shell: Shell, ...params: string[]) => Promise<void> | void;

const routes: [RegExp, () => Promise<View>][] = [
  [/^\/$/, async () => (await import("./events")).eventsView],
  [/^\/events\/([0-9a-f-]{36})$/, async () => (await import("./event")).eventView],
  [/^\/series\/([0-9a-f-]{36})$/, async () => (await import("./series")).seriesView],
  [/^\/series\/([0-9a-f-]{36})\/live$/, async () => (await import("./live")).liveView],
  [/^\/audit$/, async () => (await import("./audit")).auditView],
  [/^\/members$/, async () => (await import("./members")).membersView],
  [/^\/cluster$/, async () => (await import("./cluster")).clusterView],
];

const orgKey = "eventseries.console.org";
let root: HTMLElement;
let organizations: Organization[] = [];
let pageAbort = new AbortController();

export function startConsole(element: HTMLElement): void {
  root = element;
  onUnauthorized("console", () => showSignIn("The token was refused (wrong, expired or revoked): sign in again."));
  window.addEventListener("popstate", () => void render());
  void render();
}

function showSignIn(message?: string): void {
  pageAbort.abort();
  clear(root);
  const input = h("input", { type: "password", name: "token", autocomplete: "off", required: true, spellcheck: "false" });
  const status = h("p", { role: "alert", class: "error" }, message ?? "");
  const form = h(
    "form",
    { class: "card signin", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "EventSeries console"),
    h("p", {}, "Sign in with your API token (es_…). It is kept in this tab only and forgotten when the tab closes."),
    field("API token", input),
    h("button", { type: "submit" }, "Sign in"),
    status,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    setToken("console", input.value.trim());
    try {
      organizations = await api<Organization[]>("/api/organizations");
      history.replaceState(null, "", location.pathname === "/signin" ? "/" : location.pathname);
      await render();
    } catch (error) {
      clearToken("console");
      status.textContent = error instanceof ApiError ? error.message : `Sign-in failed: ${error}`;
      input.focus();
    }
  });
  root.append(h("main", { id: "main" }, form));
  input.focus();
}

function currentOrg(): Organization | null {
  const id = sessionStorage.getItem(orgKey);
  return organizations.find((o) => o.id === id) ?? organizations[0] ?? null;
}

async function render(): Promise<void> {
  if (!getToken("console")) {
    showSignIn();
    return;
  }
  pageAbort.abort();
  pageAbort = new AbortController();
  const signal = pageAbort.signal;
  try {
    if (organizations.length === 0) organizations = await api<Organization[]>("/api/organizations");
  } catch (error) {
    if (!getToken("console")) return; // a 401 already went back to sign-in
    clear(root);
    root.append(h("p", { role: "alert", class: "error" }, String(error instanceof Error ? error.message : error)));
    return;
  }
  const messages = h("div", { class: "messages" });
  const main = h("main", { id: "main", tabindex: "-1" });
  clear(root);
  root.append(header(), messages, main);
  const shell: Shell = {
    main,
    org: currentOrg,
    go: (path) => {
      history.pushState(null, "", path);
      void render();
    },
    error: (error) => {
      if (signal.aborted) return;
      const text = error instanceof Error ? error.message : String(error);
      messages.replaceChildren(h("p", { role: "alert", class: "error" }, text));
    },
    info: (message) => messages.replaceChildren(h("p", { role: "status", class: "info" }, message)),
    signal,
  };
  const route = routes.find(([pattern]) => pattern.test(location.pathname));
  if (!route) {
    main.append(h("h1", {}, "Not found"), h("p", {}, h("a", { href: "/" }, "Back to the events")));
    return;
  }
  const params = location.pathname.match(route[0])!.slice(1);
  try {
    const view = await route[1]();
    await view(shell, ...params);
  } catch (error) {
    shell.error(error);
  }
}

function header(): HTMLElement {
  const orgSelect = h("select", { name: "organization" });
  for (const o of organizations) {
    orgSelect.append(h("option", { value: o.id, selected: o.id === currentOrg()?.id }, `${o.name} (${o.yourRole})`));
  }
  orgSelect.addEventListener("change", () => {
    sessionStorage.setItem(orgKey, orgSelect.value);
    history.pushState(null, "", "/");
    void render();
  });
  const link = (href: string, text: string) => {
    const a = h("a", { href }, text);
    a.addEventListener("click", (e) => {
      e.preventDefault();
      history.pushState(null, "", href);
      void render();
    });
    return a;
  };
  const signOut = h("button", { type: "button", class: "secondary" }, "Sign out");
  signOut.addEventListener("click", () => {
    clearToken("console");
    sessionStorage.removeItem(orgKey);
    organizations = [];
    history.pushState(null, "", "/");
    showSignIn("Signed out.");
  });
  return h(
    "header",
    { class: "top" },
    h("a", { class: "skip", href: "#main" }, "Skip to content"),
    h("strong", {}, "EventSeries"),
    h("nav", { "aria-label": "Main" }, link("/", "Events"), link("/members", "Members"), link("/audit", "Audit log"),
      // Only the operators' owners and admins see it (the page says so to anyone else).
      ...(["owner", "admin"].includes(currentOrg()?.yourRole ?? "") ? [link("/cluster", "Cluster")] : []),
      h("a", { href: "/scanner" }, "Scanner page")),
    field("Organization", orgSelect),
    signOut,
  );
}
