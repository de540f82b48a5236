#include "projections/roster_index.h"

#include <utility>

namespace ikv::projections {

RosterIndex::RosterIndex()
    : ids_(std::make_unique<Ids>()), members_(ids_.get()), current_(ids_.get()) {}

RosterIndex::RosterIndex(const RosterIndex& other)
    : ids_(std::make_unique<Ids>(*other.ids_)),
      members_(ids_.get()),
      current_(ids_.get()),
      sectors_(other.sectors_),
      sector_numbers_(other.sector_numbers_) {
  file_staged();
}

RosterIndex& RosterIndex::operator=(const RosterIndex& other) {
  if (this != &other) *this = RosterIndex(other);
  return *this;
}

const RosterIndex::List* RosterIndex::members_in(std::string_view sector) const {
  const auto number = sector_numbers_.find(sector);
  if (number == sector_numbers_.end()) return nullptr;
  const auto it = by_sector_.find(number->second);
  return it == by_sector_.end() || it->second.members.empty() ? nullptr : &it->second.members;
}

const RosterIndex::List* RosterIndex::current_in(std::string_view sector) const {
  const auto number = sector_numbers_.find(sector);
  if (number == sector_numbers_.end()) return nullptr;
  const auto it = by_sector_.find(number->second);
  return it == by_sector_.end() || it->second.current.empty() ? nullptr : &it->second.current;
}

std::map<std::string, std::size_t> RosterIndex::current_by_sector() const {
  std::map<std::string, std::size_t> out;
  for (const auto& [number, lists] : by_sector_) {
    if (!lists.current.empty()) out.emplace(sectors_[number], lists.current.size());
  }
  return out;
}

RosterIndex::Entry RosterIndex::entry(const domain::Date& joined_on, std::string_view sector,
                                      bool current) {
  auto number = sector_numbers_.find(sector);
  if (number == sector_numbers_.end()) {
    number =
        sector_numbers_.emplace(std::string(sector), static_cast<std::uint32_t>(sectors_.size()))
            .first;
    sectors_.emplace_back(sector);
  }
  return Entry{static_cast<std::int32_t>(domain::days_from_civil(domain::first_day(joined_on))),
               number->second, current};
}

RosterIndex::SectorLists& RosterIndex::lists_of(std::uint32_t sector) {
  auto it = by_sector_.find(sector);
  if (it == by_sector_.end()) it = by_sector_.emplace(sector, SectorLists(ids_.get())).first;
  return it->second;
}

void RosterIndex::file(std::uint32_t id, const Entry& e) {
  const List::Packed k = members_.pack(e.day, id);
  SectorLists& of_sector = lists_of(e.sector);
  members_.insert(k);
  of_sector.members.insert(k);
  if (e.current) {
    current_.insert(k);
    of_sector.current.insert(k);
  }
}

void RosterIndex::unfile(std::uint32_t id, const Entry& e) {
  const List::Packed k = members_.pack(e.day, id);
  SectorLists& of_sector = lists_of(e.sector);
  members_.erase(k);
  of_sector.members.erase(k);
  if (e.current) {
    current_.erase(k);
    of_sector.current.erase(k);
  }
}

void RosterIndex::put(std::string_view member_id, const domain::Date& joined_on,
                      std::string_view sector, bool current) {
  const Entry now = entry(joined_on, sector, current);
  auto [filed, added] = ids_->try_emplace(member_id, now);
  const std::uint32_t id = ids_->number_of_entry(*filed);
  if (!added) {
    if (*filed == now) return;  // filed as it is
    unfile(id, *filed);
    *filed = now;
  }
  file(id, now);
}

void RosterIndex::stage(std::string_view member_id, const domain::Date& joined_on,
                        std::string_view sector, bool current) {
  ids_->insert_or_assign(member_id, entry(joined_on, sector, current));
}

void RosterIndex::file_staged() {
  std::vector<List::Packed> every, now;
  every.reserve(ids_->size());
  std::map<std::uint32_t, std::vector<List::Packed>> of_sector, now_of_sector;
  ids_->for_each([&](std::string_view /*id*/, const Entry& e) {
    const List::Packed k = members_.pack(e.day, ids_->number_of_entry(e));
    every.push_back(k);
    of_sector[e.sector].push_back(k);
    if (e.current) {
      now.push_back(k);
      now_of_sector[e.sector].push_back(k);
    }
  });
  members_.assign(every);
  current_.assign(now);
  by_sector_.clear();
  for (auto& [sector, keys] : of_sector) lists_of(sector).members.assign(keys);
  for (auto& [sector, keys] : now_of_sector) lists_of(sector).current.assign(keys);
}

bool RosterIndex::operator==(const RosterIndex& other) const {
  if (ids_->size() != other.ids_->size()) return false;
  bool equal = true;
  ids_->for_each([&](std::string_view id, const Entry& e) {
    const Entry* theirs = other.ids_->find(id);
    equal = equal && theirs != nullptr && theirs->day == e.day && theirs->current == e.current &&
            other.sectors_[theirs->sector] == sectors_[e.sector];
  });
  return equal;
}

}  // namespace ikv::projections
