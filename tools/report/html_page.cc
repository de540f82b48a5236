#include "tools/report/html_page.h"

#include "tools/report/svg_charts.h"

namespace ikv::report {

namespace {

constexpr std::string_view kStyle = R"css(
:root{--ink:#1d2630;--muted:#5b6672;--rule:#dde2e7;--accent:#2b5f8a}
*{box-sizing:border-box}
html{background:#fff}
body{margin:0;color:var(--ink);font:14px/1.5 "Segoe UI","Helvetica Neue",Arial,"Liberation Sans",sans-serif}
.masthead{background:#17324d;color:#fff;padding:26px 48px 24px}
.masthead .inner{max-width:1100px;margin:0 auto}
.kicker{margin:0;font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#9fb8cf}
.masthead h1{margin:4px 0 2px;font-size:26px;font-weight:600;line-height:1.25}
.subtitle{margin:0 0 18px;color:#c9d6e3}
.params{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px 28px;margin:0;
  padding:14px 0 0;border-top:1px solid rgba(255,255,255,.18)}
.params dt{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#9fb8cf}
.params dd{margin:0;font-weight:500;overflow-wrap:anywhere}
.kpis{display:flex;flex-wrap:wrap;gap:12px;list-style:none;padding:0;margin:18px 0 0}
.kpis li{background:rgba(255,255,255,.09);border-radius:6px;padding:8px 16px;min-width:128px}
.kpis .n{display:block;font-size:22px;font-weight:600;line-height:1.2}
.kpis .l{font-size:12px;color:#c9d6e3}
main{max-width:1180px;margin:0 auto;padding:4px 40px 8px}
.figure{border-left:4px solid var(--accent);padding:2px 0 6px 20px;margin:30px 0}
.figure h2{font-size:19px;margin:0 0 2px;font-weight:600}
.lede{margin:0 0 12px;color:var(--muted);max-width:880px}
.panels{display:grid;grid-template-columns:repeat(2,520px);gap:10px 20px;margin-top:6px}
svg.chart{display:block;overflow:visible;margin:4px 0}
svg text{font-family:inherit;font-size:11px;fill:#3b4550}
svg .panel-title{font-size:13px;font-weight:600;fill:#1d2630}
svg .axis-title{fill:#5b6672}
svg .value{font-size:10.5px;font-weight:600}
svg .grid{stroke:#e6e9ed;stroke-width:1}
svg .axis{stroke:#8a949e;stroke-width:1}
svg .legend-title{font-weight:600;font-size:12px;fill:#1d2630}
svg .legend-label,svg .row-label,svg .column-label{font-size:12px}
svg .column-label{font-weight:600;fill:#1d2630}
svg .strong{font-weight:600}
svg .missing-count{fill:#c0392b;font-weight:600;font-size:12px}
svg .cell-value{font-size:11.5px;fill:#1d2630}
svg .cell-value.dark{fill:#fff}
svg .cross{stroke-width:1.6;fill:none}
svg .nodata-frame{fill:#f7f8fa;stroke:#c5ccd4;stroke-dasharray:6 4}
svg .nodata{font-size:14px;fill:#5b6672;font-style:italic}
.table-wrap{overflow-x:auto;margin-top:12px}
table{border-collapse:collapse;font-size:12.5px;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:0 0 6px;color:var(--muted);font-size:11px;
  text-transform:uppercase;letter-spacing:.06em}
th{white-space:nowrap}
th,td{padding:3px 10px;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{border-bottom:2px solid #aab3bd;font-weight:600}
.num{text-align:right}
tbody tr:nth-child(even){background:#f6f8fa}
.empty{color:var(--muted);font-style:italic}
footer{max-width:1100px;margin:0 auto 40px;padding:14px 0 0;color:var(--muted);font-size:12px;
  border-top:1px solid var(--rule)}
footer p{margin:0 0 6px}
@media print{.masthead{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  .figure{break-inside:avoid}}
)css";

std::string escaped_or(std::string_view value, std::string_view fallback) {
  return html_escape(value.empty() ? fallback : value);
}

std::string capitalised(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

std::string label_or_code(const std::map<std::string, std::string>& labels,
                          const std::string& code) {
  const auto it = labels.find(code);
  if (it == labels.end() || it->second.empty() || it->second == code) return code;
  return it->second + " (" + code + ")";
}

}  // namespace

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string render_table(const Table& t) {
  const auto numeric = [&](std::size_t column) {
    return column >= t.first_numeric && (t.last_numeric == 0 || column <= t.last_numeric);
  };
  std::string out = "<div class=\"table-wrap\"><table><caption>" + html_escape(t.caption) +
                    "</caption><thead><tr>";
  for (std::size_t j = 0; j < t.headers.size(); ++j) {
    out += std::string(numeric(j) ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">") +
           html_escape(t.headers[j]) + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (j == 0) {
        out += "<th scope=\"row\">" + html_escape(row[j]) + "</th>";
      } else {
        out +=
            std::string(numeric(j) ? "<td class=\"num\">" : "<td>") + html_escape(row[j]) + "</td>";
      }
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>";
}

std::string figure_open(std::string_view id, std::string_view heading, std::string_view lede) {
  const std::string eid = html_escape(id);
  return "<section class=\"figure\" id=\"" + eid + "\" aria-labelledby=\"" + eid + "-heading\">" +
         "<h2 id=\"" + eid + "-heading\">" + html_escape(heading) + "</h2><p class=\"lede\">" +
         html_escape(lede) + "</p>";
}

std::string figure_close() { return "</section>"; }

std::string render_masthead(const HtmlReportInput& in) {
  const HtmlReportParameters& p = in.parameters;
  std::size_t observations = 0, meetings = 0, joined = 0, left = 0, requested = 0, delivered = 0;
  for (const auto& period : in.trends.periods) {
    for (const auto& [code, n] : period.observations) observations += n;
    for (const auto& [code, n] : period.meetings_held) meetings += n;
    joined += period.members_joined;
    left += period.members_left;
    requested += period.training_requested;
    delivered += period.training_delivered;
  }
  std::size_t members = 0;
  for (const auto& c : in.coverage) {
    for (const auto& [sector, n] : c.members_by_sector) members += n;
  }
  const std::string range = (p.from.empty() ? std::string("earliest fact") : p.from) + " – " +
                            (p.to.empty() ? std::string("today") : p.to);
  std::string generated = p.log_position == 0
                              ? std::string("empty event log")
                              : "event log position " + std::to_string(p.log_position);
  const std::pair<std::string, std::string> params[] = {
      {"Range (effective dates)", range},
      {"Granularity", p.granularity.empty() ? "Month" : capitalised(p.granularity)},
      {"Network",
       p.network.empty() ? "All networks" : label_or_code(in.labels.networks, p.network)},
      {"Theme", p.theme.empty() ? "All themes" : label_or_code(in.labels.themes, p.theme)},
      {"Known at", p.known_at.empty() ? "Everything recorded" : p.known_at},
      {"Generated from", generated},
      {"Last event recorded at", p.log_recorded_at.empty() ? "–" : p.log_recorded_at},
      {"Members counted on", p.coverage_on.empty() ? "–" : p.coverage_on},
  };
  std::string out =
      "<header class=\"masthead\"><div class=\"inner\">"
      "<p class=\"kicker\">IKV network registry · analysts&#39; report</p>"
      "<h1>Trend report: themes, meetings and membership</h1>"
      "<p class=\"subtitle\">Regional networks against human trafficking. Aggregates only: "
      "no personal data.</p><dl class=\"params\">";
  for (const auto& [name, value] : params) {
    out += "<div><dt>" + html_escape(name) + "</dt><dd>" + escaped_or(value, "–") + "</dd></div>";
  }
  out += "</dl><ul class=\"kpis\" aria-label=\"Totals in the range\">";
  const std::pair<std::size_t, std::string_view> kpis[] = {
      {observations, "Observations"},
      {meetings, "Meetings held (per network)"},
      {joined, "Members joined"},
      {left, "Members left"},
      {members, "Members on the count day"},
      {requested, "Training requested"},
      {delivered, "Training delivered"}};
  for (const auto& [n, label] : kpis) {
    out += "<li><span class=\"n\">" + std::to_string(n) + "</span><span class=\"l\">" +
           html_escape(label) + "</span></li>";
  }
  return out + "</ul></div></header>";
}

std::string render_page(const HtmlReportInput& in, std::string_view body) {
  const HtmlReportParameters& p = in.parameters;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"generator\" content=\"ikv-report\">"
      "<title>Trend report " +
      html_escape(p.from.empty() ? std::string("earliest fact") : p.from) + " – " +
      html_escape(p.to.empty() ? std::string("today") : p.to) +
      " · IKV network registry</title><style>" + std::string(kStyle) + "</style></head><body>";
  out += body;
  out +=
      "<footer><p>Aggregates only: this report holds counts, taxonomy labels and network names, "
      "never the names, e-mail addresses or phone numbers of members.</p>"
      "<p>Facts count in the period of their effective date (observed, held, joined, left). "
      "A joint meeting counts once for each network that held it.</p>"
      "<p>Produced by ikv-report from the registry&#39;s event log, replayed read-only; the same "
      "log position and parameters always give the same page.</p></footer></body></html>\n";
  return out;
}

}  // namespace ikv::report
