// Screen 3: the calendar across networks, month by month; joint meetings are
// marked with a word and a symbol, not only a colour.
import { get, query, type S } from "../api";
import type { Screen } from "../app";
import { h } from "../dom";
import { dateField } from "../forms";
import { date, t } from "../i18n";
import { keyed, pageTitle, problemBox } from "../ui";
import { jointMark, meetingStatus } from "./network";

function monthName(ym: string, lang: string): string {
  const [y, m] = ym.split("-").map(Number);
  return new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export const calendar: Screen = async (app, main) => {
  const year = new Date().getFullYear();
  let from = `${year - 2}-01-01`;
  let to = `${year + 1}-12-31`;
  const body = h("div");
  const fromId = "cal-from";
  const toId = "cal-to";
  const fromField = dateField(fromId, t("from"), from);
  const toField = dateField(toId, t("to"), to);
  const filters = h(
    "form",
    { class: "filters", "aria-label": t("filters") },
    fromField.wrap,
    toField.wrap,
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("show"))),
  );
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    from = fromField.read();
    to = toField.read();
    void refresh();
  });
  main.replaceChildren(pageTitle(t("calendarTitle")), filters, h("p", { class: "legend" }, badge2()), body);
  function badge2(): HTMLElement {
    return h("span", null, t("calendarLegend"));
  }
  const refresh = async (): Promise<void> => {
    try {
      const list = await get<{ items: S["MeetingSummary"][] }>(`/v1/meetings${query({ from, to, limit: 1000 })}`);
      const items = [...list.items].sort((a, b) => a.scheduled_for.localeCompare(b.scheduled_for));
      const months = new Map<string, S["MeetingSummary"][]>();
      for (const m of items) {
        const k = (m.held_on ?? m.scheduled_for).slice(0, 7);
        months.set(k, [...(months.get(k) ?? []), m]);
      }
      const lang = document.documentElement.lang;
      keyed(body, items, () =>
        items.length === 0
          ? h("p", { class: "empty" }, t("noRows"))
          : h(
              "div",
              { class: "calendar" },
              [...months.entries()].sort().map(([ym, ms]) =>
                h(
                  "section",
                  { class: "month", "aria-labelledby": `m-${ym}` },
                  h("h2", { id: `m-${ym}` }, monthName(ym, lang)),
                  h(
                    "ul",
                    null,
                    ms.map((m) =>
                      h(
                        "li",
                        { class: m.joint_with.length ? "meeting is-joint" : "meeting" },
                        h("a", { href: `#/meetings/${m.meeting_id}` }, date(m.held_on ?? m.scheduled_for), " – ", app.networkName(m.network)),
                        " ",
                        meetingStatus(m),
                        " ",
                        h("span", { class: "where" }, `${app.taxLabel("meeting_formats", m.format)}, ${m.location}`),
                        jointMark(app, m, m.network) ? h("div", null, jointMark(app, m, m.network)) : null,
                      ),
                    ),
                  ),
                ),
              ),
            ),
      );
    } catch (err) {
      body.replaceChildren(problemBox(err));
    }
  };
  await refresh();
  return refresh;
};
