// DayIndex: an ordered index from DayPosition keys ({day, log position},
// paging.h) to row numbers in a list, for a network's observations and
// wishes, laid out flat.
//
// Layout: sorted runs ("chunks") of at most kChunk packed 16-byte entries,
// the chunks in key order. An insertion goes into the one chunk its key
// belongs in (a binary search over the chunks' last keys, then within the
// chunk); a full chunk splits in two, except at the very end, where a new
// chunk starts, so the usual insertion (a recent day, the log's latest
// position) fills chunks completely. An entry costs 16 to 32 bytes where a
// std::map node cost 64, and no allocation of its own.
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

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <vector>

#include "projections/paging.h"

namespace ikv::projections {

class DayIndex {
  // One entry, packed into 16 bytes (DayPosition itself takes 16 with padding).
  struct Packed {
    std::int32_t day = 0;
    std::uint32_t row = 0;
    std::uint64_t position = 0;
    DayPosition key() const { return {day, position}; }
  };

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
    Entry operator*() const {
      const Packed& p = (*chunks_)[chunk_][at_];
      return {DayPosition{p.day, p.position}, p.row};
    }
    const_iterator& operator++() {
      if (++at_ == (*chunks_)[chunk_].size()) {
        ++chunk_;
        at_ = 0;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const const_iterator& o) const { return chunk_ == o.chunk_ && at_ == o.at_; }

   private:
    friend class DayIndex;
    const_iterator(const std::vector<std::vector<Packed>>* chunks, std::size_t chunk,
                   std::size_t at)
        : chunks_(chunks), chunk_(chunk), at_(at) {}
    const std::vector<std::vector<Packed>>* chunks_ = nullptr;
    std::size_t chunk_ = 0;
    std::size_t at_ = 0;
  };

  const_iterator begin() const { return {&chunks_, 0, 0}; }
  const_iterator end() const { return {&chunks_, chunks_.size(), 0}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The first entry whose key is not below `key`.
  template <class K>
  const_iterator lower_bound(const K& key) const {
    return find([&](const Packed& p) { return !DayPositionLess{}(p.key(), key); });
  }
  // The first entry whose key is above `key`.
  template <class K>
  const_iterator upper_bound(const K& key) const {
    return find([&](const Packed& p) { return DayPositionLess{}(key, p.key()); });
  }

  // Adds `key` -> `row`. REQUIRES: `key` not present (keys hold a log position).
  void insert(const DayPosition& key, std::uint32_t row) {
    const Packed entry{key.day, row, key.position};
    if (chunks_.empty() || !(key < chunks_.back().back().key())) {  // at the very end
      if (chunks_.empty() || chunks_.back().size() == kChunk) {
        chunks_.emplace_back().reserve(kChunk);
      }
      chunks_.back().push_back(entry);
      ++size_;
      return;
    }
    auto chunk =
        std::partition_point(chunks_.begin(), chunks_.end(),
                             [&](const std::vector<Packed>& c) { return c.back().key() < key; });
    if (chunk->size() == kChunk) {  // split: the upper half becomes the next chunk
      std::vector<Packed> upper;
      upper.reserve(kChunk);
      upper.assign(chunk->begin() + kChunk / 2, chunk->end());
      chunk->resize(kChunk / 2);
      const bool into_upper = chunk->back().key() < key;
      chunk = chunks_.insert(chunk + 1, std::move(upper));
      if (!into_upper) --chunk;
    }
    const auto at = std::partition_point(chunk->begin(), chunk->end(),
                                         [&](const Packed& p) { return p.key() < key; });
    chunk->insert(at, entry);
    ++size_;
  }

  // The same entries in the same order (however each side chunked them).
  bool operator==(const DayIndex& other) const {
    if (size_ != other.size_) return false;
    for (auto a = begin(), b = other.begin(); a != end(); ++a, ++b) {
      const Entry x = *a;
      const Entry y = *b;
      if (x.first != y.first || x.second != y.second) return false;
    }
    return true;
  }

 private:
  static constexpr std::size_t kChunk = 256;

  // The first entry (in key order) for which `at_or_after` holds; it must
  // hold for every entry after one it holds for.
  template <class Pred>
  const_iterator find(Pred at_or_after) const {
    const auto chunk =
        std::partition_point(chunks_.begin(), chunks_.end(),
                             [&](const std::vector<Packed>& c) { return !at_or_after(c.back()); });
    if (chunk == chunks_.end()) return end();
    const auto at = std::partition_point(chunk->begin(), chunk->end(),
                                         [&](const Packed& p) { return !at_or_after(p); });
    return {&chunks_, static_cast<std::size_t>(chunk - chunks_.begin()),
            static_cast<std::size_t>(at - chunk->begin())};
  }

  std::vector<std::vector<Packed>> chunks_;  // none empty
  std::size_t size_ = 0;
};

}  // namespace ikv::projections
