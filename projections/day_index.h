// DayIndex: an ordered index from DayPosition keys ({day, log position},
// paging.h) to row numbers in a list, for a network's observations and
// wishes, laid out flat.
//
// Layout: packed 16-byte entries in a SortedChunks (sorted_chunks.h), so the
// usual insertion (a recent day, the log's latest position) appends to the
// last chunk. An entry costs 16 to 32 bytes where a std::map node cost 64,
// and no allocation of its own.
//
// Reads: begin() / end(), lower_bound() / upper_bound() with any key
// DayPositionLess compares (a DayPosition or a sort key's text, so
// start_after() and end_through() of paging.h work unchanged); iterators are
// forward and yield Entry values ({first: the key, second: the row}). An
// insertion invalidates iterators.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   DayIndex index;
//   index.insert(observation_key(day, position), row);
//   for (auto it = index.lower_bound(from); it != index.end(); ++it) show((*it).second);
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

#include "projections/paging.h"
#include "projections/sorted_chunks.h"

namespace ikv::projections {

class DayIndex {
  // One entry, packed into 16 bytes (DayPosition itself takes 16 with padding).
  struct Packed {
    std::int32_t day = 0;
    std::uint32_t row = 0;
    std::uint64_t position = 0;
    DayPosition key() const { return {day, position}; }
    bool operator==(const Packed&) const = default;
  };
  // Orders entries by key, among themselves and against any key
  // DayPositionLess compares.
  struct PackedLess {
    bool operator()(const Packed& a, const Packed& b) const { return a.key() < b.key(); }
    template <class K>
    bool operator()(const Packed& a, const K& b) const {
      return DayPositionLess{}(a.key(), b);
    }
    template <class K>
    bool operator()(const K& a, const Packed& b) const {
      return DayPositionLess{}(a, b.key());
    }
  };
  using Chunks = SortedChunks<Packed, PackedLess>;

 public:
  struct Entry {
    DayPosition first;
    std::uint32_t second = 0;
  };

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Entry;

    const_iterator() = default;
    Entry operator*() const { return {at_->key(), at_->row}; }
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
    friend class DayIndex;
    explicit const_iterator(Chunks::const_iterator at) : at_(at) {}
    Chunks::const_iterator at_;
  };

  const_iterator begin() const { return const_iterator(entries_.begin()); }
  const_iterator end() const { return const_iterator(entries_.end()); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // The first entry whose key is not below `key`.
  template <class K>
  const_iterator lower_bound(const K& key) const {
    return const_iterator(entries_.lower_bound(key));
  }
  // The first entry whose key is above `key`.
  template <class K>
  const_iterator upper_bound(const K& key) const {
    return const_iterator(entries_.upper_bound(key));
  }

  // Adds `key` -> `row`. REQUIRES: `key` not present (keys hold a log position).
  void insert(const DayPosition& key, std::uint32_t row) {
    entries_.insert(Packed{key.day, row, key.position});
  }

  // The same entries in the same order (however each side chunked them).
  bool operator==(const DayIndex& other) const { return entries_ == other.entries_; }

 private:
  Chunks entries_;
};

}  // namespace ikv::projections
