// Shared widgets: headings, tables, problem messages, pagers.
import { ApiError } from "./api";
import { h, type Child } from "./dom";
import { t, type Key } from "./i18n";

export function pageTitle(text: string, ...extra: Child[]): HTMLElement {
  document.title = `${text} – ${t("appName")}`;
  return h("div", { class: "page-head" }, h("h1", { id: "page-title", tabindex: "-1" }, text), ...extra);
}

export interface Column<T> {
  head: string;
  cell: (row: T) => Child;
  num?: boolean;
}

export function table<T>(caption: string, columns: Column<T>[], rows: T[], empty: string = t("noRows")): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "div",
    { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
    h(
      "table",
      null,
      h("caption", null, caption),
      h("thead", null, h("tr", null, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.head)))),
      h("tbody", null, rows.map((r) => h("tr", null, columns.map((c, i) => (i === 0 ? h("th", { scope: "row", class: c.num ? "num" : null }, c.cell(r)) : h("td", { class: c.num ? "num" : null }, c.cell(r))))))),
    ),
  );
}

const STATUS_KEYS: Record<number, Key> = {
  400: "problem400",
  401: "problem401",
  403: "problem403",
  404: "problem404",
  409: "problem409",
  412: "problem412",
  413: "problem413",
  415: "problem415",
  422: "problem422",
  429: "problem429",
  503: "problem503",
};

// An error, explained in the chosen language: what the status means for the
// user, then the server's own title and detail (in the language sent as
// Accept-Language when the server has it).
export function problemBox(err: unknown, retry?: () => void): HTMLElement {
  if (!(err instanceof ApiError)) {
    return h("div", { class: "problem", role: "alert" }, h("p", null, h("strong", null, t("problemNetwork"))), h("p", null, String(err)));
  }
  const p = err.problem;
  const explain = t(STATUS_KEYS[err.status] ?? "problemOther", { status: err.status });
  return h(
    "div",
    { class: "problem", role: "alert", tabindex: "-1" },
    h("p", null, h("strong", null, explain)),
    h("p", { class: "problem-server" }, `${p.title} (${p.status})${p.detail ? `: ${p.detail}` : ""}`),
    p.errors && p.errors.length
      ? h("ul", null, p.errors.map((e) => h("li", null, h("code", null, e.field), " – ", e.message)))
      : null,
    retry ? h("button", { type: "button", class: "secondary", onclick: retry }, t("reloadData")) : null,
  );
}

export function loading(): HTMLElement {
  return h("p", { class: "loading", role: "status" }, t("loading"));
}

export function tabs(items: Array<{ href: string; text: string; current: boolean }>, name: string): HTMLElement {
  return h(
    "nav",
    { class: "tabs", "aria-label": name },
    h("ul", null, items.map((i) => h("li", null, h("a", { href: i.href, "aria-current": i.current ? "page" : null }, i.text)))),
  );
}

// A status word with a text mark, so that colour is never the only cue.
export function badge(text: string, kind: string): HTMLElement {
  return h("span", { class: `badge badge-${kind}` }, text);
}

// Asks the browser to save `blob` as `name`.
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name, class: "visually-hidden" }, name);
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 1000);
}

// Only re-renders a panel when what it shows has changed, so that a live
// refresh does not move the reader's focus or scroll.
const shown = new WeakMap<HTMLElement, string>();
export function keyed(el: HTMLElement, data: unknown, render: () => Child): void {
  const key = JSON.stringify(data);
  if (shown.get(el) === key) return;
  shown.set(el, key);
  el.replaceChildren();
  const c = render();
  if (c instanceof Node) el.appendChild(c);
  else if (Array.isArray(c)) c.forEach((x) => x instanceof Node && el.appendChild(x));
  else if (typeof c === "string") el.textContent = c;
}
