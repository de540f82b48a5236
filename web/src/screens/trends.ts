// Screen 4 (analyst, auditor, admin): trends over time with filters (period,
// granularity, network, theme): observations by theme and by network, themes
// and theme families ranked, meetings by format, members joined and left with the sectors each
// network misses, training asked and given. Each chart has a data table; the
// CSV download is the server's CSV of the same filters.
import { download, get, query, type S } from "../api";
import type { Screen } from "../app";
import { rankedBars, stackedBars, type Series } from "../charts";
import { h } from "../dom";
import { dateField } from "../forms";
import { date, label, num, period, t } from "../i18n";
import { keyed, pageTitle, problemBox, saveBlob, table } from "../ui";

interface Filters {
  from: string;
  to: string;
  granularity: string;
  network: string;
  theme: string;
}

function seriesOf(periods: string[], rows: S["TrendPeriod"][], pick: (r: S["TrendPeriod"]) => Record<string, number>, name: (k: string) => string): Series[] {
  const keys = new Set<string>();
  rows.forEach((r) => Object.keys(pick(r)).forEach((k) => keys.add(k)));
  return [...keys].sort().map((k) => ({
    key: k,
    label: name(k),
    values: periods.map((p) => rows.filter((r) => r.period === p).reduce((a, r) => a + (pick(r)[k] ?? 0), 0)),
  }));
}

