#include "projections/trend_counters.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>
#include <type_traits>

#include <boost/json.hpp>

#include "domain/streams.h"
#include "domain/text.h"

namespace ikv::projections {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDayBias = std::int64_t{1} << 31;

std::string_view id_of(std::string_view stream, std::string_view category) {
  if (stream.size() <= category.size() || !stream.starts_with(category) ||
      stream[category.size()] != '-') {
    return {};
  }
  return stream.substr(category.size() + 1);
}

std::int64_t day_of(const domain::Date& d) { return domain::days_from_civil(d); }

// The first day of the month holding `day`.
std::int64_t month_of(std::int64_t day) {
  const domain::Date d = domain::civil_from_days(day);
  return domain::days_from_civil(domain::Date{d.year, d.month, 1});
}

// The day after the month holding `day` ends.
std::int64_t next_month_of(std::int64_t day) {
  const domain::Date d = domain::civil_from_days(day);
  return d.month == 12 ? domain::days_from_civil(domain::Date{d.year + 1, 1, 1})
                       : domain::days_from_civil(domain::Date{d.year, d.month + 1, 1});
}

}  // namespace

std::uint32_t TrendCounters::Interned::id(std::string_view text) {
  if (auto it = ids.find(text); it != ids.end()) return it->second;
  const auto id = static_cast<std::uint32_t>(texts.size());
  texts.emplace_back(text);
  ids.emplace(texts.back(), id);
  return id;
}

std::optional<std::uint32_t> TrendCounters::Interned::find(std::string_view text) const {
  if (auto it = ids.find(text); it != ids.end()) return it->second;
  return std::nullopt;
}

namespace {

// A cell's place among the cells of its (network, day).
auto rank_of(std::uint8_t m, std::uint32_t code, std::uint32_t code2) {
  return std::tuple(m, code, code2);
}

}  // namespace

TrendCounters::Cell& TrendCounters::CellTable::at(std::uint32_t network, std::int64_t day,
                                                  Measure m, std::uint32_t code,
                                                  std::uint32_t code2) {
  if (network >= networks_.size()) networks_.resize(network + 1);
  std::vector<Cell>& cells = networks_[network][day];
  const auto want = rank_of(m, code, code2);
  auto it = std::lower_bound(cells.begin(), cells.end(), want, [](const Cell& c, const auto& w) {
    return rank_of(c.measure, c.code, c.code2) < w;
  });
  if (it == cells.end() || rank_of(it->measure, it->code, it->code2) != want) {
    Cell fresh;
    fresh.code = code;
    fresh.code2 = code2;
    fresh.measure = m;
    it = cells.insert(it, fresh);
    ++size_;
  }
  return *it;
}

TrendCounters::Cell* TrendCounters::CellTable::find(std::uint32_t network, std::int64_t day,
                                                    Measure m, std::uint32_t code,
                                                    std::uint32_t code2) {
  if (network >= networks_.size()) return nullptr;
  const auto d = networks_[network].find(day);
  if (d == networks_[network].end()) return nullptr;
  const auto want = rank_of(m, code, code2);
  const auto it = std::lower_bound(
      d->second.begin(), d->second.end(), want,
      [](const Cell& c, const auto& w) { return rank_of(c.measure, c.code, c.code2) < w; });
  if (it == d->second.end() || rank_of(it->measure, it->code, it->code2) != want) return nullptr;
  return &*it;
}

void TrendCounters::CellTable::drop_if_zero(std::uint32_t network, std::int64_t day,
                                            const Cell& c) {
  if (c.count != 0) return;
  Days& days = networks_[network];
  const auto d = days.find(day);
  std::vector<Cell>& cells = d->second;
  cells.erase(cells.begin() + (&c - cells.data()));
  --size_;
  if (cells.empty()) days.erase(d);
}

TrendCounters::Key TrendCounters::key(std::uint32_t network, std::int64_t day, const Cell& c) {
  const auto biased = static_cast<std::uint64_t>(
      std::clamp<std::int64_t>(day + kDayBias, 0, std::numeric_limits<std::uint32_t>::max()));
  return {(static_cast<std::uint64_t>(network) << 48) | (biased << 16) | c.measure,
          (static_cast<std::uint64_t>(c.code) << 32) | c.code2};
}

void TrendCounters::count(std::uint32_t network, std::int64_t day, Measure m, std::uint32_t code,
                          std::uint32_t code2) {
  ++cells_.at(network, day, m, code, code2).count;
  ++month_cells_.at(network, month_of(day), m, code, code2).count;
}

void TrendCounters::uncount(std::uint32_t network, std::int64_t day, Measure m, std::uint32_t code,
                            std::uint32_t code2) {
  for (auto [cells, at] : {std::pair{&cells_, day}, std::pair{&month_cells_, month_of(day)}}) {
    if (Cell* c = cells->find(network, at, m, code, code2)) {
      --c->count;
      cells->drop_if_zero(network, at, *c);
    }
  }
}

