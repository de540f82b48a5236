// Screen 2: one network. Tabs: roster (paged with the API's cursor; personal
// fields as the API shows them to this token), meetings, observations,
// training, wishes and goals, join requests (admin, coordinator of the network: approve or
// decline) and history (auditor, admin). Links to the forms where the token
// may change the network.
import { call, get, query, type S } from "../api";
import type { App, Screen } from "../app";
import { h } from "../dom";
import { date, instant, label, num, steward, t, type Key } from "../i18n";
import { badge, keyed, loading, pageTitle, problemBox, table, tabs } from "../ui";

type Tab = "roster" | "meetings" | "observations" | "training" | "wishes" | "join_requests" | "history";
const PAGE = 20;

export function meetingStatus(m: { status: string }): HTMLElement {
  const key = m.status === "held" ? "statusHeld" : m.status === "cancelled" ? "statusCancelled" : "statusScheduled";
  const mark = m.status === "held" ? "✓ " : m.status === "cancelled" ? "✕ " : "◷ ";
  return badge(mark + t(key), m.status);
}

export function jointMark(app: App, m: S["MeetingSummary"], self?: string): HTMLElement | null {
  const others = [m.network, ...m.joint_with].filter((n) => n !== self);
  if (m.joint_with.length === 0) return null;
  return h("span", { class: "joint" }, badge(`⇄ ${t("joint")}`, "joint"), " ", others.map((n) => app.networkName(n)).join(", "));
}

function effectiveDate(e: S["Event"]): string {
  const p = e.payload as Record<string, unknown>;
  for (const k of ["joined_on", "left_on", "scheduled_for", "held_on", "observed_on", "requested_on", "delivered_on", "effective_on", "established_on"]) {
    if (typeof p[k] === "string") return date(p[k] as string);
  }
  return "–";
}

export function historyTable(app: App, items: S["Event"][], caption: string): HTMLElement {
  return table(caption, [
    { head: t("position"), cell: (e: S["Event"]) => num(e.position), num: true },
    { head: t("eventType"), cell: (e) => h("code", null, e.type) },
    { head: t("actor"), cell: (e) => e.actor },
    { head: t("effectiveOn"), cell: (e) => effectiveDate(e) },
    { head: t("recordedAt"), cell: (e) => instant(e.recorded_at) },
    { head: t("stream"), cell: (e) => h("code", null, e.stream) },
  ], items);
  void app;
}

function requestText(requests: S["TrainingRequest"][], requestId: string | null): string {
  if (!requestId) return "–";
  const r = requests.find((x) => x.request_id === requestId);
  return r ? date(r.requested_on) : requestId;
}

function personal(v: string | null, erased: boolean): HTMLElement | string {
  if (erased) return h("em", null, t("erased"));
  if (v === null) return h("span", { class: "hidden-field" }, t("hiddenField"));
  return v;
}

