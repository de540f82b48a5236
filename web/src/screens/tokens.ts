// Screen 6 (admin): tokens. Issue one (the secret is shown once), revoke,
// rotate (offered only when the server has POST /v1/tokens/{id}/rotate).
import { call, get, routeExists, type S } from "../api";
import type { Screen } from "../app";
import { h } from "../dom";
import { compact, form, type Values } from "../forms";
import { instant, label, t } from "../i18n";
import { badge, keyed, pageTitle, problemBox, table } from "../ui";

export const tokens: Screen = async (app, main) => {
  const list = h("div");
  const secretBox = h("div", { "aria-live": "polite" });
  const canRotate = await routeExists("/v1/tokens/probe/rotate").catch(() => false);
  const showSecret = (name: string, secret: string): void => {
    const box = h(
      "div",
      { class: "secret", role: "alert", tabindex: "-1" },
      h("p", null, h("strong", null, t("secretOnce", { name }))),
      h("p", null, h("code", { class: "hash", id: "new-secret" }, secret)),
      h("button", { type: "button", class: "secondary", onclick: () => void navigator.clipboard?.writeText(secret) }, t("copy")),
    );
    secretBox.replaceChildren(box);
    box.focus();
  };
  const roles = ["admin", "coordinator", "analyst", "auditor"].map((r) => ({ value: r, text: t(`role_${r}` as "role_admin") }));
  const issue = form({
    title: t("issueToken"),
    submit: t("issue"),
    fields: [
      { name: "name", label: t("tokenName"), required: true },
      { name: "role", label: t("role"), kind: "select", required: true, options: roles },
      { name: "networks", label: t("tokenNetworks"), kind: "checks", hint: t("tokenNetworksHint"), options: app.networks.map((n) => ({ value: n.id, text: label(n.name, n.id) })) },
    ],
    send: async (v: Values) => {
      const res = await call<S["TokenIssuedResult"] & { token: string }>("POST", "/v1/tokens", { body: compact(v) });
      showSecret(String(v.name), res.data.token);
      await refresh();
      return t("tokenIssued", { name: String(v.name) });
    },
  });
  const act = async (tok: S["Token"], action: "revoke" | "rotate"): Promise<void> => {
    if (!window.confirm(t(action === "revoke" ? "confirmRevoke" : "confirmRotate", { name: tok.name }))) return;
    try {
      if (action === "revoke") {
        await call("DELETE", `/v1/tokens/${encodeURIComponent(tok.id)}`);
        secretBox.replaceChildren(h("p", { role: "status" }, t("tokenRevoked", { name: tok.name })));
      } else {
        const res = await call<{ id: string; token: string }>("POST", `/v1/tokens/${encodeURIComponent(tok.id)}/rotate`, { body: {} });
        showSecret(tok.name, res.data.token);
      }
      await refresh();
    } catch (err) {
      secretBox.replaceChildren(problemBox(err));
    }
  };
  main.replaceChildren(pageTitle(t("tokensTitle")), secretBox, h("div", { class: "form-grid" }, issue), h("section", { "aria-labelledby": "tok-h" }, h("h2", { id: "tok-h" }, t("tokenList")), list));
  const refresh = async (): Promise<void> => {
    try {
      const page = await get<{ items: S["Token"][] }>("/v1/tokens?limit=1000");
      keyed(list, page.items, () =>
        table(t("tokenList"), [
          { head: t("tokenName"), cell: (k: S["Token"]) => k.name },
          { head: t("role"), cell: (k) => t(`role_${k.role}` as "role_admin") },
          { head: t("tokenNetworks"), cell: (k) => (k.networks.length ? k.networks.map((n) => app.networkName(n)).join(", ") : t("allNetworks")) },
          { head: t("issuedAt"), cell: (k) => instant(k.issued_at) },
          { head: t("status"), cell: (k) => (k.revoked ? badge(`✕ ${t("revoked")} ${instant(k.revoked_at)}`, "cancelled") : badge(`✓ ${t("active")}`, "held")) },
          {
            head: t("actions"),
            cell: (k) =>
              k.revoked || k.id === app.session.token_id
                ? "–"
                : h(
                    "span",
                    { class: "row-actions" },
                    canRotate ? h("button", { type: "button", class: "secondary", "aria-label": `${t("rotate")}: ${k.name}`, onclick: () => void act(k, "rotate") }, t("rotate")) : null,
                    h("button", { type: "button", class: "danger", "aria-label": `${t("revoke")}: ${k.name}`, onclick: () => void act(k, "revoke") }, t("revoke")),
                  ),
          },
        ], page.items),
      );
    } catch (err) {
      list.replaceChildren(problemBox(err));
    }
  };
  await refresh();
  return refresh;
};
