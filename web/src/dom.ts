// A tiny element builder: enough for forms and tables without a framework.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined | null>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value as EventListener);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Element, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

let fieldCounter = 0;

/** A labelled input: every input of the console has a visible label tied to it. */
export function field(label: string, input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement): HTMLElement {
  if (!input.id) input.id = `f${++fieldCounter}`;
  return h("div", { class: "field" }, h("label", { for: input.id }, label), input);
}

export function select(name: string, options: { value: string; label: string }[], selected?: string): HTMLSelectElement {
  const el = h("select", { name });
  for (const o of options) el.append(h("option", { value: o.value, selected: o.value === selected }, o.label));
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** A date for people: local time, minutes. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** The value a datetime-local input wants for an ISO instant (local time). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as an ISO instant with offset, as the API wants. */
export function fromLocalInput(value: string): string {
  return new Date(value).toISOString();
}
