// The dashboard's shell: sign-in, header (navigation by role, language,
// live state, sign-out), the hash routes to the screens, live refresh.
import { call, setUnauthorizedHandler, storedToken, storeToken, type S, type Session } from "./api";
import { App, type Refresh, type Screen } from "./app";
import { h } from "./dom";
import { currentLang, LANGS, languageName, setLang, t, type Lang } from "./i18n";
import { onChange, onState, startLive, stopLive, type LiveState } from "./live";
import { audit } from "./screens/audit";
import { calendar } from "./screens/calendar";
import { meeting } from "./screens/meeting";
import { network } from "./screens/network";
import { networkForms } from "./screens/network_forms";
import { overview } from "./screens/overview";
import { statement } from "./screens/statement";
import { tokens } from "./screens/tokens";
import { trends } from "./screens/trends";
import { problemBox } from "./ui";

const root = document.getElementById("app") as HTMLElement;
let app: App | null = null;
let refresh: Refresh | null = null;
let liveState: LiveState = "connecting";
let rendering = 0;

function route(): { screen: Screen; params: string[]; nav: string } {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [first, ...rest] = parts;
  switch (first) {
    case "networks":
      if (rest[1] === "forms") return { screen: networkForms, params: [rest[0], rest[2]], nav: "overview" };
      return { screen: network, params: rest, nav: "overview" };
    case "meetings":
      return { screen: meeting, params: rest, nav: "calendar" };
    case "calendar":
      return { screen: calendar, params: rest, nav: "calendar" };
    case "trends":
      return { screen: trends, params: rest, nav: "trends" };
    case "audit":
      return { screen: audit, params: rest, nav: "audit" };
    case "tokens":
      return { screen: tokens, params: rest, nav: "tokens" };
    default:
      return { screen: overview, params: [], nav: "overview" };
  }
}

function languageSwitch(): HTMLElement {
  return h(
    "nav",
    { class: "lang", "aria-label": t("language") },
    h(
      "ul",
      null,
      LANGS.map((l: Lang) =>
        h(
          "li",
          null,
          h(
            "button",
            { type: "button", lang: l, "aria-pressed": l === currentLang() ? "true" : "false", "data-lang": l, onclick: () => { setLang(l); void render(); } },
            languageName(l),
          ),
        ),
      ),
    ),
  );
}

function liveText(s: LiveState): string {
  return { connecting: t("liveConnecting"), live: t("liveOn"), polling: t("livePolling"), offline: t("liveOffline") }[s];
}

function header(nav: string): HTMLElement {
  const links: Array<[string, string, boolean]> = [
    ["overview", "#/", true],
    ["calendar", "#/calendar", true],
    ["trends", "#/trends", app?.isReader() ?? false],
    ["audit", "#/audit", app?.isAuditor() ?? false],
    ["tokens", "#/tokens", app?.isAdmin() ?? false],
  ];
  return h(
    "header",
    { class: "masthead" },
    h("a", { href: "#main", class: "skip", onclick: (e: Event) => { e.preventDefault(); document.getElementById("main")?.focus(); } }, t("skipToContent")),
    h(
      "div",
      { class: "bar" },
      h("p", { class: "brand" }, h("a", { href: app ? "#/" : "/" }, t("appName"))),
      languageSwitch(),
      app
        ? h(
            "div",
            { class: "who" },
            h("span", { class: `live live-${liveState}`, id: "live-state", role: "status" }, liveText(liveState)),
            h("span", null, `${app.session.name} (${t(`role_${app.role}` as "role_admin")})`),
            h("button", { type: "button", class: "secondary", id: "sign-out", onclick: signOut }, t("signOut")),
          )
        : null,
    ),
    app
      ? h("nav", { class: "main-nav", "aria-label": t("mainNav") }, h("ul", null, links.filter((l) => l[2]).map(([k, href]) => h("li", null, h("a", { href, "aria-current": k === nav ? "page" : null }, t(`nav_${k}` as "nav_overview"))))))
      : null,
  );
}

function footer(): HTMLElement {
  return h("footer", { class: "footer" }, h("a", { href: "/accessibility" }, t("a11yTitle")), " · ", h("a", { href: "/openapi.yaml" }, t("apiContract")));
}

function signInScreen(main: HTMLElement, message?: HTMLElement): void {
  const input = h("input", { id: "token", name: "token", type: "password", autocomplete: "off", required: true, "aria-describedby": "token-hint" });
  const status = h("div", { "aria-live": "polite" }, message ?? "");
  const f = h(
    "form",
    { class: "form signin", "aria-labelledby": "page-title" },
    h("h1", { id: "page-title", tabindex: "-1" }, t("signInTitle")),
    h("p", { id: "token-hint", class: "hint" }, t("signInHint")),
    status,
    h("div", { class: "field" }, h("label", { for: "token" }, t("token")), input),
    h("div", { class: "actions" }, h("button", { type: "submit", id: "sign-in" }, t("signIn"))),
  );
  f.addEventListener("submit", (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) {
      status.replaceChildren(h("p", { class: "field-error", role: "alert" }, t("errRequired")));
      input.focus();
      return;
    }
    storeToken(token);
    void start().catch((err) => {
      storeToken(null);
      status.replaceChildren(problemBox(err));
    });
  });
  document.title = `${t("signInTitle")} – ${t("appName")}`;
  main.replaceChildren(f);
  input.focus();
}

function signOut(): void {
  storeToken(null);
  stopLive();
  app = null;
  refresh = null;
  location.hash = "";
  void render();
}

async function start(): Promise<void> {
  // One round trip: the session, the taxonomy and the networks at once.
  const [session, taxonomy, list] = await Promise.all([
    call<Session>("GET", "/v1/session", { signingIn: true }).then((a) => a.data),
    call<S["Taxonomy"]>("GET", "/v1/taxonomy", { signingIn: true }).then((a) => a.data),
    call<{ items: S["NetworkSummary"][] }>("GET", "/v1/networks?limit=1000", { signingIn: true }).then((a) => a.data),
  ]);
  app = new App(session, taxonomy, list.items);
  startLive();
  await render();
}

async function render(): Promise<void> {
  const ticket = ++rendering;
  const isStatement = location.pathname.replace(/\/$/, "") === "/accessibility";
  const r = route();
  const main = h("main", { id: "main", tabindex: "-1" });
  root.replaceChildren(header(r.nav), main, footer());
  refresh = null;
  if (isStatement) return statement(main);
  if (!app) return signInScreen(main);
  try {
    const got = await r.screen(app, main, r.params);
    if (ticket === rendering) refresh = got ?? null;
  } catch (err) {
    main.replaceChildren(problemBox(err));
  }
}

onState((s) => {
  liveState = s;
  const el = document.getElementById("live-state");
  if (el) {
    el.textContent = liveText(s);
    el.className = `live live-${s}`;
  }
});
onChange(() => {
  if (refresh) void refresh();
});
setUnauthorizedHandler(() => {
  storeToken(null);
  stopLive();
  app = null;
  root.replaceChildren(header("overview"), h("main", { id: "main", tabindex: "-1" }));
  signInScreen(document.getElementById("main") as HTMLElement, h("p", { class: "problem", role: "alert" }, t("sessionEnded")));
});
window.addEventListener("hashchange", () => {
  void render().then(() => (document.getElementById("page-title") ?? document.getElementById("main"))?.focus());
});

if (storedToken()) {
  void start().catch(() => {
    storeToken(null);
    void render();
  });
} else {
  void render();
}
