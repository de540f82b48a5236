#include "projections/trends.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

#include "domain/text.h"

namespace ikv::projections {

namespace json = boost::json;

namespace {

// The cells of the report, by (period, network), and what they need while
// being filled.
class Builder {
 public:
  explicit Builder(const TrendQuery& q) : q_(q), to_(q.to.value_or(q.today)) {}

  bool counts(const domain::Date& d) const {
    return (!q_.from || !(d < *q_.from)) && !(to_ < d);
  }
  bool wants_theme(std::string_view theme) const { return !q_.theme || *q_.theme == theme; }
  bool wants_network(std::string_view network) const { return !q_.network || *q_.network == network; }

  TrendPeriod& cell(const domain::Date& d, const std::string& network) {
    auto key = std::make_pair(period_of(d, q_.granularity), network);
    auto it = cells_.find(key);
    if (it == cells_.end()) {
      TrendPeriod p;
      p.period = key.first;
      p.network = network;
      it = cells_.emplace(std::move(key), std::move(p)).first;
    }
    return it->second;
  }

  void observation(const std::string& network, const ObservationRecord& o) {
    if (!counts(o.observed_on) || !wants_theme(o.theme)) return;
    TrendPeriod& c = cell(o.observed_on, network);
    ++c.observations[o.theme];
    theme_networks_[o.theme].insert(network);
    std::set<std::string> seen;
    for (const std::string& group : o.target_groups) {
      const std::string_view text = domain::trim(group);
      if (text.empty()) continue;
      std::string key = domain::to_lower_ascii(text);
      if (!seen.insert(key).second) continue;
      auto [s, fresh] = spelling_.try_emplace(key, o.recorded_at_us, std::string(text));
      if (!fresh && std::make_pair(o.recorded_at_us, std::string_view(text)) <
                        std::make_pair(s->second.first, std::string_view(s->second.second))) {
        s->second = {o.recorded_at_us, std::string(text)};
      }
      ++groups_[{c.period, network}][key];
    }
  }

  TrendReport finish() && {
    TrendReport r;
    for (auto& [key, cell] : cells_) {
      if (const auto g = groups_.find(key); g != groups_.end()) {
        for (const auto& [group, n] : g->second) cell.target_groups[spelling_.at(group).second] = n;
      }
      r.periods.push_back(std::move(cell));
    }
    for (const auto& [theme, networks] : theme_networks_) {
      r.themes_ranked.push_back({theme, networks.size()});
    }
    std::stable_sort(r.themes_ranked.begin(), r.themes_ranked.end(),
                     [](const RankedTheme& a, const RankedTheme& b) { return a.networks > b.networks; });
    return r;
  }

 private:
  using Key = std::pair<std::string, std::string>;  // period, network
  const TrendQuery& q_;
  const domain::Date to_;
  std::map<Key, TrendPeriod> cells_;
  std::map<Key, Counts> groups_;  // target groups by lower-case key
  std::map<std::string, std::pair<std::int64_t, std::string>> spelling_;
  std::map<std::string, std::set<std::string>> theme_networks_;  // theme -> networks
};

std::string csv_field(std::string_view text) {
  std::string s(text);
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                     s[0] == '\r')) {
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

}  // namespace

std::optional<Granularity> parse_granularity(std::string_view text) {
  if (text == "month") return Granularity::kMonth;
  if (text == "quarter") return Granularity::kQuarter;
  if (text == "year") return Granularity::kYear;
  return std::nullopt;
}

std::string period_of(const domain::Date& d, Granularity granularity) {
  char buf[48];
  switch (granularity) {
    case Granularity::kMonth: std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month); break;
    case Granularity::kQuarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", d.year, (d.month - 1) / 3 + 1);
      break;
    case Granularity::kYear: std::snprintf(buf, sizeof buf, "%04d", d.year); break;
  }
  return buf;
}

Result<TrendReport> compute_trends(const RegistryView& view, const TrendQuery& q) {
  if (q.from && q.to && *q.to < *q.from) return invalid_parameter("from", "after to");
  if (q.network && view.find_network(*q.network) == nullptr) {
    return invalid_parameter("network", "unknown network '" + *q.network + "'");
  }
  if (q.theme && !view.taxonomy().contains(domain::TaxonomyKind::kTheme, *q.theme)) {
    return invalid_parameter("theme", "unknown theme code '" + *q.theme + "'");
  }
  Builder b(q);
  for (const auto& [id, n] : view.network_records()) {
    if (!b.wants_network(id)) continue;
    for (const auto& [member_id, m] : n.members) {
      if (b.counts(m.joined_on)) ++b.cell(m.joined_on, id).members_joined;
      if (m.left_on && b.counts(*m.left_on)) ++b.cell(*m.left_on, id).members_left;
    }
    for (const ObservationRecord& o : n.observations) b.observation(id, o);
    for (const TrainingRequestRecord& t : n.training_requests) {
      if (b.counts(t.requested_on)) ++b.cell(t.requested_on, id).training_requested;
    }
    for (const TrainingDeliveryRecord& t : n.trainings) {
      if (b.counts(t.delivered_on)) ++b.cell(t.delivered_on, id).training_delivered;
    }
  }
  for (const auto& [meeting_id, m] : view.meeting_records()) {
    if (m.status != MeetingStatus::kHeld || !m.held_on || !b.counts(*m.held_on)) continue;
    std::set<std::string> networks{m.network_id};
    networks.insert(m.joint_with.begin(), m.joint_with.end());
    const std::set<std::string> themes(m.themes.begin(), m.themes.end());
    for (const std::string& network : networks) {
      if (!b.wants_network(network)) continue;
      TrendPeriod& c = b.cell(*m.held_on, network);
      ++c.meetings_held[m.format];
      for (const std::string& theme : themes) {
        if (b.wants_theme(theme)) ++c.meeting_themes[theme];
      }
    }
  }
  return std::move(b).finish();
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
    ranked.push_back(json::object{{"theme", t.theme}, {"networks", static_cast<std::uint64_t>(t.networks)}});
  }
  return json::object{{"periods", std::move(periods)}, {"themes_ranked", std::move(ranked)}};
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