void TrendCounters::add(std::uint32_t network, std::int64_t day, Measure m, std::int64_t n) {
  if (n == 0) return;
  for (auto [cells, at] : {std::pair{&cells_, day}, std::pair{&month_cells_, month_of(day)}}) {
    Cell& c = cells->at(network, at, m);
    c.count += n;
    cells->drop_if_zero(network, at, c);
  }
}

void TrendCounters::count_meeting(const HeldMeeting& m, int sign) {
  for (const std::uint32_t network : code_lists_.at(m.networks)) {
    add(network, m.day, kAttendance, sign * m.attendance);
    if (sign > 0) {
      count(network, m.day, kMeetingsHeld, m.format);
      for (const std::uint32_t theme : code_lists_.at(m.themes)) {
        count(network, m.day, kMeetingThemes, theme);
      }
    } else {
      uncount(network, m.day, kMeetingsHeld, m.format);
      for (const std::uint32_t theme : code_lists_.at(m.themes)) {
        uncount(network, m.day, kMeetingThemes, theme);
      }
    }
  }
}

void TrendCounters::retract(std::uint32_t network, const std::string& observation_id) {
  Observation* found = observations_.find(observation_id);
  if (found == nullptr || found->network != network) return;
  const Observation o = *found;
  observations_.erase(observation_id);
  uncount(network, o.day, kObservations, o.theme);
  for (const auto& [group, spelling] : group_lists_.at(o.groups)) {
    for (const bool month : {false, true}) {
      CellTable& cells = month ? month_cells_ : cells_;
      const std::int64_t at = month ? month_of(o.day) : o.day;
      Cell* c = cells.find(network, at, kTargetGroups, o.theme, group);
      if (c == nullptr) continue;
      if (--c->count == 0) {
        cells.drop_if_zero(network, at, *c);
      } else if (c->spelling == spelling && c->spelled_at_us == o.recorded_at_us) {
        respell(*c, network, at, month, o.theme, group);
      }
    }
  }
}

void TrendCounters::respell(Cell& c, std::uint32_t network, std::int64_t at, bool month,
                            std::uint32_t theme, std::uint32_t group) const {
  bool found = false;
  observations_.for_each([&](std::string_view /*id*/, const Observation& o) {
    if (o.network != network || o.theme != theme || (month ? month_of(o.day) : o.day) != at) {
      return;
    }
    for (const auto& [g, spelling] : group_lists_.at(o.groups)) {
      if (g != group) continue;
      if (!found ||
          std::make_pair(o.recorded_at_us, std::string_view(spellings_.texts[spelling])) <
              std::make_pair(c.spelled_at_us, std::string_view(spellings_.texts[c.spelling]))) {
        c.spelled_at_us = o.recorded_at_us;
        c.spelling = spelling;
        found = true;
      }
    }
  });
}

void TrendCounters::Cell::spell(std::int64_t at_us, std::uint32_t id, const Interned& spellings) {
  if (count == 0 ||
      std::make_pair(at_us, std::string_view(spellings.texts[id])) <
          std::make_pair(spelled_at_us, std::string_view(spellings.texts[spelling]))) {
    spelled_at_us = at_us;
    spelling = id;
  }
}

void TrendCounters::rebuild_months() {
  month_cells_.clear();
  cells_.for_each([&](std::uint32_t network, std::int64_t day, const Cell& c) {
    Cell& into = month_cells_.at(network, month_of(day), c.measure, c.code, c.code2);
    if (c.count > 0 && c.measure == kTargetGroups) {
      into.spell(c.spelled_at_us, c.spelling, spellings_);
    }
    into.count += c.count;
  });
}

void TrendCounters::coverage(const Member& m, int sign) {
  // A total of 0 stays while the (network, sector) has changes: its members
  // may all have left, yet they counted on the days before.
  const auto add = [this](CoverageKey k, std::int64_t delta) {
    auto it = coverage_.try_emplace(k, 0).first;
    it->second += delta;
    if (it->second == 0) coverage_.erase(it);
    const auto [network, sector, day] = k;
    curve_change(network, day, delta);
    auto total = coverage_totals_.try_emplace({network, sector}, 0).first;
    total->second += delta;
    const auto first =
        coverage_.lower_bound({network, sector, std::numeric_limits<std::int64_t>::min()});
    if (total->second == 0 && (first == coverage_.end() || std::get<0>(first->first) != network ||
                               std::get<1>(first->first) != sector)) {
      coverage_totals_.erase(total);
    }
  };
  add({m.network, m.sector, m.joined_day}, sign);
  if (m.left_day) add({m.network, m.sector, *m.left_day}, -sign);
}

