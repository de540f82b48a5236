// DayIdList: an ordered list of (day, id) keys, flat, for the read models'
// lists that page by date and id: the calendar's meetings (MeetingCalendar)
// and a network's roster (RosterIndex).
//
// Layout: the ids sit once in their owner's id map (an IdMap, a number per
// id); a list holds 16-byte keys {day, id number, the id's first 8 bytes} in
// a SortedChunks. Two keys compare by day, then by those 8 bytes, and read
// the ids' text only when those tie, so a list orders exactly as the
// sort-key text "<YYYY-MM-DD>\0<id>" (paging.h) its keys stand for, and
// start_after() / end_through() page it by a cursor's text unchanged. Its
// iterators yield DayIdKey values whose id views the owner's id map: valid
// until the owner next changes.
//
// The owner keeps its id map at a fixed address (on the heap) for as long
// as its lists live: each list's comparator points at it.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   DayIdList<IdMap<Entry>> list(&ids);
//   list.insert(list.pack(day, ids.number_of("m-1")));
//   for (auto it = list.lower_bound("2024-05-01"); it != list.end(); ++it) show(it->id);
#pragma once

#include <algorithm>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "projections/sorted_chunks.h"

namespace ikv::projections {

// A key as a list yields it: the first day (domain::days_from_civil), the
// id's first 8 bytes (big-endian, zero-padded) and the id. Ordered exactly
// as its text; compared with text (a cursor's key, a date bound) through
// DayIdKeyLess.
struct DayIdKey {
  DayIdKey() = default;
  DayIdKey(std::int32_t d, std::string_view i) : day(d), prefix(prefix_of(i)), id(i) {}
  DayIdKey(std::int32_t d, std::uint64_t p, std::string_view i) : day(d), prefix(p), id(i) {}

  std::int32_t day = 0;
  std::uint64_t prefix = 0;
  std::string_view id;

  // The key's text, as cursors carry it.
  std::string text() const;
  auto operator<=>(const DayIdKey&) const = default;
  bool operator==(const DayIdKey&) const = default;

  static std::uint64_t prefix_of(std::string_view id) {
    std::uint64_t p = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      p = (p << 8) | (i < id.size() ? static_cast<unsigned char>(id[i]) : 0u);
    }
    return p;
  }
};

struct DayIdKeyLess {
  using is_transparent = void;
  bool operator()(const DayIdKey& a, const DayIdKey& b) const { return a < b; }
  bool operator()(const DayIdKey& a, std::string_view b) const;
  bool operator()(std::string_view a, const DayIdKey& b) const;
};

// `Ids` is the owner's id map: it gives an id's text by number (id_at).
template <class Ids>
class DayIdList {
 public:
  struct Packed {
    std::int32_t day = 0;
    std::uint32_t id = 0;  // the id's number in the Ids
    std::uint64_t prefix = 0;
    bool operator==(const Packed&) const = default;
  };
  // Orders Packed keys among themselves and against DayIdKey values and text.
  struct PackedLess {
    const Ids* ids = nullptr;
    DayIdKey key(const Packed& p) const { return {p.day, p.prefix, ids->id_at(p.id)}; }
    bool operator()(const Packed& a, const Packed& b) const {
      if (a.day != b.day) return a.day < b.day;
      if (a.prefix != b.prefix) return a.prefix < b.prefix;
      if (a.id == b.id) return false;
      return ids->id_at(a.id) < ids->id_at(b.id);
    }
    template <class K>
    bool operator()(const Packed& a, const K& b) const {
      return DayIdKeyLess{}(key(a), b);
    }
    template <class K>
    bool operator()(const K& a, const Packed& b) const {
      return DayIdKeyLess{}(a, key(b));
    }
  };

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = DayIdKey;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = DayIdKey;

    struct Arrow {
      DayIdKey key;
      const DayIdKey* operator->() const { return &key; }
    };

    const_iterator() = default;
    DayIdKey operator*() const { return less_->key(*at_); }
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
    friend class DayIdList;
    using Inner = typename SortedChunks<Packed, PackedLess>::const_iterator;
    const_iterator(Inner at, const PackedLess* less) : at_(at), less_(less) {}
    Inner at_;
    const PackedLess* less_ = nullptr;
  };

  explicit DayIdList(const Ids* ids) : keys_(PackedLess{ids}) {}

  const_iterator begin() const { return {keys_.begin(), &keys_.less()}; }
  const_iterator end() const { return {keys_.end(), &keys_.less()}; }
  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  // REQUIRES: !empty().
  DayIdKey back() const { return keys_.less().key(keys_.back()); }
  // Bounds against a DayIdKey or sort-key text (a cursor's key, a date).
  template <class K>
  const_iterator lower_bound(const K& key) const {
    return {keys_.lower_bound(key), &keys_.less()};
  }
  template <class K>
  const_iterator upper_bound(const K& key) const {
    return {keys_.upper_bound(key), &keys_.less()};
  }

  // The key of id number `id` filed under `day`.
  Packed pack(std::int32_t day, std::uint32_t id) const {
    return {day, id, DayIdKey::prefix_of(keys_.less().ids->id_at(id))};
  }
  void insert(const Packed& k) { keys_.insert(k); }
  void erase(const Packed& k) { keys_.erase(k); }
  // Replaces the list with `keys`, sorted here (unless they already are).
  void assign(std::vector<Packed>& keys) {
    if (!std::is_sorted(keys.begin(), keys.end(), keys_.less())) {
      std::sort(keys.begin(), keys.end(), keys_.less());
    }
    keys_.assign_sorted(keys);
  }

 private:
  SortedChunks<Packed, PackedLess> keys_;
};

}  // namespace ikv::projections
