// Screen 5 (auditor, admin): a network's history with actors and both times,
// the personal-data access log, hash-chain verification with the latest
// signed checkpoint, and the NDJSON export.
import { download, get, query, type S } from "../api";
import type { Screen } from "../app";
import { h } from "../dom";
import { instant, label, num, t } from "../i18n";
import { badge, keyed, pageTitle, problemBox, saveBlob, table } from "../ui";
import { historyTable } from "./network";

interface Access {
  at: string;
  token_name: string;
  route: string;
  network: string | null;
  records: number;
}

export const audit: Screen = async (app, main) => {
  let network = app.networks[0]?.id ?? "";
  const history = h("div");
  const access = h("div");
  const chain = h("div", { "aria-live": "polite" });
  const picker = h(
    "form",
    { class: "filters", "aria-label": t("filters") },
    h("div", { class: "field" }, h("label", { for: "au-net" }, t("network")), h("select", { id: "au-net" }, app.networks.map((n) => h("option", { value: n.id, selected: n.id === network }, label(n.name, n.id))))),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("show"))),
  );
  picker.addEventListener("submit", (e) => {
    e.preventDefault();
    network = (picker.querySelector("#au-net") as HTMLSelectElement).value;
    void loadHistory();
  });
  const verify = async (): Promise<void> => {
    chain.replaceChildren(h("p", { role: "status" }, t("verifying")));
    try {
      const [v, cp] = await Promise.all([
        get<S["Verification"]>("/v1/audit/verify"),
        get<S["Checkpoint"]>("/v1/audit/checkpoints/latest").catch(() => null),
      ]);
      chain.replaceChildren(
        h("p", { class: v.ok ? "ok" : "problem" }, v.ok ? badge(`✓ ${t("chainOk")}`, "held") : badge(`✕ ${t("chainBroken")}`, "cancelled"), " ", t("eventsChecked", { n: v.events_checked })),
        h(
          "dl",
          { class: "facts" },
          h("dt", null, t("headPosition")),
          h("dd", null, num(v.head_position ?? v.first_bad_position ?? 0)),
          h("dt", null, t("headHash")),
          h("dd", null, h("code", { class: "hash" }, v.head_hash ?? v.detail ?? "–")),
        ),
        h("h3", null, t("latestCheckpoint")),
        cp
          ? h(
              "dl",
              { class: "facts" },
              h("dt", null, t("position")),
              h("dd", null, num(cp.position)),
              h("dt", null, t("signedAt")),
              h("dd", null, instant(cp.signed_at)),
              h("dt", null, t("keyId")),
              h("dd", null, h("code", null, cp.key_id)),
              h("dt", null, t("hash")),
              h("dd", null, h("code", { class: "hash" }, cp.hash)),
              h("dt", null, t("signature")),
              h("dd", null, h("code", { class: "hash" }, cp.signature)),
            )
          : h("p", null, t("noCheckpoint")),
      );
    } catch (err) {
      chain.replaceChildren(problemBox(err));
    }
  };
  const exportLog = async (): Promise<void> => {
    try {
      saveBlob(await download("/v1/audit/export", "application/x-ndjson"), "ikv-audit-export.ndjson");
    } catch (err) {
      chain.replaceChildren(problemBox(err));
    }
  };
  main.replaceChildren(
    pageTitle(t("auditTitle")),
    h(
      "section",
      { "aria-labelledby": "chain-h", class: "panel" },
      h("h2", { id: "chain-h" }, t("chainTitle")),
      h("div", { class: "actions" }, h("button", { type: "button", onclick: () => void verify() }, t("verifyChain")), h("button", { type: "button", class: "secondary", onclick: () => void exportLog() }, t("exportNdjson"))),
      h("p", { class: "hint" }, t("exportHint"), " ", h("a", { href: "/v1/audit/public-key" }, t("publicKey"))),
      chain,
    ),
    h("section", { "aria-labelledby": "hist-h", class: "panel" }, h("h2", { id: "hist-h" }, t("networkHistory")), picker, history),
    h("section", { "aria-labelledby": "acc-h", class: "panel" }, h("h2", { id: "acc-h" }, t("accessLog")), h("p", { class: "hint" }, t("accessLogHint")), access),
  );
  const loadHistory = async (): Promise<void> => {
    try {
      const list = await get<{ items: S["Event"][] }>(`/v1/networks/${encodeURIComponent(network)}/history?limit=1000`);
      keyed(history, [network, list.items.length], () => historyTable(app, [...list.items].reverse(), `${t("networkHistory")}: ${app.networkName(network)}`));
    } catch (err) {
      history.replaceChildren(problemBox(err));
    }
  };
  const loadAccess = async (): Promise<void> => {
    try {
      const list = await get<{ items: Access[] }>(`/v1/audit/access${query({ limit: 50 })}`);
      keyed(access, list.items, () =>
        table(t("accessLog"), [
          { head: t("at"), cell: (a: Access) => instant(a.at) },
          { head: t("token"), cell: (a) => a.token_name },
          { head: t("route"), cell: (a) => h("code", null, a.route) },
          { head: t("network"), cell: (a) => app.networkName(a.network) },
          { head: t("records"), cell: (a) => num(a.records), num: true },
        ], list.items),
      );
    } catch (err) {
      access.replaceChildren(problemBox(err));
    }
  };
  await Promise.all([verify(), loadHistory(), loadAccess()]);
  return async () => {
    await Promise.all([loadHistory(), loadAccess()]);
  };
};
