// MeetingCalendar: meetings ordered by date (held_on when held, else
// scheduled_for) and id, for the calendar (GET /v1/meetings) and each
// network's last and next meeting; derived data kept by RegistryView beside
// its meetings and filed again after a snapshot load.
//
// Layout, flat: each meeting id once in an IdMap (a number per id) with a
// 12-byte entry (its day, status and its networks as an interned list); each
// ordered list (every meeting; a network's; its held; its scheduled) is a
// DayIdList (day_id_list.h) of 16-byte keys over those numbers, ordered
// exactly as the sort-key text "<YYYY-MM-DD>\0<meeting id>" (paging.h). A
// list's iterators yield DayIdKey values whose id views the calendar's own
// ids: valid until the calendar next changes.
//
// A meeting dated by a month ("2024-04") files under the month's first day.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   calendar.put("m-1", date, /*held=*/false, /*scheduled=*/true, {"oulu"});
//   const MeetingCalendar::List* oulu = calendar.of_network("oulu");
//   for (auto it = oulu->lower_bound("2024-05-01"); it != oulu->end(); ++it) show(it->id);
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/id_map.h"
#include "domain/date.h"
#include "projections/day_id_list.h"
#include "projections/interned_lists.h"

namespace ikv::projections {

class MeetingCalendar {
  struct Entry {
    std::int32_t day = 0;
    std::uint32_t networks = 0;  // in lists_
    bool held = false;
    bool scheduled = false;
    bool operator==(const Entry&) const = default;
  };
  using Ids = IdMap<Entry>;

 public:
  // One ordered list of meetings.
  using List = DayIdList<Ids>;

  MeetingCalendar();
  MeetingCalendar(const MeetingCalendar& other);
  MeetingCalendar& operator=(const MeetingCalendar& other);
  MeetingCalendar(MeetingCalendar&&) noexcept = default;
  MeetingCalendar& operator=(MeetingCalendar&&) noexcept = default;
  ~MeetingCalendar() = default;

  // Every meeting filed.
  const List& all() const { return all_; }
  // A network's meetings (organised or joint), its held ones by held_on, its
  // scheduled ones by scheduled_for; nullptr when it has none.
  const List* of_network(std::string_view network) const;
  const List* held_by(std::string_view network) const;
  const List* scheduled_by(std::string_view network) const;

  // Files meeting `meeting_id` under its present date and status, replacing
  // what was filed for it before.
  void put(std::string_view meeting_id, const domain::Date& date, bool held, bool scheduled,
           const std::vector<std::string>& networks);
  // Filing many meetings at once (a snapshot load): stage() each, then
  // file_staged() builds every list from its keys sorted, in n log n,
  // instead of one insertion per key. REQUIRES: meetings not yet in the
  // calendar; no put() or query between the two.
  void stage(std::string_view meeting_id, const domain::Date& date, bool held, bool scheduled,
             const std::vector<std::string>& networks);
  void file_staged();

  // The same meetings filed under the same dates, statuses and networks.
  bool operator==(const MeetingCalendar& other) const;

 private:
  struct NetworkLists {
    explicit NetworkLists(const Ids* ids) : of(ids), held(ids), scheduled(ids) {}
    List of, held, scheduled;
  };
  std::uint32_t intern(const std::vector<std::string>& networks);
  Entry entry(const domain::Date& date, bool held, bool scheduled,
              const std::vector<std::string>& networks);
  List::Packed key(std::uint32_t id, const Entry& e) const;
  NetworkLists& lists_of(const std::string& network);
  void file(std::uint32_t id, const Entry& e);
  void unfile(std::uint32_t id, const Entry& e);

  // On the heap, so that the lists' comparators may point at it across moves.
  std::unique_ptr<Ids> ids_;
  List all_;
  std::map<std::string, NetworkLists, std::less<>> by_network_;
  // Distinct lists of networks (organiser first, then joint, each once).
  InternedLists lists_;
};

}  // namespace ikv::projections
