#include "trends_reference.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "domain/text.h"

namespace ikv::projections::testing {
namespace {

// The cells of the report, by (period, network), and what they need while
// being filled.
class Builder {
 public:
  explicit Builder(const TrendQuery& q) : q_(q), to_(q.to.value_or(q.today)) {}

  bool counts(const domain::Date& d) const { return (!q_.from || !(d < *q_.from)) && !(to_ < d); }
  bool wants_theme(std::string_view theme) const { return !q_.theme || *q_.theme == theme; }
  bool wants_network(std::string_view network) const {
    return !q_.network || *q_.network == network;
  }

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
    if (o.retracted || !counts(o.observed_on) || !wants_theme(o.theme)) return;
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
    std::stable_sort(
        r.themes_ranked.begin(), r.themes_ranked.end(),
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

}  // namespace

TrendReport trends_by_scan(const RegistryView& view, const TrendQuery& q) {
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
      ++c.meetings_held[m.format.value_or("")];
      for (const std::string& theme : themes) {
        if (b.wants_theme(theme)) ++c.meeting_themes[theme];
      }
    }
  }
  return std::move(b).finish();
}

std::vector<NetworkCoverage> coverage_by_scan(const RegistryView& view, const domain::Date& day) {
  const auto& sectors = view.taxonomy().entries(domain::TaxonomyKind::kSector);
  std::vector<NetworkCoverage> out;
  for (const auto& [id, network] : view.network_records()) {
    NetworkCoverage c;
    c.network = id;
    c.members_by_sector = network.members_by_sector_on(day);
    for (const auto& [code, labels] : sectors) {
      if (!c.members_by_sector.contains(code)) c.missing_sectors.push_back(code);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace ikv::projections::testing
