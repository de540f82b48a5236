// One meeting: its details and history, and for admins and the organising
// network's coordinators the forms to move, cancel or record it as held.
// Every form sends If-Match with the meeting version it was opened on.
import { call, get, type S } from "../api";
import type { Screen } from "../app";
import { h } from "../dom";
import { compact, form, type Values } from "../forms";
import { date, label, num, t } from "../i18n";
import { keyed, pageTitle, problemBox } from "../ui";
import { historyTable, jointMark, meetingStatus } from "./network";

export const meeting: Screen = async (app, main, params) => {
  const mid = params[0];
  const details = h("div");
  const formsBox = h("div", { class: "form-grid" });
  const history = h("div");
  let m: S["Meeting"];
  const load = async (): Promise<S["Meeting"]> => get<S["Meeting"]>(`/v1/meetings/${encodeURIComponent(mid)}`);
  try {
    m = await load();
  } catch (err) {
    main.replaceChildren(pageTitle(t("meeting")), problemBox(err));
    return;
  }
  let version = m.version;
  const show = (x: S["Meeting"]): void => {
    keyed(details, x, () =>
      h(
        "dl",
        { class: "facts" },
        h("dt", null, t("network")),
        h("dd", null, h("a", { href: `#/networks/${x.network}/meetings` }, app.networkName(x.network))),
        h("dt", null, t("status")),
        h("dd", { id: "meeting-status" }, meetingStatus(x)),
        h("dt", null, t("date")),
        h("dd", null, date(x.scheduled_for)),
        x.held_on ? [h("dt", null, t("heldOn")), h("dd", null, date(x.held_on))] : null,
        h("dt", null, t("format")),
        h("dd", null, app.taxLabel("meeting_formats", x.format)),
        h("dt", null, t("location")),
        h("dd", null, x.location),
        x.joint_with.length ? [h("dt", null, t("jointWith")), h("dd", null, jointMark(app, x))] : null,
        x.agenda.length ? [h("dt", null, t("agenda")), h("dd", null, h("ul", null, x.agenda.map((a) => h("li", null, a))))] : null,
        x.attendee_count !== null ? [h("dt", null, t("attendees")), h("dd", null, num(x.attendee_count))] : null,
        x.themes.length ? [h("dt", null, t("themes")), h("dd", null, x.themes.map((c) => app.taxLabel("themes", c)).join(", "))] : null,
        x.notes ? [h("dt", null, t("notes")), h("dd", null, x.notes)] : null,
        x.cancel_reason ? [h("dt", null, t("cancelReason")), h("dd", null, x.cancel_reason)] : null,
      ),
    );
    if (app.isAuditor()) keyed(history, x.history.length, () => [h("h2", null, t("tab_history")), historyTable(app, x.history, t("tab_history"))]);
  };
  show(m);

  const post = async (action: string, body: Record<string, unknown>): Promise<void> => {
    const res = await call<S["CommandResult"]>("POST", `/v1/meetings/${mid}/${action}`, { body, ifMatch: version });
    version = res.data.version;
    m = await load();
    show(m);
  };
  const themes = app.taxonomy.themes.map((e) => ({ value: e.code, text: label(e.labels, e.code) }));
  const formats = app.taxonomy.meeting_formats.map((e) => ({ value: e.code, text: label(e.labels, e.code) }));
  const mayChange = app.mayCommand(m.network);
  if (mayChange && m.status === "scheduled") {
    formsBox.append(
      form({
        title: t("formRecordHeld"),
        submit: t("recordHeld"),
        fields: [
          { name: "held_on", label: t("heldOn"), kind: "date", required: true, value: m.scheduled_for },
          { name: "attendee_count", label: t("attendeeCount"), kind: "number", required: true, min: 0 },
          { name: "themes", label: t("themes"), kind: "checks", options: themes },
          { name: "notes", label: t("notes"), kind: "textarea" },
          // The format it was held in; required when it was planned without one.
          { name: "format", label: t("format"), kind: "select", options: formats, value: m.format ?? undefined, required: !m.format },
        ],
        send: async (v: Values) => {
          await post("record", compact(v, ["attendee_count"]));
          return t("meetingRecorded");
        },
      }),
      form({
        title: t("formReschedule"),
        submit: t("reschedule"),
        fields: [
          { name: "scheduled_for", label: t("date"), kind: "date", required: true, value: m.scheduled_for },
          { name: "format", label: t("format"), kind: "select", options: formats, value: m.format ?? undefined },
          { name: "location", label: t("location"), value: m.location },
        ],
        send: async (v: Values) => {
          await post("reschedule", compact(v));
          return t("meetingRescheduled");
        },
      }),
      form({
        title: t("formCancel"),
        submit: t("cancelMeeting"),
        fields: [{ name: "reason", label: t("cancelReason"), kind: "textarea" }],
        send: async (v: Values) => {
          await post("cancel", compact(v));
          return t("meetingCancelled");
        },
      }),
    );
  }
  main.replaceChildren(
    pageTitle(`${t("meeting")}: ${app.networkName(m.network)}, ${date(m.scheduled_for)}`),
    details,
    formsBox,
    history,
  );
  return async () => {
    try {
      show(await load());
    } catch (err) {
      details.replaceChildren(problemBox(err));
    }
  };
};
