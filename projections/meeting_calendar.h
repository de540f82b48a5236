// MeetingCalendar: meetings ordered by date (held_on when held, else
// scheduled_for) and id, for the calendar (GET /v1/meetings) and each
// network's last and next meeting; derived data kept by RegistryView beside
// its meetings and filed again after a snapshot load.
//
// Layout, flat: each meeting id once in an IdMap (a number per id) with a
// 12-byte entry (its day, status and its networks as an interned list); each
// ordered list (every meeting; a network's; its held; its scheduled) is a
// SortedChunks of 16-byte keys {day, id number, the id's first 8 bytes}. Two
// keys compare by day, then by those 8 bytes, and read the ids' text only
// when those tie, so a list orders exactly as the sort-key text
// "<YYYY-MM-DD>\0<meeting id>" (paging.h) it stands for. A list's iterators
// yield CalendarKey values whose meeting_id views the calendar's own ids: valid
// until the calendar next changes.
//
// A meeting dated by a month ("2024-04") files under the month's first day.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   calendar.put("m-1", date, /*held=*/false, /*scheduled=*/true, {"oulu"});
//   const MeetingCalendar::List* oulu = calendar.of_network("oulu");
//   for (auto it = oulu->lower_bound("2024-05-01"); it != oulu->end(); ++it) show(it->meeting_id);
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/id_map.h"
#include "domain/date.h"
#include "projections/interned_lists.h"
#include "projections/sorted_chunks.h"

namespace ikv::projections {

// A calendar key as a list yields it: the first day (domain::days_from_civil),
// the id's first 8 bytes (big-endian, zero-padded) and the id. Ordered exactly
// as its text; compared with text (a cursor's key, a date bound) through
// CalendarKeyLess.
struct CalendarKey {
  CalendarKey() = default;
  CalendarKey(std::int32_t d, std::string_view id)
      : day(d), prefix(prefix_of(id)), meeting_id(id) {}
  CalendarKey(std::int32_t d, std::uint64_t p, std::string_view id)
      : day(d), prefix(p), meeting_id(id) {}

  std::int32_t day = 0;
  std::uint64_t prefix = 0;
  std::string_view meeting_id;

  // The key's text, as cursors carry it.
  std::string text() const;
  auto operator<=>(const CalendarKey&) const = default;
  bool operator==(const CalendarKey&) const = default;

  static std::uint64_t prefix_of(std::string_view id) {
    std::uint64_t p = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      p = (p << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
    }
    return p;
  }
};

struct CalendarKeyLess {
  using is_transparent = void;
  bool operator()(const CalendarKey& a, const CalendarKey& b) const { return a < b; }
  bool operator()(const CalendarKey& a, std::string_view b) const;
  bool operator()(std::string_view a, const CalendarKey& b) const;
};

class MeetingCalendar {
  struct Entry {
    std::int32_t day = 0;
    std::uint32_t networks = 0;  // in lists_
    bool held = false;
    bool scheduled = false;
    bool operator==(const Entry&) const = default;
  };
  using Ids = IdMap<Entry>;
  struct Packed {
    std::int32_t day = 0;
    std::uint32_t id = 0;  // the meeting's number in the Ids
    std::uint64_t prefix = 0;
    bool operator==(const Packed&) const = default;
  };
  // Orders Packed keys among themselves and against CalendarKey values and text.
  struct PackedLess {
    const Ids* ids = nullptr;
    CalendarKey key(const Packed& p) const { return {p.day, p.prefix, ids->id_at(p.id)}; }
    bool operator()(const Packed& a, const Packed& b) const;
    template <class K>
    bool operator()(const Packed& a, const K& b) const {
      return CalendarKeyLess{}(key(a), b);
    }
    template <class K>
    bool operator()(const K& a, const Packed& b) const {
      return CalendarKeyLess{}(a, key(b));
    }
  };

 public:
  // One ordered list of meetings.
  class List {
   public:
    class const_iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = CalendarKey;
      using difference_type = std::ptrdiff_t;
      using pointer = void;
      using reference = CalendarKey;

      struct Arrow {
        CalendarKey key;
        const CalendarKey* operator->() const { return &key; }
      };

      const_iterator() = default;
      CalendarKey operator*() const { return less_->key(*at_); }
      Arrow operator->() const { return {**this}; }
      const_iterator& operator++() {
        ++at_;
        return *this;
      }
      const_iterator operator++(int) {
        const_iterator before = *this;
        ++at_;
        return before;
      }
      bool operator==(const const_iterator& o) const { return at_ == o.at_; }

     private:
      friend class List;
      using Inner = SortedChunks<Packed, PackedLess>::const_iterator;
      const_iterator(Inner at, const PackedLess* less) : at_(at), less_(less) {}
      Inner at_;
      const PackedLess* less_ = nullptr;
    };

    const_iterator begin() const { return {keys_.begin(), &keys_.less()}; }
    const_iterator end() const { return {keys_.end(), &keys_.less()}; }
    std::size_t size() const { return keys_.size(); }
    bool empty() const { return keys_.empty(); }
    // REQUIRES: !empty().
    CalendarKey back() const { return keys_.less().key(keys_.back()); }
    // Bounds against a CalendarKey or sort-key text (a cursor's key, a date).
    template <class K>
    const_iterator lower_bound(const K& key) const {
      return {keys_.lower_bound(key), &keys_.less()};
    }
    template <class K>
    const_iterator upper_bound(const K& key) const {
      return {keys_.upper_bound(key), &keys_.less()};
    }

   private:
    friend class MeetingCalendar;
    explicit List(const Ids* ids) : keys_(PackedLess{ids}) {}
    SortedChunks<Packed, PackedLess> keys_;
  };

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
  Packed key(std::uint32_t id, const Entry& e) const;
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
