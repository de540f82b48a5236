#include "projections/trends.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "projections/read_models.h"
#include "projections/trend_counters.h"

namespace ikv::projections {

namespace json = boost::json;

std::string csv_field(std::string_view text) {
  std::string s(text);
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
    s.insert(s.begin(), '\'');
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::optional<Granularity> parse_granularity(std::string_view text) {
  if (text == "month") return Granularity::kMonth;
  if (text == "quarter") return Granularity::kQuarter;
  if (text == "year") return Granularity::kYear;
  return std::nullopt;
}

std::string period_of(const domain::Date& d, Granularity granularity) {
  char buf[48];
  switch (granularity) {
    case Granularity::kMonth:
      std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
      break;
    case Granularity::kQuarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", d.year, (d.month - 1) / 3 + 1);
      break;
    case Granularity::kYear:
      std::snprintf(buf, sizeof buf, "%04d", d.year);
      break;
  }
  return buf;
}

Result<TrendReport> compute_trends(const ReadModels& models, const TrendQuery& q) {
  const RegistryView& view = models.view();
  if (q.from && q.to && *q.to < *q.from) return invalid_parameter("from", "after to");
  if (q.network && view.find_network(*q.network) == nullptr) {
    return invalid_parameter("network", "unknown network '" + *q.network + "'");
  }
  if (q.theme && !view.taxonomy().contains(domain::TaxonomyKind::kTheme, *q.theme)) {
    return invalid_parameter("theme", "unknown theme code '" + *q.theme + "'");
  }
  TrendQuery with_taxonomy = q;
  with_taxonomy.taxonomy = &view.taxonomy();
  return models.get<TrendCounters>().report(with_taxonomy);
}

json::object trends_json(const TrendReport& report) {
  const auto counts = [](const Counts& c) {
    json::object o;
    for (const auto& [code, n] : c) o[code] = static_cast<std::uint64_t>(n);
    return o;
  };
  json::array periods;
  for (const TrendPeriod& p : report.periods) {
    json::object o;
    o["period"] = p.period;
    o["network"] = p.network;
    o["observations"] = counts(p.observations);
    o["target_groups"] = counts(p.target_groups);
    o["meetings_held"] = counts(p.meetings_held);
    o["meeting_themes"] = counts(p.meeting_themes);
    o["members_joined"] = static_cast<std::uint64_t>(p.members_joined);
    o["members_left"] = static_cast<std::uint64_t>(p.members_left);
    o["training_requested"] = static_cast<std::uint64_t>(p.training_requested);
    o["training_delivered"] = static_cast<std::uint64_t>(p.training_delivered);
    periods.push_back(std::move(o));
  }
  json::array ranked;
  for (const RankedTheme& t : report.themes_ranked) {
    ranked.push_back(
        json::object{{"theme", t.theme}, {"networks", static_cast<std::uint64_t>(t.networks)}});
  }
  json::array families;
  for (const RankedFamily& f : report.families_ranked) {
    families.push_back(
        json::object{{"family", f.family}, {"networks", static_cast<std::uint64_t>(f.networks)}});
  }
  return json::object{{"periods", std::move(periods)},
                      {"themes_ranked", std::move(ranked)},
                      {"families_ranked", std::move(families)}};
}

std::string trends_csv(const TrendReport& report) {
  std::string out = "period,network,measure,code,count\r\n";
  for (const TrendPeriod& p : report.periods) {
    const std::string head = csv_field(p.period) + "," + csv_field(p.network) + ",";
    const auto row = [&](std::string_view measure, std::string_view code, std::size_t n) {
      if (n == 0) return;
      out += head + std::string(measure) + "," + csv_field(code) + "," + std::to_string(n) + "\r\n";
    };
    const auto rows = [&](std::string_view measure, const Counts& c) {
      for (const auto& [code, n] : c) row(measure, code, n);
    };
    rows("observations", p.observations);
    rows("target_groups", p.target_groups);
    rows("meetings_held", p.meetings_held);
    rows("meeting_themes", p.meeting_themes);
    row("members_joined", "", p.members_joined);
    row("members_left", "", p.members_left);
    row("training_requested", "", p.training_requested);
    row("training_delivered", "", p.training_delivered);
  }
  return out;
}

}  // namespace ikv::projections