void TrendCounters::curve_change(std::uint32_t network, std::int64_t day, std::int64_t delta) {
  for (auto [sums, at] :
       {std::pair{&member_days_, day}, std::pair{&member_months_, month_of(day)}}) {
    auto it = sums->try_emplace({network, at}, 0).first;
    it->second += delta;
    if (it->second == 0) sums->erase(it);
  }
}

std::size_t TrendCounters::members_on(std::uint32_t network, std::int64_t day) const {
  const std::int64_t month = month_of(day);
  std::int64_t n = 0;
  for (auto it = member_months_.lower_bound({network, std::numeric_limits<std::int64_t>::min()});
       it != member_months_.end() && it->first.first == network && it->first.second < month; ++it) {
    n += it->second;
  }
  for (auto it = member_days_.lower_bound({network, month});
       it != member_days_.end() && it->first.first == network && it->first.second <= day; ++it) {
    n += it->second;
  }
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void TrendCounters::apply(const eventstore::RecordedEvent& meta, const domain::Event& event) {
  if (meta.stream == domain::kNationalStream) {
    // The national findings, under the network id "" (no network's: ids are slugs).
    if (const auto* e = std::get_if<domain::ObservationRecorded>(&event)) {
      const std::uint32_t national = networks_.id("");
      const Observation* seen = observations_.find(e->observation_id);
      if (seen != nullptr && seen->network == national) return;  // as the view
      apply_network(national, meta, event);
    } else if (std::holds_alternative<domain::ObservationRetracted>(event)) {
      if (const auto national = networks_.find("")) apply_network(*national, meta, event);
    }
    return;
  }
  if (const auto network = id_of(meta.stream, domain::kNetworkCategory); !network.empty()) {
    if (const auto* e = std::get_if<domain::NetworkEstablished>(&event)) {
      if (e->network_id != network) return;
      const std::uint32_t id = networks_.id(network);
      if (established_.size() <= id) established_.resize(id + 1, false);
      established_[id] = true;
      return;
    }
    const auto id = networks_.find(network);
    if (!id || *id >= established_.size() || !established_[*id]) return;
    apply_network(*id, meta, event);
  } else if (const auto meeting = id_of(meta.stream, domain::kMeetingCategory); !meeting.empty()) {
    apply_meeting(meeting, event);
  }
}

void TrendCounters::apply_network(std::uint32_t network, const eventstore::RecordedEvent& meta,
                                  const domain::Event& event) {
  if (const auto* e = std::get_if<domain::MemberJoined>(&event)) {
    Member m{network, codes_.id(e->sector), day_of(e->joined_on), std::nullopt};
    if (!members_.try_emplace(e->member_id, m).second) return;
    count(network, m.joined_day, kMembersJoined);
    coverage(m, +1);
  } else if (const auto* e = std::get_if<domain::MemberLeft>(&event)) {
    Member* m = members_.find(e->member_id);
    if (m == nullptr || m->network != network || m->left_day) return;
    coverage(*m, -1);
    m->left_day = day_of(e->left_on);
    coverage(*m, +1);
    count(network, *m->left_day, kMembersLeft);
  } else if (const auto* e = std::get_if<domain::MemberDetailsChanged>(&event)) {
    Member* m = members_.find(e->member_id);
    if (m == nullptr || m->network != network || !e->sector) return;
    coverage(*m, -1);
    m->sector = codes_.id(*e->sector);
    coverage(*m, +1);
  } else if (const auto* e = std::get_if<domain::ObservationRecorded>(&event)) {
    const std::int64_t day = day_of(e->observed_on);
    const std::uint32_t theme = codes_.id(e->theme);
    // Remembered for a retraction (the first of an id seen twice, as the view does).
    Observation o{network, theme, day, meta.recorded_at_us, 0};
    GroupList groups;
    count(network, day, kObservations, theme);
    for (const std::string& group : e->target_groups) {
      const std::string_view text = domain::trim(group);
      if (text.empty()) continue;
      const std::uint32_t g = groups_.id(domain::to_lower_ascii(text));
      // One observation counts a group once (its few groups, searched).
      if (std::any_of(groups.begin(), groups.end(), [&](const auto& x) { return x.first == g; })) {
        continue;
      }
      const std::uint32_t spelling = spellings_.id(text);
      groups.emplace_back(g, spelling);
      for (Cell* c : {&cells_.at(network, day, kTargetGroups, theme, g),
                      &month_cells_.at(network, month_of(day), kTargetGroups, theme, g)}) {
        c->spell(meta.recorded_at_us, spelling, spellings_);
        ++c->count;
      }
    }
    o.groups = group_lists_.intern(groups);
    observations_.try_emplace(e->observation_id, o);
  } else if (const auto* e = std::get_if<domain::ObservationRetracted>(&event)) {
    retract(network, e->observation_id);
  } else if (const auto* e = std::get_if<domain::WishRecorded>(&event)) {
    count(network, day_of(e->recorded_on), kWishes, codes_.id(domain::to_string(e->kind)));
  } else if (const auto* e = std::get_if<domain::TrainingRequested>(&event)) {
    count(network, day_of(e->requested_on), kTrainingRequested);
  } else if (const auto* e = std::get_if<domain::TrainingDelivered>(&event)) {
    count(network, day_of(e->delivered_on), kTrainingDelivered);
  }
}

void TrendCounters::apply_meeting(std::string_view meeting_id, const domain::Event& event) {
  if (const auto* e = std::get_if<domain::MeetingScheduled>(&event)) {
    if (e->meeting_id != meeting_id || pending_.contains(e->meeting_id)) return;
    PendingMeeting m;
    m.network = networks_.id(e->network_id);
    std::vector<std::uint32_t> joint;
    for (const std::string& j : e->joint_with) joint.push_back(networks_.id(j));
    m.joint_with = code_lists_.intern(joint);
    m.format = codes_.id(e->format.value_or(""));  // "": not known yet
    pending_.try_emplace(e->meeting_id, m);
    return;
  }
  if (const auto* e = std::get_if<domain::MeetingRecordAmended>(&event)) {
    HeldMeeting* held = held_.find(meeting_id);
    if (held == nullptr) return;
    count_meeting(*held, -1);
    held->day = day_of(e->held_on);
    if (e->format) held->format = codes_.id(*e->format);
    std::vector<std::uint32_t> themes;
    for (const std::string& theme : e->themes) themes.push_back(codes_.id(theme));
    held->attendance = e->attendee_count.value_or(static_cast<int>(e->attendees.size()));
    std::sort(themes.begin(), themes.end());
    themes.erase(std::unique(themes.begin(), themes.end()), themes.end());
    held->themes = code_lists_.intern(themes);
    count_meeting(*held, +1);
    return;
  }
  PendingMeeting* pending = pending_.find(meeting_id);
  if (pending == nullptr) return;
  if (const auto* e = std::get_if<domain::MeetingRescheduled>(&event)) {
    if (e->format) pending->format = codes_.id(*e->format);
  } else if (std::holds_alternative<domain::MeetingCancelled>(event)) {
    pending_.erase(meeting_id);
  } else if (const auto* e = std::get_if<domain::MeetingHeld>(&event)) {
    const PendingMeeting& m = *pending;
    std::set<std::uint32_t> networks{m.network};
    networks.insert(code_lists_.at(m.joint_with).begin(), code_lists_.at(m.joint_with).end());
    std::set<std::uint32_t> themes;
    for (const std::string& theme : e->themes) themes.insert(codes_.id(theme));
    HeldMeeting h{code_lists_.intern({networks.begin(), networks.end()}),
                  e->format ? codes_.id(*e->format) : m.format,  // the format held wins
                  day_of(e->held_on), code_lists_.intern({themes.begin(), themes.end()}),
                  e->attendee_count.value_or(static_cast<int>(e->attendees.size()))};
    count_meeting(h, +1);
    held_.insert_or_assign(meeting_id, h);
    pending_.erase(meeting_id);
  }
}

TrendReport TrendCounters::report(const TrendQuery& q) const {
  const std::int64_t from = day_of(q.from.value_or(domain::Date{1, 1, 1}));
  const std::int64_t to = day_of(q.to.value_or(q.today));
  if (to < from) return {};  // `from` after today, with no `to`: nothing counts
  // The theme filter as a code id; one nothing was ever counted under
  // matches no cell.
  const bool by_theme = q.theme.has_value();
  const std::uint32_t theme =
      by_theme ? codes_.find(*q.theme).value_or(std::numeric_limits<std::uint32_t>::max()) : 0;

  struct Period {
    TrendPeriod p;
    std::map<std::uint32_t, std::size_t> groups;  // by group key id
  };
  using PeriodKey = std::pair<std::string, std::string>;  // period, network
  std::map<PeriodKey, Period> periods;
  // Per group: the earliest spelling among the cells counted.
  std::map<std::uint32_t, std::pair<std::int64_t, std::string_view>> spelling;
  std::map<std::string, std::set<std::string>> theme_networks;
  std::set<std::string> national_themes;
  // Periods of the days seen, so each day's text is made once.
  std::unordered_map<std::int64_t, std::string> period_of_day;

  // Every network and the national findings (network "", only without a network filter).
  std::vector<std::uint32_t> wanted;
  if (q.network) {
    if (auto id = networks_.find(*q.network)) wanted.push_back(*id);
  } else {
    for (std::uint32_t id = 0; id < networks_.texts.size(); ++id) wanted.push_back(id);
  }
  const auto tally = [&](const std::string& network_id, std::int64_t day, const Cell& c) {
    if (c.count == 0) return;
    const Measure measure = c.measure;
    const std::uint32_t code = c.code;
    const std::uint32_t code2 = c.code2;
    const bool themed =
        measure == kObservations || measure == kTargetGroups || measure == kMeetingThemes;
    if (themed && by_theme && code != theme) return;
    auto [pd, fresh] = period_of_day.try_emplace(day);
    if (fresh) pd->second = period_of(domain::civil_from_days(day), q.granularity);
    Period& p = periods[{pd->second, network_id}];
    if (p.p.period.empty()) {
      p.p.period = pd->second;
      p.p.network = network_id;
      p.p.national = network_id.empty();
    }
    const auto n = static_cast<std::size_t>(c.count);
    switch (measure) {
      case kObservations:
        p.p.observations[codes_.texts[code]] += n;
        if (network_id.empty()) {
          national_themes.insert(codes_.texts[code]);
        } else {
          theme_networks[codes_.texts[code]].insert(network_id);
        }
        break;
      case kTargetGroups: {
        p.groups[code2] += n;
        const std::string_view text = spellings_.texts[c.spelling];
        auto [s, first] = spelling.try_emplace(code2, c.spelled_at_us, text);
        if (!first && std::make_pair(c.spelled_at_us, text) < s->second) {
          s->second = {c.spelled_at_us, text};
        }
        break;
      }
      case kMeetingsHeld:
        p.p.meetings_held[codes_.texts[code]] += n;
        break;
      case kMeetingThemes:
        p.p.meeting_themes[codes_.texts[code]] += n;
        break;
      case kMembersJoined:
        p.p.members_joined += n;
        break;
      case kMembersLeft:
        p.p.members_left += n;
        break;
      case kTrainingRequested:
        p.p.training_requested += n;
        break;
      case kTrainingDelivered:
        p.p.training_delivered += n;
        break;
      case kAttendance:
        p.p.attendance += n;
        break;
      case kWishes:
        p.p.wishes[codes_.texts[code]] += n;
        break;
    }
  };
  // Whole months inside [from, to] are read from the month cells (a month
  // lies in one period at every granularity), the days of a month cut by
  // `from` or `to` from the day cells.
  const std::int64_t first_whole = from == month_of(from) ? from : next_month_of(from);
  const std::int64_t after_whole = next_month_of(to) == to + 1 ? to + 1 : month_of(to);
  for (const std::uint32_t network : wanted) {
    const std::string& network_id = networks_.texts[network];
    const auto read = [&](const CellTable& cells, std::int64_t lo, std::int64_t hi) {
      cells.for_days(network, lo, hi,
                     [&](std::uint32_t /*network*/, std::int64_t day, const Cell& c) {
                       tally(network_id, day, c);
                     });
    };
    if (first_whole < after_whole) {
      read(cells_, from, first_whole - 1);
      read(month_cells_, first_whole, after_whole - 1);
      read(cells_, after_whole, to);
    } else {
      read(cells_, from, to);
    }
  }
  TrendReport r;
  for (auto& [k, p] : periods) {
    for (const auto& [group, n] : p.groups)
      p.p.target_groups[std::string(spelling.at(group).second)] += n;
    r.periods.push_back(std::move(p.p));
  }
  // members_at_end: the coverage changes of each network, all sectors.
  const MembersOn members{[this](std::string_view network, std::int64_t day) -> std::size_t {
                            const auto id = networks_.find(network);
                            return id ? members_on(*id, day) : 0;
                          },
                          [this](std::int64_t day) {
                            std::size_t n = 0;
                            for (std::uint32_t id = 0; id < networks_.texts.size(); ++id) {
                              n += members_on(id, day);
                            }
                            return n;
                          }};
  finish_periods(r.periods, q, members, !q.network.has_value());
  rank_themes(r, theme_networks, national_themes,
              q.taxonomy != nullptr ? *q.taxonomy : domain::builtin_taxonomy());
  return r;
}

std::map<std::string, std::size_t> TrendCounters::members_by_sector_on(
    std::string_view network, const domain::Date& d) const {
  std::map<std::string, std::size_t> out;
  const auto id = networks_.find(network);
  if (!id) return out;
  const std::int64_t day = day_of(d);
  // Everything counted ever, less the changes dated after `day` (few: facts
  // are seldom dated in the future).
  std::map<std::uint32_t, std::int64_t> by_sector;
  for (auto t = coverage_totals_.lower_bound({*id, 0});
       t != coverage_totals_.end() && t->first.first == *id; ++t) {
    const std::uint32_t sector = t->first.second;
    std::int64_t n = t->second;
    for (auto it = coverage_.lower_bound({*id, sector, day + 1});
         it != coverage_.end() && std::get<0>(it->first) == *id && std::get<1>(it->first) == sector;
         ++it) {
      n -= it->second;
    }
    by_sector[sector] = n;
  }
  for (const auto& [sector, n] : by_sector) {
    if (n > 0) out[codes_.texts[sector]] = static_cast<std::size_t>(n);
  }
  return out;
}

// ---- snapshot section ----
//
// section := interned networks | established | interned codes | interned groups
//            | interned spellings | cells | coverage | pending meetings | members
// interned := list of string (ids in order)
// established := list of boolean
// cells    := list of (varint key.first | varint key.second | svarint count
//             | svarint spelled_at_us | varint spelling)
// coverage := list of (varint network | varint sector | svarint day | svarint delta)
// pending  := list of (string meeting id | varint network | list of varint joint
//             | varint format)
// members  := list of (string member id | varint network | varint sector
//             | svarint joined day | optional svarint left day)
// held     := list of (string meeting id | list of varint network | varint format
//             | svarint day | list of varint theme | svarint attendance)
// observations := list of (string observation id | varint network | svarint day
//             | varint theme | list of (varint group | varint spelling)
//             | svarint recorded_at_us)

void TrendCounters::save(SnapshotWriter& out, PersonalPieces& /*pieces*/) const {
  const auto interned = [&out](const Interned& in) { out.strings(in.texts); };
  interned(networks_);
  out.varint(established_.size());
  for (const bool b : established_) out.boolean(b);
  interned(codes_);
  interned(groups_);
  interned(spellings_);
  out.varint(cells_.size());
  cells_.for_each([&](std::uint32_t network, std::int64_t day, const Cell& c) {
    const Key k = key(network, day, c);
    out.varint(k.first);
    out.varint(k.second);
    out.svarint(c.count);
    out.svarint(c.spelled_at_us);
    out.varint(c.spelling);
  });
  out.varint(coverage_.size());
  for (const auto& [k, delta] : coverage_) {
    out.varint(std::get<0>(k));
    out.varint(std::get<1>(k));
    out.svarint(std::get<2>(k));
    out.svarint(delta);
  }
  // Hash maps in key order, so equal units save equal bytes.
  const std::map<std::string_view, const PendingMeeting*> pending = pending_.sorted();
  out.varint(pending.size());
  for (const auto& [id, m] : pending) {
    out.string(id);
    out.varint(m->network);
    const auto& joint = code_lists_.at(m->joint_with);
    out.varint(joint.size());
    for (const std::uint32_t j : joint) out.varint(j);
    out.varint(m->format);
  }
  const std::map<std::string_view, const Member*> members = members_.sorted();
  out.varint(members.size());
  for (const auto& [id, m] : members) {
    out.string(id);
    out.varint(m->network);
    out.varint(m->sector);
    out.svarint(m->joined_day);
    out.optional_svarint(m->left_day);
  }
  const std::map<std::string_view, const HeldMeeting*> held = held_.sorted();
  out.varint(held.size());
  for (const auto& [id, m] : held) {
    out.string(id);
    const auto& networks = code_lists_.at(m->networks);
    out.varint(networks.size());
    for (const std::uint32_t n : networks) out.varint(n);
    out.varint(m->format);
    out.svarint(m->day);
    const auto& themes = code_lists_.at(m->themes);
    out.varint(themes.size());
    for (const std::uint32_t t : themes) out.varint(t);
    out.svarint(m->attendance);
  }
  const std::map<std::string_view, const Observation*> observations = observations_.sorted();
  out.varint(observations.size());
  for (const auto& [id, o] : observations) {
    out.string(id);
    out.varint(o->network);
    out.svarint(o->day);
    out.varint(o->theme);
    const GroupList& groups = group_lists_.at(o->groups);
    out.varint(groups.size());
    for (const auto& [g, spelling] : groups) {
      out.varint(g);
      out.varint(spelling);
    }
    out.svarint(o->recorded_at_us);
  }
}

// What an id takes, for reserving id maps before a load (UUIDs; a guess:
// the maps grow past it as needed).
constexpr std::size_t kTypicalIdBytes = 36;

bool TrendCounters::load(SnapshotReader& in, const OpenedPieces& /*opened*/) {
  const auto interned = [&in](Interned& into) {
    into.texts = in.strings();
    into.ids.clear();
    for (std::uint32_t i = 0; i < into.texts.size(); ++i) {
      if (!into.ids.emplace(into.texts[i], i).second) in.fail();
    }
  };
  const auto u32 = [&in](std::uint64_t v, std::size_t bound) {
    if (v >= bound) in.fail();
    return static_cast<std::uint32_t>(v);
  };
  interned(networks_);
  established_.resize(in.count());
  for (auto&& established : established_) established = in.boolean();
  interned(codes_);
  interned(groups_);
  interned(spellings_);
  for (std::size_t i = 0, n = in.count(); i < n && in.ok(); ++i) {
    const std::uint64_t first = in.varint();
    const std::uint64_t second = in.varint();
    const auto network = u32(first >> 48, networks_.texts.size());
    const std::int64_t day = static_cast<std::int64_t>((first >> 16) & 0xffffffffu) - kDayBias;
    const auto measure = static_cast<Measure>(u32(first & 0xffff, kWishes + 1));
    Cell& c = cells_.at(network, day, measure, static_cast<std::uint32_t>(second >> 32),
                        static_cast<std::uint32_t>(second & 0xffffffffu));
    c.count = in.svarint();
    c.spelled_at_us = in.svarint();
    c.spelling = u32(in.varint(), std::max<std::size_t>(spellings_.texts.size(), 1));
  }
  for (std::size_t i = 0, n = in.count(); i < n && in.ok(); ++i) {
    const std::uint32_t network = u32(in.varint(), networks_.texts.size());
    const std::uint32_t sector = u32(in.varint(), codes_.texts.size());
    const std::int64_t day = in.svarint();
    const std::int64_t delta = in.svarint();
    coverage_.emplace_hint(coverage_.end(), CoverageKey{network, sector, day}, delta);
    coverage_totals_[{network, sector}] += delta;
    curve_change(network, day, delta);
  }
  std::vector<std::uint32_t> list;  // reused for each list read
  GroupList groups;
  for (std::size_t i = 0, n = in.count(); i < n && in.ok(); ++i) {
    if (i == 0) pending_.reserve(n, n * kTypicalIdBytes);
    const std::string_view id = in.slice();
    PendingMeeting m;
    m.network = u32(in.varint(), networks_.texts.size());
    list.clear();
    for (std::size_t j = 0, joints = in.count(); j < joints && in.ok(); ++j) {
      list.push_back(u32(in.varint(), networks_.texts.size()));
    }
    m.joint_with = code_lists_.intern(list);
    m.format = u32(in.varint(), codes_.texts.size());
    pending_.try_emplace(id, m);
  }
  for (std::size_t i = 0, n = in.count(); i < n && in.ok(); ++i) {
    if (i == 0) members_.reserve(n, n * kTypicalIdBytes);
    const std::string_view id = in.slice();
    Member m;
    m.network = u32(in.varint(), networks_.texts.size());
    m.sector = u32(in.varint(), codes_.texts.size());
    m.joined_day = in.svarint();
    m.left_day = in.optional_svarint();
    members_.try_emplace(id, m);
  }
  for (std::size_t i = 0, n = in.count(); i < n && in.ok(); ++i) {
    if (i == 0) held_.reserve(n, n * kTypicalIdBytes);
    const std::string_view id = in.slice();
    HeldMeeting m;
    list.clear();
    for (std::size_t j = 0, count = in.count(); j < count && in.ok(); ++j) {
      list.push_back(u32(in.varint(), networks_.texts.size()));
    }
    m.networks = code_lists_.intern(list);
    m.format = u32(in.varint(), codes_.texts.size());
    m.day = in.svarint();
    list.clear();
    for (std::size_t j = 0, count = in.count(); j < count && in.ok(); ++j) {
      list.push_back(u32(in.varint(), codes_.texts.size()));
    }
    m.themes = code_lists_.intern(list);
    m.attendance = in.svarint();
    held_.try_emplace(id, m);
  }
  for (std::size_t i = 0, n = in.count(); i < n && in.ok(); ++i) {
    if (i == 0) observations_.reserve(n, n * kTypicalIdBytes);
    const std::string_view id = in.slice();
    Observation o;
    o.network = u32(in.varint(), networks_.texts.size());
    o.day = in.svarint();
    o.theme = u32(in.varint(), codes_.texts.size());
    groups.clear();
    for (std::size_t j = 0, count = in.count(); j < count && in.ok(); ++j) {
      const std::uint32_t g = u32(in.varint(), groups_.texts.size());
      groups.emplace_back(g, u32(in.varint(), spellings_.texts.size()));
    }
    o.groups = group_lists_.intern(groups);
    o.recorded_at_us = in.svarint();
    observations_.try_emplace(id, o);
  }
  pending_.shrink_to_fit();
  members_.shrink_to_fit();
  held_.shrink_to_fit();
  observations_.shrink_to_fit();
  if (in.ok()) rebuild_months();
  return in.ok();
}

bool TrendCounters::operator==(const TrendCounters& o) const {
  if (!(networks_ == o.networks_ && established_ == o.established_ && codes_ == o.codes_ &&
        groups_ == o.groups_ && spellings_ == o.spellings_ && cells_ == o.cells_ &&
        month_cells_ == o.month_cells_ && coverage_ == o.coverage_ &&
        coverage_totals_ == o.coverage_totals_ && members_ == o.members_ &&
        pending_.size() == o.pending_.size() && held_.size() == o.held_.size() &&
        observations_.size() == o.observations_.size())) {
    return false;
  }
  // Entries by the lists their numbers name.
  bool equal = true;
  pending_.for_each([&](std::string_view id, const PendingMeeting& m) {
    const PendingMeeting* t = o.pending_.find(id);
    equal = equal && t != nullptr && t->network == m.network && t->format == m.format &&
            o.code_lists_.at(t->joint_with) == code_lists_.at(m.joint_with);
  });
  held_.for_each([&](std::string_view id, const HeldMeeting& m) {
    const HeldMeeting* t = o.held_.find(id);
    equal = equal && t != nullptr && t->format == m.format && t->day == m.day &&
            t->attendance == m.attendance &&
            o.code_lists_.at(t->networks) == code_lists_.at(m.networks) &&
            o.code_lists_.at(t->themes) == code_lists_.at(m.themes);
  });
  observations_.for_each([&](std::string_view id, const Observation& x) {
    const Observation* t = o.observations_.find(id);
    equal = equal && t != nullptr && t->network == x.network && t->theme == x.theme &&
            t->day == x.day && t->recorded_at_us == x.recorded_at_us &&
            o.group_lists_.at(t->groups) == group_lists_.at(x.groups);
  });
  return equal;
}

json::value TrendCounters::dump() const {
  json::array cells;
  cells_.for_each([&](std::uint32_t network, std::int64_t day, const Cell& c) {
    const Key k = key(network, day, c);
    cells.push_back(json::array{k.first, k.second, c.count, c.spelled_at_us,
                                c.spelling < spellings_.texts.size()
                                    ? json::value(spellings_.texts[c.spelling])
                                    : json::value(nullptr)});
  });
  json::array coverage;
  for (const auto& [k, delta] : coverage_) {
    coverage.push_back(json::array{networks_.texts.at(std::get<0>(k)),
                                   codes_.texts.at(std::get<1>(k)), std::get<2>(k), delta});
  }
  const std::map<std::string_view, const PendingMeeting*> pending = pending_.sorted();
  json::object meetings;
  for (const auto& [id, m] : pending) {
    json::array joint;
    for (const std::uint32_t j : code_lists_.at(m->joint_with)) {
      joint.emplace_back(networks_.texts.at(j));
    }
    meetings[id] = json::object{{"network", networks_.texts.at(m->network)},
                                {"joint_with", std::move(joint)},
                                {"format", codes_.texts.at(m->format)}};
  }
  const std::map<std::string_view, const Member*> sorted = members_.sorted();
  json::object members;
  for (const auto& [id, m] : sorted) {
    members[id] =
        json::array{networks_.texts.at(m->network), codes_.texts.at(m->sector), m->joined_day,
                    m->left_day ? json::value(*m->left_day) : json::value(nullptr)};
  }
  const std::map<std::string_view, const HeldMeeting*> held_sorted = held_.sorted();
  json::object held;
  for (const auto& [id, m] : held_sorted) {
    json::array nets;
    for (const std::uint32_t n : code_lists_.at(m->networks)) {
      nets.emplace_back(networks_.texts.at(n));
    }
    json::array themes;
    for (const std::uint32_t t : code_lists_.at(m->themes)) themes.emplace_back(codes_.texts.at(t));
    held[id] = json::object{{"networks", std::move(nets)},
                            {"format", codes_.texts.at(m->format)},
                            {"day", m->day},
                            {"themes", std::move(themes)},
                            {"attendance", m->attendance}};
  }
  const std::map<std::string_view, const Observation*> observations_sorted = observations_.sorted();
  json::object observations;
  for (const auto& [id, o] : observations_sorted) {
    json::array groups;
    for (const auto& [g, spelling] : group_lists_.at(o->groups)) {
      groups.push_back(json::array{groups_.texts.at(g), spellings_.texts.at(spelling)});
    }
    observations[id] = json::object{{"network", networks_.texts.at(o->network)},
                                    {"day", o->day},
                                    {"theme", codes_.texts.at(o->theme)},
                                    {"groups", std::move(groups)},
                                    {"recorded_at_us", o->recorded_at_us}};
  }
  json::array networks;
  for (const auto& n : networks_.texts) networks.emplace_back(n);
  json::array established;
  for (const bool b : established_) established.emplace_back(b);
  json::array codes;
  for (const auto& c : codes_.texts) codes.emplace_back(c);
  return json::object{{"networks", std::move(networks)},
                      {"established", std::move(established)},
                      {"codes", std::move(codes)},
                      {"cells", std::move(cells)},
                      {"coverage", std::move(coverage)},
                      {"pending_meetings", std::move(meetings)},
                      {"members", std::move(members)},
                      {"held_meetings", std::move(held)},
                      {"observations", std::move(observations)}};
}

}  // namespace ikv::projections
