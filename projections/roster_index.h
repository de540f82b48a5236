// RosterIndex: a network's members in roster order, the first day of the
// month or day they joined and then their id, as GET .../members pages them:
// every member ever, the current ones (joined, not left), and both per
// sector. Derived data kept in NetworkIndexes beside the member records and
// filed again after a snapshot load (NetworkRecord::rebuild_indexes).
//
// Layout, flat: each member id once in an IdMap (a number per id) with an
// 8-byte entry (its day, its sector as a number, whether current); each list
// is a DayIdList (day_id_list.h) of 16-byte keys, ordered exactly as the
// sort-key text "<YYYY-MM-DD>\0<member id>" (paging.h) cursors carry. Where
// four sets of such texts cost a node, a string and its allocation per key,
// a key here costs 16 bytes. Iterators yield DayIdKey values whose id views
// the index's own ids: valid until the index next changes.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   roster.put("m-1", joined_on, "police", /*current=*/true);
//   const RosterIndex::List& police = *roster.current_in("police");
//   for (auto it = start_after(police, page); it != police.end(); ++it) show(it->id);
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/id_map.h"
#include "domain/date.h"
#include "projections/day_id_list.h"

namespace ikv::projections {

class RosterIndex {
  struct Entry {
    std::int32_t day = 0;
    std::uint32_t sector = 0;  // in sectors_
    bool current = false;
    bool operator==(const Entry&) const = default;
  };
  using Ids = IdMap<Entry>;

 public:
  using List = DayIdList<Ids>;

  RosterIndex();
  RosterIndex(const RosterIndex& other);
  RosterIndex& operator=(const RosterIndex& other);
  RosterIndex(RosterIndex&&) noexcept = default;
  RosterIndex& operator=(RosterIndex&&) noexcept = default;
  ~RosterIndex() = default;

  // Every member ever filed; the current ones.
  const List& members() const { return members_; }
  const List& current() const { return current_; }
  // Those of sector `sector`; nullptr when it has none (ever, or now).
  const List* members_in(std::string_view sector) const;
  const List* current_in(std::string_view sector) const;
  // Current members per sector code; sectors with none are absent.
  std::map<std::string, std::size_t> current_by_sector() const;

  // Files member `member_id` under its join date, sector and whether it is
  // current, replacing what was filed for it before.
  void put(std::string_view member_id, const domain::Date& joined_on, std::string_view sector,
           bool current);
  // Filing many members at once (a snapshot load): stage() each, then
  // file_staged() builds every list from its keys sorted, instead of one
  // insertion per key. REQUIRES: no put() or query between the two.
  void stage(std::string_view member_id, const domain::Date& joined_on, std::string_view sector,
             bool current);
  void file_staged();

  // The same members filed under the same days, sectors and currency.
  bool operator==(const RosterIndex& other) const;

 private:
  struct SectorLists {
    explicit SectorLists(const Ids* ids) : members(ids), current(ids) {}
    List members, current;
  };
  Entry entry(const domain::Date& joined_on, std::string_view sector, bool current);
  SectorLists& lists_of(std::uint32_t sector);
  void file(std::uint32_t id, const Entry& e);
  void unfile(std::uint32_t id, const Entry& e);

  // On the heap, so that the lists' comparators may point at it across moves.
  std::unique_ptr<Ids> ids_;
  List members_;
  List current_;
  std::vector<std::string> sectors_;  // sector codes by number
  std::map<std::string, std::uint32_t, std::less<>> sector_numbers_;
  std::map<std::uint32_t, SectorLists> by_sector_;  // by sector number
};

}  // namespace ikv::projections
