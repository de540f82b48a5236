#include "tools/report/html_report.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "tools/report/html_page.h"
#include "tools/report/svg_charts.h"

namespace ikv::report {

namespace {

using projections::Counts;
using projections::TrendPeriod;

constexpr int kWide = 1060;
constexpr int kPanelWidth = 520;
constexpr int kPanelHeight = 230;
constexpr std::string_view kNoData = "No data in this range";

std::string label_of(const std::map<std::string, std::string>& labels, const std::string& code) {
  const auto it = labels.find(code);
  return it == labels.end() || it->second.empty() ? code : it->second;
}

// Every code of a measure, labelled ones first (in label-map order), then
// codes met only in the data; the index is the code's colour.
std::vector<std::string> codes_in_order(const std::map<std::string, std::string>& labels,
                                        const std::set<std::string>& seen) {
  std::vector<std::string> codes;
  codes.reserve(labels.size() + seen.size());
  for (const auto& [code, label] : labels) codes.push_back(code);
  for (const std::string& code : seen) {
    if (!labels.contains(code)) codes.push_back(code);
  }
  return codes;
}

// `codes` in label order (then code order): the order they are shown in.
std::vector<std::string> by_label(std::vector<std::string> codes,
                                  const std::map<std::string, std::string>& labels) {
  std::stable_sort(codes.begin(), codes.end(), [&](const std::string& a, const std::string& b) {
    return label_of(labels, a) < label_of(labels, b);
  });
  return codes;
}

std::size_t index_of(const std::vector<std::string>& codes, const std::string& code) {
  return static_cast<std::size_t>(std::find(codes.begin(), codes.end(), code) - codes.begin());
}

std::string axis_name(const std::string& granularity) {
  if (granularity == "month") return "Month";
  if (granularity == "quarter") return "Quarter";
  if (granularity == "year") return "Year";
  return "Period";
}

// The networks shown: those in the coverage (every network, filtered), then
// any other network the trends name.
std::vector<std::string> networks_of(const HtmlReportInput& in) {
  std::vector<std::string> ids;
  for (const auto& c : in.coverage) ids.push_back(c.network);
  std::set<std::string> extra;
  for (const TrendPeriod& p : in.trends.periods) extra.insert(p.network);
  for (const std::string& id : extra) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

std::size_t sum(const Counts& counts) {
  std::size_t n = 0;
  for (const auto& [code, v] : counts) n += v;
  return n;
}

// "Forced labour 3, Seasonal work 2" in descending count, then label order.
std::string summary_of(const std::map<std::string, std::size_t>& by_label) {
  std::vector<std::pair<std::string, std::size_t>> v(by_label.begin(), by_label.end());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [label, n] : v) {
    if (n == 0) continue;
    out += (out.empty() ? "" : ", ") + label + " " + std::to_string(n);
  }
  return out;
}

Legend legend_for(std::string id, std::string title, const std::vector<std::string>& codes,
                  const std::vector<std::string>& all_codes,
                  const std::map<std::string, std::string>& labels) {
  Legend l;
  l.id = std::move(id);
  l.title = std::move(title);
  l.width = kWide;
  for (const std::string& code : codes) {
    l.entries.emplace_back(label_of(labels, code), series_colour(index_of(all_codes, code)));
  }
  return l;
}

std::string figure_themes(const HtmlReportInput& in, const std::vector<std::string>& periods) {
  const std::string unit = axis_name(in.parameters.granularity);
  std::set<std::string> seen;
  for (const TrendPeriod& p : in.trends.periods) {
    for (const auto& [theme, n] : p.observations) {
      if (n > 0) seen.insert(theme);
    }
  }
  const std::vector<std::string> all = codes_in_order(in.labels.themes, seen);
  std::vector<std::string> present;
  for (const std::string& code : all) {
    if (seen.contains(code)) present.push_back(code);
  }
  present = by_label(std::move(present), in.labels.themes);
  std::string out =
      figure_open("fig-themes", "1. Themes observed per network",
                  "Observations recorded in each network, by theme and by " + to_lower(unit) +
                      " of the observation date. Every panel uses "
                      "the same scale.");
  if (present.empty()) {
    out += render_no_data("fig-themes-chart", "Themes observed per network", kNoData, kWide, 200);
    return out + "<p class=\"empty\">No observations in this range.</p>" + figure_close();
  }
  out += render_legend(legend_for("fig-themes-legend", "Theme", present, all, in.labels.themes));
  std::vector<StackedBars> panels;
  std::size_t shared_max = 0;
  for (const std::string& network : networks_of(in)) {
    StackedBars c;
    c.id = "fig-themes-" + std::to_string(panels.size() + 1);
    c.title = label_of(in.labels.networks, network);
    c.x_label = unit;
    c.y_label = "Observations";
    c.categories = periods;
    c.show_title = true;
    c.width = kPanelWidth;
    c.height = kPanelHeight;
    std::map<std::string, std::size_t> totals;
    for (const std::string& code : present) {
      Series s{label_of(in.labels.themes, code), series_colour(index_of(all, code)),
               std::vector<std::size_t>(periods.size(), 0)};
      for (const TrendPeriod& p : in.trends.periods) {
        const auto at = std::find(periods.begin(), periods.end(), p.period);
        const auto n = p.observations.find(code);
        if (p.network != network || at == periods.end() || n == p.observations.end()) continue;
        s.values[static_cast<std::size_t>(at - periods.begin())] += n->second;
        totals[s.label] += n->second;
      }
      c.series.push_back(std::move(s));
    }
    std::size_t total = 0;
    for (const auto& [label, n] : totals) total += n;
    c.description = total == 0
                        ? "No observations in this range."
                        : std::to_string(total) + " observations: " + summary_of(totals) + ".";
    shared_max = std::max(shared_max, stack_max(c.series, periods.size()));
    panels.push_back(std::move(c));
  }
  out += "<div class=\"panels\">";
  for (StackedBars& c : panels) {
    c.y_max = shared_max;
    const bool empty = stack_max(c.series, periods.size()) == 0;
    out += empty ? render_no_data(c.id, c.title, "No observations in this range", c.width, c.height,
                                  true)
                 : render_stacked_bars(c);
  }
  out += "</div>";

  // One row per network and theme, one column per period holding observations.
  std::vector<std::string> columns;
  for (const std::string& period : periods) {
    const bool any = std::any_of(
        in.trends.periods.begin(), in.trends.periods.end(),
        [&](const TrendPeriod& p) { return p.period == period && sum(p.observations) > 0; });
    if (any) columns.push_back(period);
  }
  Table t;
  t.caption = "Observations by network, theme and " + to_lower(unit);
  t.headers = {"Network", "Theme"};
  t.headers.insert(t.headers.end(), columns.begin(), columns.end());
  t.headers.emplace_back("Total");
  t.first_numeric = 2;
  for (const std::string& network : networks_of(in)) {
    for (const std::string& code : present) {
      std::vector<std::string> row{label_of(in.labels.networks, network),
                                   label_of(in.labels.themes, code)};
      std::size_t total = 0;
      for (const std::string& period : columns) {
        std::size_t n = 0;
        for (const TrendPeriod& p : in.trends.periods) {
          const auto found = p.observations.find(code);
          if (p.network == network && p.period == period && found != p.observations.end()) {
            n += found->second;
          }
        }
        total += n;
        row.push_back(std::to_string(n));
      }
      row.push_back(std::to_string(total));
      if (total > 0) t.rows.push_back(std::move(row));
    }
  }
  return out + render_table(t) + figure_close();
}

std::string figure_meetings(const HtmlReportInput& in, const std::vector<std::string>& periods) {
  const std::string unit = axis_name(in.parameters.granularity);
  std::set<std::string> seen;
  Counts by_period_total;
  std::map<std::string, Counts> by_period;  // period -> format -> n
  for (const TrendPeriod& p : in.trends.periods) {
    for (const auto& [format, n] : p.meetings_held) {
      if (n == 0) continue;
      seen.insert(format);
      by_period[p.period][format] += n;
      by_period_total[p.period] += n;
    }
  }
  const std::vector<std::string> all = codes_in_order(in.labels.formats, seen);
  std::string out = figure_open(
      "fig-meetings", "2. Meetings held by format",
      "Meetings recorded as held, by format and by " + to_lower(unit) +
          " of the meeting date. A joint meeting counts once for each network that held it.");
  if (seen.empty()) {
    out += render_no_data("fig-meetings-chart", "Meetings held by format", kNoData, kWide, 200);
    return out + "<p class=\"empty\">No meetings held in this range.</p>" + figure_close();
  }
  const std::vector<std::string> shown = by_label(all, in.labels.formats);
  out += render_legend(legend_for("fig-meetings-legend", "Format", shown, all, in.labels.formats));
  StackedBars c;
  c.id = "fig-meetings-chart";
  c.title = "Meetings held by format per " + to_lower(unit);
  c.x_label = unit;
  c.y_label = "Meetings held";
  c.categories = periods;
  c.width = kWide;
  c.height = 280;
  std::map<std::string, std::size_t> totals;
  for (const std::string& code : shown) {
    Series s{label_of(in.labels.formats, code), series_colour(index_of(all, code)),
             std::vector<std::size_t>(periods.size(), 0)};
    for (std::size_t i = 0; i < periods.size(); ++i) {
      const auto p = by_period.find(periods[i]);
      if (p == by_period.end()) continue;
      const auto n = p->second.find(code);
      if (n != p->second.end()) s.values[i] = n->second;
      totals[s.label] += s.values[i];
    }
    c.series.push_back(std::move(s));
  }
  c.description =
      "Meetings held per " + to_lower(unit) + ", by format: " + summary_of(totals) + ".";
  out += render_stacked_bars(c);

  Table t;
  t.caption = "Meetings held by " + to_lower(unit) + " and format";
  t.headers = {unit};
  for (const std::string& code : shown) t.headers.push_back(label_of(in.labels.formats, code));
  t.headers.emplace_back("Total");
  t.first_numeric = 1;
  for (const std::string& period : periods) {
    const auto p = by_period.find(period);
    if (p == by_period.end()) continue;
    std::vector<std::string> row{period};
    for (const std::string& code : shown) {
      const auto n = p->second.find(code);
      row.push_back(std::to_string(n == p->second.end() ? 0 : n->second));
    }
    row.push_back(std::to_string(by_period_total[period]));
    t.rows.push_back(std::move(row));
  }
  return out + render_table(t) + figure_close();
}

std::string figure_coverage(const HtmlReportInput& in) {
  const std::string day = in.parameters.coverage_on;
  std::string out = figure_open(
      "fig-coverage", "3. Members by sector per network",
      "Members counted on " + (day.empty() ? std::string("the report day") : day) +
          ", by the sector of their organisation. A crossed cell marks a sector with no member "
          "in that network.");
  if (in.coverage.empty()) {
    out +=
        render_no_data("fig-coverage-chart", "Members by sector per network", kNoData, kWide, 200);
    return out + "<p class=\"empty\">No networks in this range.</p>" + figure_close();
  }
  std::set<std::string> seen;
  for (const auto& c : in.coverage) {
    for (const auto& [sector, n] : c.members_by_sector) seen.insert(sector);
    for (const std::string& sector : c.missing_sectors) seen.insert(sector);
  }
  const std::vector<std::string> sectors =
      by_label(codes_in_order(in.labels.sectors, seen), in.labels.sectors);
  CountMatrix m;
  m.id = "fig-coverage-chart";
  m.title = "Members by sector per network";
  for (const std::string& s : sectors) m.row_labels.push_back(label_of(in.labels.sectors, s));
  Table t;
  t.caption = "Members and sectors missing per network";
  t.headers = {"Network", "Members", "Sectors with members", "Sectors missing"};
  t.first_numeric = 1;
  t.last_numeric = 2;
  std::string summary;
  for (const auto& c : in.coverage) {
    m.column_labels.push_back(label_of(in.labels.networks, c.network));
    std::size_t members = 0;
    std::string missing;
    for (const auto& [sector, n] : c.members_by_sector) members += n;
    for (const std::string& s : sectors) {
      if (std::find(c.missing_sectors.begin(), c.missing_sectors.end(), s) ==
          c.missing_sectors.end()) {
        continue;
      }
      missing += (missing.empty() ? "" : ", ") + label_of(in.labels.sectors, s);
    }
    t.rows.push_back({m.column_labels.back(), std::to_string(members),
                      std::to_string(c.members_by_sector.size()),
                      missing.empty() ? "none" : missing});
    summary += (summary.empty() ? "" : "; ") + m.column_labels.back() + " " +
               std::to_string(members) + " members, " + std::to_string(c.missing_sectors.size()) +
               " sectors missing";
  }
  for (const std::string& s : sectors) {
    std::vector<std::size_t> row;
    for (const auto& c : in.coverage) {
      const auto n = c.members_by_sector.find(s);
      row.push_back(n == c.members_by_sector.end() ? 0 : n->second);
    }
    m.cells.push_back(std::move(row));
  }
  m.description = "Members per sector (rows) and network (columns). " + summary + ".";
  return out + render_count_matrix(m) + render_table(t) + figure_close();
}

std::string figure_ranked(const HtmlReportInput& in) {
  std::string out = figure_open(
      "fig-ranked", "4. Themes ranked by the networks that raised them",
      "How many networks recorded at least one observation of each theme in the range.");
  if (in.trends.themes_ranked.empty()) {
    out += render_no_data("fig-ranked-chart", "Themes ranked by networks", kNoData, kWide, 200);
    return out + "<p class=\"empty\">No observations in this range.</p>" + figure_close();
  }
  HorizontalBars h;
  h.id = "fig-ranked-chart";
  h.title = "Themes ranked by the number of networks that recorded them";
  h.x_label = "Networks";
  h.colour = series_colour(0);
  h.width = kWide;
  Table t;
  t.caption = "Themes ranked by networks";
  t.headers = {"Rank", "Theme", "Networks"};
  t.first_numeric = 2;
  std::map<std::string, std::size_t> totals;
  for (const auto& r : in.trends.themes_ranked) {
    h.rows.emplace_back(label_of(in.labels.themes, r.theme), r.networks);
    totals[h.rows.back().first] = r.networks;
    t.rows.push_back(
        {std::to_string(t.rows.size() + 1), h.rows.back().first, std::to_string(r.networks)});
  }
  h.description = "Networks per theme: " + summary_of(totals) + ".";
  return out + render_horizontal_bars(h) + render_table(t) + figure_close();
}

}  // namespace

std::string render_html_report(const HtmlReportInput& in) {
  std::vector<std::string> periods = in.periods;
  if (periods.empty()) {
    std::set<std::string> seen;
    for (const TrendPeriod& p : in.trends.periods) seen.insert(p.period);
    periods.assign(seen.begin(), seen.end());
  }
  std::string body = render_masthead(in);
  body += "<main>";
  body += figure_themes(in, periods);
  body += figure_meetings(in, periods);
  body += figure_coverage(in);
  body += figure_ranked(in);
  body += "</main>";
  return render_page(in, body);
}

std::vector<std::string> report_periods(const domain::Date& from, const domain::Date& to,
                                        projections::Granularity granularity) {
  std::vector<std::string> out;
  if (to < from) return out;
  for (int y = from.year, m = from.month; y < to.year || (y == to.year && m <= to.month);) {
    std::string p = projections::period_of(domain::Date{y, m, 1}, granularity);
    if (out.empty() || out.back() != p) out.push_back(std::move(p));
    if (++m > 12) {
      m = 1;
      ++y;
    }
  }
  return out;
}

std::optional<domain::Date> period_start(std::string_view period) {
  const auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (period.size() < 4 || !digits(period.substr(0, 4))) return std::nullopt;
  const int year = std::stoi(std::string(period.substr(0, 4)));
  if (year < 1) return std::nullopt;
  if (period.size() == 4) return domain::Date{year, 1, 1};
  if (period.size() == 7 && period[4] == '-' && period[5] == 'Q' && period[6] >= '1' &&
      period[6] <= '4') {
    return domain::Date{year, (period[6] - '1') * 3 + 1, 1};
  }
  if (period.size() == 7 && period[4] == '-' && digits(period.substr(5))) {
    const int month = std::stoi(std::string(period.substr(5)));
    if (month >= 1 && month <= 12) return domain::Date{year, month, 1};
  }
  return std::nullopt;
}

}  // namespace ikv::report