export const trends: Screen = async (app, main) => {
  const year = new Date().getFullYear();
  const f: Filters = { from: `${year - 2}-01-01`, to: `${year}-12-31`, granularity: "quarter", network: "", theme: "" };
  const body = h("div", { class: "charts" });
  const status = h("p", { role: "status", class: "visually-hidden" });
  const sel = (id: string, text: string, value: string, options: Array<[string, string]>): HTMLElement =>
    h("div", { class: "field" }, h("label", { for: id }, text), h("select", { id }, options.map(([v, l]) => h("option", { value: v, selected: v === value }, l))));
  const fromField = dateField("tr-from", t("from"), f.from);
  const toField = dateField("tr-to", t("to"), f.to);
  const filters = h(
    "form",
    { class: "filters", "aria-label": t("filters") },
    fromField.wrap,
    toField.wrap,
    sel("tr-gran", t("granularity"), f.granularity, [["month", t("month")], ["quarter", t("quarter")], ["year", t("year")]]),
    sel("tr-net", t("network"), f.network, [["", t("allNetworks")], ...app.networks.map((n): [string, string] => [n.id, label(n.name, n.id)])]),
    sel("tr-theme", t("theme"), f.theme, [["", t("allThemes")], ...app.taxonomy.themes.map((e): [string, string] => [e.code, label(e.labels, e.code)])]),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("show")), h("button", { type: "button", class: "secondary", id: "csv-download", onclick: () => void csv() }, t("downloadCsv"))),
  );
  const read = (): void => {
    const v = (id: string): string => (filters.querySelector(`#${id}`) as HTMLInputElement).value;
    Object.assign(f, { from: fromField.read(), to: toField.read(), granularity: v("tr-gran"), network: v("tr-net"), theme: v("tr-theme") });
  };
  const q = (): string => query({ from: f.from, to: f.to, granularity: f.granularity, network: f.network, theme: f.theme });
  const csv = async (): Promise<void> => {
    read();
    try {
      const blob = await download(`/v1/reports/trends${q()}`, "text/csv");
      saveBlob(blob, `ikv-trends-${f.from}-${f.to}-${f.granularity}.csv`);
      status.textContent = t("csvSaved");
    } catch (err) {
      body.prepend(problemBox(err));
    }
  };
  filters.addEventListener("submit", (e) => {
    e.preventDefault();
    read();
    void refresh();
  });
  main.replaceChildren(pageTitle(t("trendsTitle"), h("p", { class: "lead" }, t("trendsLead"))), filters, status, body);

  const refresh = async (): Promise<void> => {
    try {
      const [report, coverage, national] = await Promise.all([
        get<S["TrendReport"]>(`/v1/reports/trends${q()}`),
        get<S["CoverageReport"]>("/v1/reports/coverage"),
        f.network ? Promise.resolve(null) : get<{ items: S["Observation"][] }>(`/v1/observations${query({ from: f.from, to: f.to, theme: f.theme, limit: 200 })}`),
      ]);
      // A ranked entry counts its networks and, once, a national finding.
      const nationally = (name: string, national: boolean | undefined): string => (national ? `${name} (${t("plusNational")})` : name);
      // The charts sum the network rows; the national rows (network null) hold those sums already.
      const rows = report.periods.filter((r): r is S["TrendPeriod"] & { network: string } => r.network !== null && (!f.network || r.network === f.network));
      const periods = [...new Set(rows.map((r) => r.period))].sort();
      const labels = periods.map(period);
      const themeName = (k: string): string => app.taxLabel("themes", k);
      const byNetwork: Series[] = [...new Set(rows.map((r) => r.network))].sort().map((n) => ({
        key: n,
        label: app.networkName(n),
        values: periods.map((p) => rows.filter((r) => r.period === p && r.network === n).reduce((a, r) => a + Object.values(r.observations).reduce((x, y) => x + y, 0), 0)),
      }));
      const sum = (pick: (r: S["TrendPeriod"]) => number): number[] => periods.map((p) => rows.filter((r) => r.period === p).reduce((a, r) => a + pick(r), 0));
      const cov = coverage.networks.filter((c) => !f.network || c.network === f.network);
      keyed(body, [report, coverage, f], () => [
        stackedBars(t("chartThemes"), labels, seriesOf(periods, rows, (r) => r.observations, themeName), t("period")),
        stackedBars(t("chartThemesByNetwork"), labels, byNetwork, t("period")),
        rankedBars(t("chartRanked"), report.themes_ranked.map((r) => ({ label: nationally(themeName(r.theme), r.national), value: r.networks + (r.national ? 1 : 0) })), t("networksCount"), t("theme")),
        rankedBars(t("chartFamilies"), report.families_ranked.map((r) => ({ label: nationally(themeName(r.family), r.national), value: r.networks + (r.national ? 1 : 0) })), t("networksCount"), t("themeFamily")),
        national
          ? h(
              "figure",
              { class: "figure" },
              h("figcaption", null, h("h3", null, t("nationalFindings")), h("p", { class: "note" }, t("nationalFindingsHint"))),
              table(t("nationalFindings"), [
                { head: t("observedOn"), cell: (o: S["Observation"]) => date(o.observed_on) },
                { head: t("theme"), cell: (o) => themeName(o.theme) },
                { head: t("targetGroups"), cell: (o) => o.target_groups.map((g) => app.taxLabel("target_groups", g)).join(", ") || "–" },
                { head: t("summary"), cell: (o) => o.summary ?? "–" },
              ], (national.items ?? []).filter((o) => !o.retracted)),
            )
          : null,
        stackedBars(t("chartFormats"), labels, seriesOf(periods, rows, (r) => r.meetings_held, (k) => app.taxLabel("meeting_formats", k)), t("period")),
        stackedBars(t("chartMembership"), labels, [
          { key: "joined", label: t("membersJoined"), values: sum((r) => r.members_joined) },
          { key: "left", label: t("membersLeft"), values: sum((r) => r.members_left) },
        ], t("period")),
        h(
          "figure",
          { class: "figure" },
          h("figcaption", null, h("h3", null, t("chartCoverage"))),
          table(t("chartCoverage"), [
            { head: t("network"), cell: (c: S["NetworkCoverage"]) => app.networkName(c.network) },
            { head: t("members"), cell: (c) => num(Object.values(c.members_by_sector).reduce((a, b) => a + b, 0)), num: true },
            { head: t("missingSectors"), cell: (c) => (c.missing_sectors.length ? h("ul", { class: "missing" }, c.missing_sectors.map((s) => h("li", null, `✕ ${app.taxLabel("sectors", s)}`))) : `✓ ${t("noneMissing")}`) },
          ], cov),
        ),
        stackedBars(t("chartTraining"), labels, [
          { key: "requested", label: t("trainingRequested"), values: sum((r) => r.training_requested) },
          { key: "delivered", label: t("trainingDelivered"), values: sum((r) => r.training_delivered) },
        ], t("period")),
      ]);
    } catch (err) {
      body.replaceChildren(problemBox(err));
    }
  };
  await refresh();
  return refresh;
};
