// Small pieces the console's views share.
import { h } from "../dom";
import type { Shell } from "./app";

/** An in-console link: follows the path without reloading the page (and the token with it). */
export function link(shell: Shell, href: string, text: string): HTMLAnchorElement {
  const a = h("a", { href }, text);
  a.addEventListener("click", (e) => {
    e.preventDefault();
    shell.go(href);
  });
  return a;
}

/** A form whose submit runs `action`, with its button disabled meanwhile and errors shown. */
export function form(shell: Shell, title: string, fields: HTMLElement[], submitText: string, action: () => Promise<void>): HTMLFormElement {
  const button = h("button", { type: "submit" }, submitText);
  const el = h("form", { class: "card", "aria-label": title }, h("h3", {}, title), ...fields, button);
  el.addEventListener("submit", async (e) => {
    e.preventDefault();
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      shell.error(error);
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

export function table(caption: string, headers: string[], rows: (Node | string | number)[][]): HTMLTableElement {
  return h(
    "table",
    {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, ...(rows.length ? rows : [["—"]]).map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c instanceof Node ? c : String(c)))))),
  );
}

export function badge(state: string): HTMLElement {
  return h("span", { class: `badge ${state}` }, state);
}
