// trends_from_records (projections/trends.h): the trend report by one scan
// of the event-level read models, as the registry knew it at a recorded
// instant. The rules are those of TrendCounters::report; the reports tests
// hold the two to the same answers.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "domain/event.h"
#include "domain/streams.h"
#include "domain/text.h"
#include "projections/registry_view.h"
#include "projections/trends.h"

namespace ikv::projections {
namespace {

// The meeting as its stream stood at `known_at_us`: the record itself when
// nothing of it was recorded later; else folded again from its events that
// were (read back by `events`, in log order), into `scratch`. nullptr when its
// scheduling was recorded later.
Result<const MeetingRecord*> meeting_known(const RegistryView& view, const MeetingRecord& m,
                                           std::int64_t known_at_us, const StreamEvents& events,
                                           std::optional<MeetingRecord>& scratch) {
  if (m.first_recorded_at_us > known_at_us) return nullptr;
  if (m.last_recorded_at_us <= known_at_us) return &m;
  const std::string stream = domain::meeting_stream(m.meeting_id);
  auto read = events.read(stream, view.version_of(stream));
  if (!read) return read.error();
  scratch.reset();
  for (const DecodedEvent& d : *read) {
    const eventstore::RecordedEvent& meta = d.meta;
    if (meta.recorded_at_us > known_at_us) break;  // the log is in recorded order
    const std::optional<domain::MeetingEvent> e = domain::narrow<domain::MeetingEvent>(d.event);
    if (!e) continue;  // not a meeting's event: the fold ignores it too
    std::visit(
        [&](const auto& one) {
          using E = std::decay_t<decltype(one)>;
          if constexpr (std::is_same_v<E, domain::MeetingScheduled>) {
            if (!scratch) {
              scratch = schedule_meeting(meta, one);
              return;
            }
          }
          if (scratch) apply_event(*scratch, meta, one);
        },
        *e);
  }
  if (!scratch) return nullptr;
  return &*scratch;
}

// The cells of the report by (period, network), and what they need while
// being filled.
class Builder {
 public:
  explicit Builder(const TrendQuery& q) : q_(q), to_(q.to.value_or(q.today)) {}

  bool known(std::int64_t recorded_at_us) const {
    return !q_.known_at_us || recorded_at_us <= *q_.known_at_us;
  }
  bool counts(const domain::Date& d) const { return (!q_.from || !(d < *q_.from)) && !(to_ < d); }
  bool wants_theme(std::string_view theme) const { return !q_.theme || *q_.theme == theme; }
  bool wants_network(std::string_view network) const {
    return !q_.network || *q_.network == network;
  }

  // The row of `network` ("": the national findings') for the period of `d`.
  TrendPeriod& cell(const domain::Date& d, const std::string& network) {
    auto key = std::make_pair(period_of(d, q_.granularity), network);
    auto it = cells_.find(key);
    if (it == cells_.end()) {
      TrendPeriod p;
      p.period = key.first;
      p.network = network;
      p.national = network.empty();
      it = cells_.emplace(std::move(key), std::move(p)).first;
    }
    return it->second;
  }

  void member(const std::string& network, const MemberRecord& m) {
    if (!m.known(q_.known_at_us)) return;
    const std::optional<domain::Date> left = m.left_on_known(q_.known_at_us);
    if (counts(m.joined_on)) ++cell(m.joined_on, network).members_joined;
    if (left && counts(*left)) ++cell(*left, network).members_left;
    MemberCurve& curve = curves_[network];
    curve.change(domain::days_from_civil(m.joined_on), +1);
    if (left) curve.change(domain::days_from_civil(*left), -1);
  }

  void observation(const std::string& network, const ObservationRecord& o) {
    if (!known(o.recorded_at_us)) return;
    if (o.retracted && (!o.retracted_at_us || known(*o.retracted_at_us))) return;
    if (!counts(o.observed_on) || !wants_theme(o.theme)) return;
    TrendPeriod& c = cell(o.observed_on, network);
    ++c.observations[o.theme];
    if (network.empty()) {
      national_themes_.insert(o.theme);
    } else {
      theme_networks_[o.theme].insert(network);
    }
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

  void meeting(const MeetingRecord& m) {
    if (m.status != MeetingStatus::kHeld || !m.held_on || !counts(*m.held_on)) return;
    std::set<std::string> networks{m.network_id};
    networks.insert(m.joint_with.begin(), m.joint_with.end());
    const std::set<std::string> themes(m.themes.begin(), m.themes.end());
    for (const std::string& network : networks) {
      if (!wants_network(network)) continue;
      TrendPeriod& c = cell(*m.held_on, network);
      ++c.meetings_held[m.format.value_or("")];
      c.attendance += static_cast<std::size_t>(std::max(0, m.attendance().value_or(0)));
      for (const std::string& theme : themes) {
        if (wants_theme(theme)) ++c.meeting_themes[theme];
      }
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
    finish_periods(r.periods, q_, members_on(curves_), !q_.network.has_value());
    rank_themes(r, theme_networks_, national_themes_,
                q_.taxonomy != nullptr ? *q_.taxonomy : domain::builtin_taxonomy());
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
  std::set<std::string> national_themes_;                        // of the national findings
  std::map<std::string, MemberCurve, std::less<>> curves_;       // by network
};

}  // namespace

Result<TrendReport> trends_from_records(const RegistryView& view, const TrendQuery& q,
                                        const StreamEvents& events) {
  const domain::Date to = q.to.value_or(q.today);
  if (q.from && to < *q.from)
    return TrendReport{};  // `from` after today, with no `to`: nothing counts
  Builder b(q);
  for (const auto& [id, n] : view.network_records()) {
    if (!b.wants_network(id) || !b.known(n.established_recorded_at_us)) continue;
    const std::string& network_id = id;  // a lambda cannot name a structured binding
    n.members.for_each(
        [&](std::string_view /*member_id*/, const MemberRecord& m) { b.member(network_id, m); });
    for (const ObservationRecord& o : n.observations) b.observation(id, o);
    for (const WishRecord& w : n.wishes) {
      if (b.known(w.recorded_at_us) && b.counts(w.recorded_on)) {
        ++b.cell(w.recorded_on, id).wishes[std::string(domain::to_string(w.kind))];
      }
    }
    for (const TrainingRequestRecord& t : n.training_requests) {
      if (b.known(t.recorded_at_us) && b.counts(t.requested_on)) {
        ++b.cell(t.requested_on, id).training_requested;
      }
    }
    for (const TrainingDeliveryRecord& t : n.trainings) {
      if (b.known(t.recorded_at_us) && b.counts(t.delivered_on)) {
        ++b.cell(t.delivered_on, id).training_delivered;
      }
    }
  }
  if (!q.network) {
    for (const ObservationRecord& o : view.national_findings()) b.observation("", o);
  }
  std::optional<MeetingRecord> scratch;
  std::optional<Error> failed;
  view.for_each_meeting([&](const MeetingRecord& m) {
    if (failed) return;
    if (!q.known_at_us) {
      b.meeting(m);
      return;
    }
    auto known = meeting_known(view, m, *q.known_at_us, events, scratch);
    if (!known) {
      failed = known.error();
    } else if (*known != nullptr) {
      b.meeting(**known);
    }
  });
  if (failed) return *failed;
  return std::move(b).finish();
}

}  // namespace ikv::projections
