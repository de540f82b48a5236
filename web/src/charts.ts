// Charts drawn in the page as SVG (no library, nothing inline that the CSP
// would refuse), each with a text legend and a data table alternative.
import { h, svg, uid } from "./dom";
import { num, t } from "./i18n";

export interface Series {
  key: string;
  label: string;
  values: number[];
}

export const PALETTE = ["#1f5f8b", "#b5461f", "#2e7d32", "#6a3d9a", "#8c5a00", "#00727d", "#ad1457", "#455a64", "#5d4037", "#3949ab"];

function niceMax(v: number): number {
  if (v <= 5) return Math.max(1, Math.ceil(v));
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return v;
}

function dataTable(caption: string, categories: string[], series: Series[], firstHead: string): HTMLElement {
  return h(
    "details",
    { class: "alt-table" },
    h("summary", null, t("showAsTable")),
    h(
      "div",
      { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption },
      h(
        "table",
        null,
        h("caption", null, caption),
        h("thead", null, h("tr", null, h("th", { scope: "col" }, firstHead), series.map((s) => h("th", { scope: "col", class: "num" }, s.label)))),
        h("tbody", null, categories.map((c, i) => h("tr", null, h("th", { scope: "row" }, c), series.map((s) => h("td", { class: "num" }, num(s.values[i] ?? 0)))))),
      ),
    ),
  );
}

function legend(series: Series[]): HTMLElement {
  return h("ul", { class: "legend" }, series.map((s, i) => h("li", null, h("span", { class: `swatch swatch-${i % PALETTE.length}`, "aria-hidden": "true" }), s.label)));
}

// Stacked columns: one column per category (period), one segment per series.
export function stackedBars(title: string, categories: string[], series: Series[], firstHead: string): HTMLElement {
  const id = uid("chart");
  const W = 720;
  const H = 260;
  const left = 44;
  const bottom = 40;
  const top = 10;
  const totals = categories.map((_, i) => series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotH = H - bottom - top;
  const step = (W - left - 10) / Math.max(1, categories.length);
  const barW = Math.max(4, Math.min(48, step * 0.7));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const ticks = [0, max / 2, max];
  const labelEvery = Math.ceil(categories.length / 12);
  const desc = t("chartDesc", { n: categories.length, total: totals.reduce((a, b) => a + b, 0) });
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-t ${id}-d`, class: "chart" },
    svg("title", { id: `${id}-t` }, title),
    svg("desc", { id: `${id}-d` }, desc),
    ticks.map((v) => [
      svg("line", { x1: left, x2: W - 10, y1: y(v), y2: y(v), class: "grid" }),
      svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, num(v)),
    ]),
    categories.map((c, i) => {
      let acc = 0;
      const x = left + i * step + (step - barW) / 2;
      return svg(
        "g",
        null,
        series.map((s, si) => {
          const v = s.values[i] ?? 0;
          if (v <= 0) return null;
          const y0 = y(acc);
          acc += v;
          return svg("rect", { x, y: y(acc), width: barW, height: Math.max(0.5, y0 - y(acc)), fill: PALETTE[si % PALETTE.length], class: "mark" }, svg("title", null, `${c}: ${s.label} ${num(v)}`));
        }),
        i % labelEvery === 0 ? svg("text", { x: x + barW / 2, y: H - bottom + 16, "text-anchor": "middle", class: "axis" }, c) : null,
      );
    }),
  );
  return h("figure", { class: "figure" }, h("figcaption", null, h("h3", null, title)), chart, legend(series), dataTable(title, categories, series, firstHead));
}

// Horizontal bars, labelled with their values (ranked themes).
export function rankedBars(title: string, items: Array<{ label: string; value: number }>, valueHead: string, firstHead: string): HTMLElement {
  const id = uid("chart");
  const rowH = 26;
  const W = 720;
  const left = 300;
  const H = Math.max(40, items.length * rowH + 10);
  const max = niceMax(Math.max(0, ...items.map((i) => i.value)));
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-t ${id}-d`, class: "chart" },
    svg("title", { id: `${id}-t` }, title),
    svg("desc", { id: `${id}-d` }, items.map((i) => `${i.label}: ${num(i.value)}`).join("; ")),
    items.map((it, i) => {
      const w = ((W - left - 60) * it.value) / max;
      const yy = 5 + i * rowH;
      return svg(
        "g",
        null,
        svg("text", { x: left - 8, y: yy + 16, "text-anchor": "end", class: "axis" }, it.label.length > 44 ? `${it.label.slice(0, 42)}…` : it.label),
        svg("rect", { x: left, y: yy + 3, width: Math.max(1, w), height: rowH - 8, fill: PALETTE[0], class: "mark" }),
        svg("text", { x: left + w + 6, y: yy + 16, class: "value" }, num(it.value)),
      );
    }),
  );
  return h(
    "figure",
    { class: "figure" },
    h("figcaption", null, h("h3", null, title)),
    chart,
    dataTable(title, items.map((i) => i.label), [{ key: "v", label: valueHead, values: items.map((i) => i.value) }], firstHead),
  );
}
