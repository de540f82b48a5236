// The forms of a network for admins and its coordinators: add a member,
// schedule a meeting, record an observation, log training (asked or given,
// a training given naming the open request it answers), record a wish or goal.
// Each sends If-Match with the network version the form was opened on, so a
// change made meanwhile is a 412 that is explained, not overwritten.
import { call, get, type S } from "../api";
import type { Screen } from "../app";
import { h } from "../dom";
import { compact, form, type Values } from "../forms";
import { date, label, t } from "../i18n";
import { pageTitle, problemBox } from "../ui";

const today = (): string => new Date().toISOString().slice(0, 10);

export const networkForms: Screen = async (app, main, params) => {
  const [id, which] = params;
  let net: S["Network"];
  try {
    net = await get<S["Network"]>(`/v1/networks/${encodeURIComponent(id)}`);
  } catch (err) {
    main.replaceChildren(pageTitle(id), problemBox(err));
    return;
  }
  let version = net.version;
  const name = label(net.name, id);
  const outside = app.mayCommand(id) ? null : h("p", { class: "note", role: "note" }, t("notYourNetwork"));
  const back = h("p", null, h("a", { href: `#/networks/${id}` }, `← ${name}`));
  const sectors = app.taxonomy.sectors.map((e) => ({ value: e.code, text: label(e.labels, e.code) }));
  const themes = app.taxonomy.themes.map((e) => ({ value: e.code, text: label(e.labels, e.code) }));
  const topics = app.taxonomy.training_topics.map((e) => ({ value: e.code, text: label(e.labels, e.code) }));
  const delivered = new Set(net.training.deliveries.map((d) => d.request_id));
  const openRequests = net.training.requests
    .filter((r) => !delivered.has(r.request_id))
    .map((r) => ({ value: r.request_id, text: `${date(r.requested_on)}: ${app.taxLabel("training_topics", r.topic)}` }));
  const formats = app.taxonomy.meeting_formats.map((e) => ({ value: e.code, text: label(e.labels, e.code) }));
  const others = app.networks.filter((n) => n.id !== id).map((n) => ({ value: n.id, text: label(n.name, n.id) }));

  const post = async (path: string, body: Record<string, unknown>): Promise<S["CommandResult"]> => {
    const res = await call<S["CommandResult"]>("POST", path, { body, ifMatch: version });
    version = res.data.version;
    return res.data;
  };

  let content: HTMLElement;
  let title: string;
  switch (which) {
    case "member":
      title = t("formAddMember");
      content = form({
        title: t("formAddMember"),
        submit: t("add"),
        fields: [
          { name: "name", label: t("name"), required: true },
          { name: "email", label: t("email"), kind: "email", required: true },
          { name: "phone", label: t("phone"), kind: "tel" },
          { name: "organisation", label: t("organisation"), required: true },
          { name: "sector", label: t("sector"), kind: "select", required: true, options: sectors },
          { name: "title", label: t("title") },
          { name: "joined_on", label: t("joinedOn"), kind: "date", required: true, value: today() },
        ],
        send: async (v: Values) => {
          await post(`/v1/networks/${id}/members`, compact(v));
          return t("memberAdded", { name: String(v.name) });
        },
      });
      break;
    case "meeting":
      title = t("formSchedule");
      content = form({
        title: t("formSchedule"),
        submit: t("schedule"),
        fields: [
          { name: "scheduled_for", label: t("date"), kind: "date", required: true },
          { name: "format", label: t("format"), kind: "select", options: formats, hint: t("formatUnknownHint") },
          { name: "location", label: t("location"), required: true },
          { name: "agenda", label: t("agenda"), kind: "textarea", hint: t("agendaHint") },
          { name: "joint_with", label: t("jointWith"), kind: "checks", options: others },
        ],
        send: async (v: Values) => {
          const body = compact(v);
          if (typeof body.agenda === "string") body.agenda = body.agenda.split("\n").map((s) => s.trim()).filter(Boolean);
          await post(`/v1/networks/${id}/meetings`, body);
          return t("meetingScheduled");
        },
      });
      break;
    case "observation":
      title = t("formObservation");
      content = form({
        title: t("formObservation"),
        submit: t("record"),
        fields: [
          { name: "theme", label: t("theme"), kind: "select", required: true, options: themes },
          { name: "observed_on", label: t("observedOn"), kind: "date", required: true, value: today() },
          { name: "target_groups", label: t("targetGroups"), hint: t("commaHint") },
          { name: "summary", label: t("summary"), kind: "textarea" },
        ],
        send: async (v: Values) => {
          const body = compact(v);
          if (typeof body.target_groups === "string") body.target_groups = body.target_groups.split(",").map((s) => s.trim()).filter(Boolean);
          await post(`/v1/networks/${id}/observations`, body);
          return t("observationRecorded");
        },
      });
      break;
    case "wish":
      title = t("formWish");
      content = form({
        title: t("formWish"),
        submit: t("record"),
        fields: [
          { name: "kind", label: t("wishKind"), kind: "select", required: true, options: (["joint_meeting", "meeting_format", "training", "other"] as const).map((k) => ({ value: k, text: t(`wish_${k}`) })) },
          { name: "text", label: t("wishText"), kind: "textarea", required: true },
          { name: "recorded_on", label: t("recordedOn"), kind: "date", required: true, value: today() },
          { name: "format", label: t("format"), kind: "select", options: formats, hint: t("wishFormatHint") },
        ],
        send: async (v: Values) => {
          await post(`/v1/networks/${id}/wishes`, compact(v));
          return t("wishRecorded");
        },
      });
      break;
    default:
      title = t("formTraining");
      content = h(
        "div",
        { class: "form-pair" },
        form({
          title: t("trainingRequestForm"),
          submit: t("record"),
          fields: [
            { name: "topic", label: t("topic"), kind: "select", required: true, options: topics },
            { name: "requested_on", label: t("requestedOn"), kind: "date", required: true, value: today() },
            { name: "notes", label: t("notes"), kind: "textarea" },
          ],
          send: async (v: Values) => {
            await post(`/v1/networks/${id}/training-requests`, compact(v));
            return t("trainingRequestRecorded");
          },
        }),
        form({
          title: t("trainingDeliveredForm"),
          submit: t("record"),
          fields: [
            { name: "topic", label: t("topic"), kind: "select", required: true, options: topics },
            { name: "delivered_on", label: t("deliveredOn"), kind: "date", required: true, value: today() },
            { name: "participants", label: t("participants"), kind: "number", required: true, min: 0 },
            { name: "request_id", label: t("answersRequest"), kind: "select", options: openRequests },
          ],
          send: async (v: Values) => {
            await post(`/v1/networks/${id}/trainings`, compact(v, ["participants"]));
            return t("trainingDeliveredRecorded");
          },
        }),
      );
  }
  main.replaceChildren(pageTitle(`${title}: ${name}`), back, outside ?? "", content);
};