export const network: Screen = async (app, main, params) => {
  const id = params[0];
  const tab = (params[1] as Tab) || "roster";
  const tabList: Tab[] = ["roster", "meetings", "observations", "training", "wishes"];
  if (app.mayCommand(id)) tabList.push("join_requests");
  if (app.isAuditor()) tabList.push("history");
  const head = h("div");
  const body = h("div", { class: "tab-body" }, loading());
  main.replaceChildren(head, body);
  let net: S["Network"];
  try {
    net = await get<S["Network"]>(`/v1/networks/${encodeURIComponent(id)}`);
  } catch (err) {
    main.replaceChildren(pageTitle(id), problemBox(err));
    return;
  }
  const actions = app.mayCommand(id)
    ? h(
        "ul",
        { class: "action-links" },
        h("li", null, h("a", { href: `#/networks/${id}/forms/member`, class: "button-link" }, t("formAddMember"))),
        h("li", null, h("a", { href: `#/networks/${id}/forms/meeting`, class: "button-link" }, t("formSchedule"))),
        h("li", null, h("a", { href: `#/networks/${id}/forms/observation`, class: "button-link" }, t("formObservation"))),
        h("li", null, h("a", { href: `#/networks/${id}/forms/training`, class: "button-link" }, t("formTraining"))),
        h("li", null, h("a", { href: `#/networks/${id}/forms/wish`, class: "button-link" }, t("formWish"))),
      )
    : null;
  head.replaceChildren(
    pageTitle(label(net.name, id), h("p", { class: "lead" }, `${net.region} · ${t("seat")}: ${net.seat} · ${t("steward")}: ${steward(net.steward)}`)),
    actions ?? "",
    tabs(tabList.map((x) => ({ href: `#/networks/${id}/${x}`, text: t(`tab_${x}` as Key), current: x === tab })), t("networkSections")),
  );

  let cursors: Array<string | null> = [null];
  let pageIndex = 0;

  const renderRoster = async (): Promise<void> => {
    const cursor = cursors[pageIndex];
    const page = await get<{ items: S["Member"][]; next_cursor: string | null }>(
      `/v1/networks/${encodeURIComponent(id)}/members${query({ limit: PAGE, cursor })}`,
    );
    keyed(body, [page, pageIndex], () => {
      const pager = h(
        "nav",
        { class: "pager", "aria-label": t("rosterPages") },
        h("button", { type: "button", class: "secondary", disabled: pageIndex === 0, onclick: () => { pageIndex -= 1; void renderRoster(); } }, `← ${t("previousPage")}`),
        h("span", { "aria-live": "polite" }, t("pageN", { n: pageIndex + 1 })),
        h("button", { type: "button", class: "secondary", disabled: page.next_cursor === null, onclick: () => { cursors = cursors.slice(0, pageIndex + 1); cursors.push(page.next_cursor); pageIndex += 1; void renderRoster(); } }, `${t("nextPage")} →`),
      );
      return h(
        "section",
        { "aria-labelledby": "roster-h" },
        h("h2", { id: "roster-h" }, t("tab_roster"), ` (${num(net.member_count)})`),
        app.seesPersonal(id) ? null : h("p", { class: "note" }, t("personalHidden")),
        table(t("tab_roster"), [
          { head: t("name"), cell: (m: S["Member"]) => personal(m.name, m.erased) },
          { head: t("email"), cell: (m) => personal(m.email, m.erased) },
          { head: t("phone"), cell: (m) => (m.phone === null && !m.erased && app.seesPersonal(id) ? "–" : personal(m.phone, m.erased)) },
          { head: t("organisation"), cell: (m) => m.organisation },
          { head: t("sector"), cell: (m) => app.taxLabel("sectors", m.sector) },
          { head: t("title"), cell: (m) => m.title ?? "–" },
          { head: t("joinedOn"), cell: (m) => date(m.joined_on) },
        ], page.items),
        pager,
      );
    });
  };

  const renderMeetings = async (): Promise<void> => {
    const list = await get<{ items: S["MeetingSummary"][] }>(`/v1/meetings${query({ network: id, limit: 1000 })}`);
    const items = [...list.items].sort((a, b) => b.scheduled_for.localeCompare(a.scheduled_for));
    keyed(body, items, () =>
      h("section", null, h("h2", null, t("tab_meetings")),
        table(t("tab_meetings"), [
          { head: t("date"), cell: (m: S["MeetingSummary"]) => h("a", { href: `#/meetings/${m.meeting_id}` }, date(m.held_on ?? m.scheduled_for)) },
          { head: t("status"), cell: (m) => meetingStatus(m) },
          { head: t("format"), cell: (m) => app.taxLabel("meeting_formats", m.format) },
          { head: t("location"), cell: (m) => m.location },
          { head: t("jointWith"), cell: (m) => jointMark(app, m, id) ?? "–" },
          { head: t("attendees"), cell: (m) => num(m.attendee_count), num: true },
        ], items)),
    );
  };

  const renderObservations = async (): Promise<void> => {
    const list = await get<{ items: S["Observation"][] }>(`/v1/networks/${encodeURIComponent(id)}/observations?limit=1000`);
    const items = [...list.items].sort((a, b) => b.observed_on.localeCompare(a.observed_on));
    keyed(body, items, () =>
      h("section", null, h("h2", null, t("tab_observations")),
        table(t("tab_observations"), [
          { head: t("observedOn"), cell: (o: S["Observation"]) => date(o.observed_on) },
          { head: t("theme"), cell: (o) => app.taxLabel("themes", o.theme) },
          { head: t("targetGroups"), cell: (o) => o.target_groups.map((g) => app.taxLabel("target_groups", g)).join(", ") || "–" },
          { head: t("summary"), cell: (o) => o.summary ?? "–" },
        ], items)),
    );
  };

  const renderTraining = async (): Promise<void> => {
    const n = await get<S["Network"]>(`/v1/networks/${encodeURIComponent(id)}`);
    keyed(body, n.training, () =>
      h("section", null, h("h2", null, t("tab_training")),
        h("p", null, t("trainingSummary", { requested: n.training.requested, delivered: n.training.delivered, participants: n.training.participants })),
        h("h3", null, t("trainingRequested")),
        table(t("trainingRequested"), [
          { head: t("requestedOn"), cell: (r: S["TrainingRequest"]) => date(r.requested_on) },
          { head: t("topic"), cell: (r) => app.taxLabel("training_topics", r.topic) },
          { head: t("notes"), cell: (r) => r.notes ?? "–" },
          {
            head: t("status"),
            cell: (r) => (n.training.deliveries.some((d) => d.request_id === r.request_id) ? badge(`✓ ${t("requestDelivered")}`, "held") : badge(`◷ ${t("requestOpen")}`, "scheduled")),
          },
        ], n.training.requests),
        h("h3", null, t("trainingDelivered")),
        table(t("trainingDelivered"), [
          { head: t("deliveredOn"), cell: (r: S["TrainingDelivery"]) => date(r.delivered_on) },
          { head: t("topic"), cell: (r) => app.taxLabel("training_topics", r.topic) },
          { head: t("participants"), cell: (r) => num(r.participants), num: true },
          { head: t("answersRequest"), cell: (r) => requestText(n.training.requests, r.request_id) },
        ], n.training.deliveries)),
    );
  };

  const renderWishes = async (): Promise<void> => {
    const list = await get<S["WishList"]>(`/v1/networks/${encodeURIComponent(id)}/wishes?limit=200`);
    const items = [...(list.items ?? [])].reverse();
    keyed(body, items, () =>
      h("section", null, h("h2", null, t("tab_wishes")),
        table(t("tab_wishes"), [
          { head: t("recordedOn"), cell: (w: S["Wish"]) => date(w.recorded_on) },
          { head: t("wishKind"), cell: (w) => t(`wish_${w.kind}` as Key) },
          { head: t("wishText"), cell: (w) => w.text },
          { head: t("format"), cell: (w) => (w.format ? app.taxLabel("meeting_formats", w.format) : "–") },
        ], items)),
    );
  };

  // Pending requests first; approving lets the requester in as a member
  // (joined today), declining erases the request's personal data.
  const renderJoinRequests = async (): Promise<void> => {
    const list = await get<S["JoinRequestList"]>(`/v1/networks/${encodeURIComponent(id)}/join-requests?limit=200`);
    const items = [...(list.items ?? [])].sort((a, b) => Number(b.status === "pending") - Number(a.status === "pending") || b.requested_at.localeCompare(a.requested_at));
    const status = h("div", { class: "form-status", "aria-live": "polite" });
    const answer = async (r: S["JoinRequest"], how: "approve" | "decline", reason?: string): Promise<void> => {
      status.replaceChildren(h("p", { role: "status" }, t("sending")));
      try {
        await call("POST", `/v1/join-requests/${encodeURIComponent(r.id)}/${how}`, { body: reason ? { reason } : {} });
        status.replaceChildren(h("p", { class: "ok", role: "status" }, "✓ ", t(how === "approve" ? "joinApproved" : "joinDeclined", { name: r.name ?? r.organisation })));
        await renderJoinRequests();
      } catch (err) {
        status.replaceChildren(problemBox(err));
        (status.firstElementChild as HTMLElement | null)?.focus();
      }
    };
    const actions = (r: S["JoinRequest"]): HTMLElement | string => {
      if (r.status !== "pending") return "–";
      const reasonId = `decline-reason-${r.id}`;
      const reason = h("input", { id: reasonId, type: "text", maxlength: 500 });
      return h(
        "div",
        { class: "row-actions" },
        h("button", { type: "button", onclick: () => void answer(r, "approve") }, t("approve")),
        h("label", { for: reasonId, class: "inline-label" }, t("declineReason")),
        reason,
        h("button", { type: "button", class: "secondary", onclick: () => void answer(r, "decline", reason.value.trim()) }, t("decline")),
      );
    };
    keyed(body, items, () =>
      h("section", { "aria-labelledby": "join-h" },
        h("h2", { id: "join-h" }, t("tab_join_requests")),
        h("p", { class: "note" }, t("joinRequestsHint")),
        status,
        table(t("tab_join_requests"), [
          { head: t("receivedAt"), cell: (r: S["JoinRequest"]) => instant(r.requested_at) },
          { head: t("status"), cell: (r) => badge(t(`join_${r.status}` as Key), r.status === "pending" ? "scheduled" : r.status === "approved" ? "held" : "cancelled") },
          { head: t("name"), cell: (r) => personal(r.name, r.erased) },
          { head: t("email"), cell: (r) => personal(r.email, r.erased) },
          { head: t("organisation"), cell: (r) => r.organisation },
          { head: t("sector"), cell: (r) => app.taxLabel("sectors", r.sector) },
          { head: t("message"), cell: (r) => (r.erased ? "–" : r.message ?? "–") },
          { head: t("actions"), cell: (r) => actions(r) },
        ], items)),
    );
  };

  const renderHistory = async (): Promise<void> => {
    const list = await get<{ items: S["Event"][] }>(`/v1/networks/${encodeURIComponent(id)}/history?limit=1000`);
    keyed(body, list.items.length, () => h("section", null, h("h2", null, t("tab_history")), historyTable(app, [...list.items].reverse(), t("tab_history"))));
  };

  const render = { roster: renderRoster, meetings: renderMeetings, observations: renderObservations, training: renderTraining, wishes: renderWishes, join_requests: renderJoinRequests, history: renderHistory }[tab] ?? renderRoster;
  const refresh = async (): Promise<void> => {
    try {
      await render();
    } catch (err) {
      body.replaceChildren(problemBox(err));
    }
  };
  await refresh();
  return refresh;
};
