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

domain::Date last_day_of_period(const domain::Date& d, Granularity granularity) {
  int month = d.month;
  if (granularity == Granularity::kQuarter) month = ((d.month - 1) / 3 + 1) * 3;
  if (granularity == Granularity::kYear) month = 12;
  return domain::Date{d.year, month, domain::days_in_month(d.year, month)};
}

std::size_t MemberCurve::on(std::int64_t day) const {
  std::int64_t n = 0;
  for (auto it = changes_.begin(); it != changes_.end() && it->first <= day; ++it) n += it->second;
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

namespace {

// The day members_at_end is counted on for a row's period ("2024-05",
// "2024-Q2", "2024"): its last day, or `to` when that comes first.
std::int64_t end_day_of(std::string_view period, const domain::Date& to) {
  const auto number = [&](std::size_t at, std::size_t len) {
    int n = 0;
    for (std::size_t i = at; i < at + len && i < period.size(); ++i) n = n * 10 + (period[i] - '0');
    return n;
  };
  domain::Date d{number(0, 4), 1, 1};
  Granularity g = Granularity::kYear;
  if (period.size() == 7 && period[5] == 'Q') {
    d.month = (number(6, 1) - 1) * 3 + 1;
    g = Granularity::kQuarter;
  } else if (period.size() == 7) {
    d.month = number(5, 2);
    g = Granularity::kMonth;
  }
  return std::min(domain::days_from_civil(last_day_of_period(d, g)), domain::days_from_civil(to));
}

void add_counts(Counts& into, const Counts& from) {
  for (const auto& [code, n] : from) into[code] += n;
}

}  // namespace

MembersOn members_on(const std::map<std::string, MemberCurve, std::less<>>& curves) {
  return MembersOn{[&curves](std::string_view network, std::int64_t day) -> std::size_t {
                     const auto c = curves.find(network);
                     return c == curves.end() ? 0 : c->second.on(day);
                   },
                   [&curves](std::int64_t day) {
                     std::size_t n = 0;
                     for (const auto& [network, curve] : curves) n += curve.on(day);
                     return n;
                   }};
}

void finish_periods(std::vector<TrendPeriod>& periods, const TrendQuery& q,
                    const MembersOn& members, bool national) {
  const domain::Date to = q.to.value_or(q.today);
  for (TrendPeriod& p : periods) {
    if (!p.national) p.members_at_end = members.network(p.network, end_day_of(p.period, to));
  }
  if (!national) return;
  std::vector<TrendPeriod> out;
  out.reserve(periods.size() + periods.size() / 2 + 1);
  for (std::size_t i = 0; i < periods.size();) {
    TrendPeriod sum;
    sum.period = periods[i].period;
    sum.national = true;
    for (; i < periods.size() && periods[i].period == sum.period; ++i) {
      TrendPeriod& p = periods[i];
      add_counts(sum.observations, p.observations);
      add_counts(sum.target_groups, p.target_groups);
      if (p.national) continue;  // the national findings: in this row only
      add_counts(sum.meetings_held, p.meetings_held);
      add_counts(sum.wishes, p.wishes);
      add_counts(sum.meeting_themes, p.meeting_themes);
      sum.members_joined += p.members_joined;
      sum.members_left += p.members_left;
      sum.training_requested += p.training_requested;
      sum.training_delivered += p.training_delivered;
      sum.attendance += p.attendance;
      out.push_back(std::move(periods[i]));
    }
    const std::int64_t end = end_day_of(sum.period, to);
    sum.members_at_end = members.every_network(end);
    out.push_back(std::move(sum));
  }
  periods = std::move(out);
}

void rank_themes(TrendReport& r, const std::map<std::string, std::set<std::string>>& theme_networks,
                 const std::set<std::string>& national_themes,
                 const domain::TaxonomyState& taxonomy) {
  std::set<std::string> themes = national_themes;
  for (const auto& [theme, networks] : theme_networks) themes.insert(theme);
  std::map<std::string, std::set<std::string>, std::less<>> family_networks;
  std::set<std::string, std::less<>> national_families;
  for (const std::string& theme : themes) {
    const auto found = theme_networks.find(theme);
    const std::size_t n = found == theme_networks.end() ? 0 : found->second.size();
    const bool national = national_themes.contains(theme);
    r.themes_ranked.push_back({theme, n, national});
    std::set<std::string>& family = family_networks[std::string(taxonomy.family_or_self(theme))];
    if (found != theme_networks.end()) family.insert(found->second.begin(), found->second.end());
    if (national) national_families.insert(std::string(taxonomy.family_or_self(theme)));
  }
  for (const auto& [family, networks] : family_networks) {
    r.families_ranked.push_back({family, networks.size(), national_families.contains(family)});
  }
  const auto weight = [](const auto& e) { return e.networks + (e.national ? 1 : 0); };
  std::stable_sort(
      r.themes_ranked.begin(), r.themes_ranked.end(),
      [&](const RankedTheme& a, const RankedTheme& b) { return weight(a) > weight(b); });
  std::stable_sort(
      r.families_ranked.begin(), r.families_ranked.end(),
      [&](const RankedFamily& a, const RankedFamily& b) { return weight(a) > weight(b); });
}

Result<TrendReport> compute_trends(const ReadModels& models, const TrendQuery& q,
                                   const StreamEvents& events) {
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
  if (q.known_at_us) return trends_from_records(view, with_taxonomy, events);
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
    o["network"] = p.national ? json::value(nullptr) : json::value(p.network);
    o["observations"] = counts(p.observations);
    o["target_groups"] = counts(p.target_groups);
    o["meetings_held"] = counts(p.meetings_held);
    o["meeting_themes"] = counts(p.meeting_themes);
    o["members_joined"] = static_cast<std::uint64_t>(p.members_joined);
    o["members_left"] = static_cast<std::uint64_t>(p.members_left);
    o["training_requested"] = static_cast<std::uint64_t>(p.training_requested);
    o["training_delivered"] = static_cast<std::uint64_t>(p.training_delivered);
    o["members_at_end"] = static_cast<std::uint64_t>(p.members_at_end);
    o["attendance"] = static_cast<std::uint64_t>(p.attendance);
    o["wishes"] = counts(p.wishes);
    periods.push_back(std::move(o));
  }
  json::array ranked;
  for (const RankedTheme& t : report.themes_ranked) {
    ranked.push_back(json::object{{"theme", t.theme},
                                  {"networks", static_cast<std::uint64_t>(t.networks)},
                                  {"national", t.national}});
  }
  json::array families;
  for (const RankedFamily& f : report.families_ranked) {
    families.push_back(json::object{{"family", f.family},
                                    {"networks", static_cast<std::uint64_t>(f.networks)},
                                    {"national", f.national}});
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
    rows("wishes", p.wishes);
    row("members_joined", "", p.members_joined);
    row("members_left", "", p.members_left);
    row("training_requested", "", p.training_requested);
    row("training_delivered", "", p.training_delivered);
    row("members_at_end", "", p.members_at_end);
    row("attendance", "", p.attendance);
  }
  return out;
}

}  // namespace ikv::projections
