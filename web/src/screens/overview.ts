// Screen 1: the networks at a glance (names in the chosen language, seat,
// steward, members, last and next meeting), refreshed live.
import { get, type S } from "../api";
import type { Screen } from "../app";
import { h } from "../dom";
import { date, label, num, steward, t } from "../i18n";
import { keyed, pageTitle, problemBox, table } from "../ui";

export const overview: Screen = async (app, main) => {
  const body = h("div");
  main.replaceChildren(pageTitle(t("overviewTitle"), h("p", { class: "lead" }, t("overviewLead"))), body);
  const show = (items: S["NetworkSummary"][]): void =>
    keyed(body, items, () =>
        h(
          "div",
          null,
          h(
            "ul",
            { class: "cards" },
            items.map((n) =>
              h(
                "li",
                { class: "card" },
                h("h2", null, h("a", { href: `#/networks/${n.id}` }, label(n.name, n.id))),
                h(
                  "dl",
                  null,
                  h("dt", null, t("seat")),
                  h("dd", null, n.seat),
                  h("dt", null, t("steward")),
                  h("dd", null, steward(n.steward)),
                  h("dt", null, t("members")),
                  h("dd", { class: "member-count" }, num(n.member_count)),
                  h("dt", null, t("lastMeeting")),
                  h("dd", null, n.last_meeting ? `${date(n.last_meeting.held_on)} (${app.taxLabel("meeting_formats", n.last_meeting.format)})` : t("none")),
                  h("dt", null, t("nextMeeting")),
                  h("dd", null, n.next_meeting ? h("a", { href: `#/meetings/${n.next_meeting.meeting_id}` }, date(n.next_meeting.scheduled_for)) : t("none")),
                ),
              ),
            ),
          ),
          h(
            "details",
            { class: "alt-table" },
            h("summary", null, t("showAsTable")),
            table(t("overviewTitle"), [
              { head: t("network"), cell: (n: S["NetworkSummary"]) => label(n.name, n.id) },
              { head: t("seat"), cell: (n) => n.seat },
              { head: t("steward"), cell: (n) => steward(n.steward) },
              { head: t("members"), cell: (n) => num(n.member_count), num: true },
              { head: t("lastMeeting"), cell: (n) => date(n.last_meeting?.held_on) },
              { head: t("nextMeeting"), cell: (n) => date(n.next_meeting?.scheduled_for) },
            ], items),
          ),
        ),
      );
  const refresh = async (): Promise<void> => {
    try {
      const list = await get<{ items: S["NetworkSummary"][] }>("/v1/networks?limit=1000");
      app.networks = list.items;
      show(list.items);
    } catch (err) {
      body.replaceChildren(problemBox(err));
    }
  };
  // The list fetched at sign-in is shown at once; a later visit fetches it anew.
  if (app.networks.length > 0 && !app.overviewShown) {
    app.overviewShown = true;
    show(app.networks);
  } else {
    await refresh();
  }
  return refresh;
};
