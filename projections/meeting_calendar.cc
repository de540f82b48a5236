#include "projections/meeting_calendar.h"

#include <algorithm>
#include <utility>

namespace ikv::projections {

namespace {

std::int32_t day_of(const domain::Date& date) {
  return static_cast<std::int32_t>(domain::days_from_civil(domain::first_day(date)));
}

}  // namespace

MeetingCalendar::MeetingCalendar() : ids_(std::make_unique<Ids>()), all_(ids_.get()) {}

MeetingCalendar::MeetingCalendar(const MeetingCalendar& other)
    : ids_(std::make_unique<Ids>(*other.ids_)), all_(ids_.get()), lists_(other.lists_) {
  file_staged();
}

MeetingCalendar& MeetingCalendar::operator=(const MeetingCalendar& other) {
  if (this != &other) *this = MeetingCalendar(other);
  return *this;
}

const MeetingCalendar::List* MeetingCalendar::of_network(std::string_view network) const {
  const auto it = by_network_.find(network);
  return it == by_network_.end() || it->second.of.empty() ? nullptr : &it->second.of;
}

const MeetingCalendar::List* MeetingCalendar::held_by(std::string_view network) const {
  const auto it = by_network_.find(network);
  return it == by_network_.end() || it->second.held.empty() ? nullptr : &it->second.held;
}

const MeetingCalendar::List* MeetingCalendar::scheduled_by(std::string_view network) const {
  const auto it = by_network_.find(network);
  return it == by_network_.end() || it->second.scheduled.empty() ? nullptr : &it->second.scheduled;
}

std::uint32_t MeetingCalendar::intern(const std::vector<std::string>& networks) {
  // Interned lists hold no repeats: one found as given has none.
  if (const auto known = lists_.find(networks)) return *known;
  std::vector<std::string> once;  // a network named twice is filed once
  once.reserve(networks.size());
  for (const std::string& n : networks) {
    if (std::find(once.begin(), once.end(), n) == once.end()) once.push_back(n);
  }
  return lists_.intern(once);
}

MeetingCalendar::Entry MeetingCalendar::entry(const domain::Date& date, bool held, bool scheduled,
                                              const std::vector<std::string>& networks) {
  return Entry{day_of(date), intern(networks), held, scheduled};
}

MeetingCalendar::List::Packed MeetingCalendar::key(std::uint32_t id, const Entry& e) const {
  return all_.pack(e.day, id);
}

MeetingCalendar::NetworkLists& MeetingCalendar::lists_of(const std::string& network) {
  auto it = by_network_.find(network);
  if (it == by_network_.end()) it = by_network_.emplace(network, NetworkLists(ids_.get())).first;
  return it->second;
}

void MeetingCalendar::file(std::uint32_t id, const Entry& e) {
  const List::Packed k = key(id, e);
  all_.insert(k);
  for (const std::string& n : lists_.at(e.networks)) {
    NetworkLists& l = lists_of(n);
    l.of.insert(k);
    if (e.held) l.held.insert(k);
    if (e.scheduled) l.scheduled.insert(k);
  }
}

void MeetingCalendar::unfile(std::uint32_t id, const Entry& e) {
  const List::Packed k = key(id, e);
  all_.erase(k);
  for (const std::string& n : lists_.at(e.networks)) {
    NetworkLists& l = lists_of(n);
    l.of.erase(k);
    if (e.held) l.held.erase(k);
    if (e.scheduled) l.scheduled.erase(k);
  }
}

void MeetingCalendar::put(std::string_view meeting_id, const domain::Date& date, bool held,
                          bool scheduled, const std::vector<std::string>& networks) {
  const Entry now = entry(date, held, scheduled, networks);
  auto [filed, added] = ids_->try_emplace(meeting_id, now);
  const std::uint32_t id = ids_->number_of_entry(*filed);
  if (!added) {
    if (*filed == now) return;  // filed as it is
    unfile(id, *filed);
    *filed = now;
  }
  file(id, now);
}

void MeetingCalendar::stage(std::string_view meeting_id, const domain::Date& date, bool held,
                            bool scheduled, const std::vector<std::string>& networks) {
  ids_->insert_or_assign(meeting_id, entry(date, held, scheduled, networks));
}

void MeetingCalendar::file_staged() {
  std::vector<List::Packed> every;
  every.reserve(ids_->size());
  std::map<std::string_view, std::vector<List::Packed>> of, held, scheduled;
  ids_->for_each([&](std::string_view /*id*/, const Entry& e) {
    const List::Packed k = key(ids_->number_of_entry(e), e);
    every.push_back(k);
    for (const std::string& n : lists_.at(e.networks)) {
      of[n].push_back(k);
      if (e.held) held[n].push_back(k);
      if (e.scheduled) scheduled[n].push_back(k);
    }
  });
  all_.assign(every);
  by_network_.clear();
  for (auto& [n, keys] : of) lists_of(std::string(n)).of.assign(keys);
  for (auto& [n, keys] : held) lists_of(std::string(n)).held.assign(keys);
  for (auto& [n, keys] : scheduled) lists_of(std::string(n)).scheduled.assign(keys);
}

bool MeetingCalendar::operator==(const MeetingCalendar& other) const {
  if (ids_->size() != other.ids_->size()) return false;
  bool equal = true;
  ids_->for_each([&](std::string_view id, const Entry& e) {
    const Entry* theirs = other.ids_->find(id);
    equal = equal && theirs != nullptr && theirs->day == e.day && theirs->held == e.held &&
            theirs->scheduled == e.scheduled &&
            other.lists_.at(theirs->networks) == lists_.at(e.networks);
  });
  return equal;
}

}  // namespace ikv::projections
