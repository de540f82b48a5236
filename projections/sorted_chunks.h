// SortedChunks<T, Less>: an ordered set of small fixed-size values laid out
// flat, for indexes of hundreds of thousands of entries that are mostly
// appended and sometimes inserted into or erased from the middle (a meeting
// filed under a new date, a calendar's lists).
//
// Layout: sorted runs ("chunks") of at most kChunk values, the chunks in
// order, none empty. An insertion goes into the one chunk its value belongs
// in (a binary search over the chunks' last values, then within the chunk);
// a full chunk splits in two, except at the very end, where a new chunk
// starts, so appends in order fill chunks completely. An erasure removes the
// value from its chunk and drops a chunk it leaves empty. A value costs its
// size and some slack, where a std::set node cost 32 bytes more and an
// allocation.
//
// Less may carry state (e.g. a pointer to the texts its values name); it is
// copied with the set, and set_less() rebinds it when the state moves.
//
// Reads: begin() / end() iterate in order (forward iterators of const T&);
// partition_point(pred) finds the first value for which `pred` holds (it must
// hold for every value after one it holds for), the basis of lower and upper
// bounds against any kind of key. Any insertion or erasure invalidates
// iterators.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   SortedChunks<Packed, PackedLess> index;
//   index.insert(p);
//   auto it = index.partition_point([&](const Packed& q) { return !PackedLess{}(q, from); });
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace ikv::projections {

template <class T, class Less>
class SortedChunks {
 public:
  static constexpr std::size_t kChunk = 256;

  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    const_iterator() = default;
    const T& operator*() const { return (*chunks_)[chunk_][at_]; }
    const T* operator->() const { return &**this; }
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
    friend class SortedChunks;
    const_iterator(const std::vector<std::vector<T>>* chunks, std::size_t chunk, std::size_t at)
        : chunks_(chunks), chunk_(chunk), at_(at) {}
    const std::vector<std::vector<T>>* chunks_ = nullptr;
    std::size_t chunk_ = 0;
    std::size_t at_ = 0;
  };

  SortedChunks() = default;
  explicit SortedChunks(Less less) : less_(std::move(less)) {}

  const_iterator begin() const { return {&chunks_, 0, 0}; }
  const_iterator end() const { return {&chunks_, chunks_.size(), 0}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // REQUIRES: !empty().
  const T& back() const { return chunks_.back().back(); }
  const Less& less() const { return less_; }
  void set_less(Less less) { less_ = std::move(less); }

  // The first value for which `at_or_after` holds; end() when none.
  template <class Pred>
  const_iterator partition_point(Pred at_or_after) const {
    const auto chunk =
        std::partition_point(chunks_.begin(), chunks_.end(),
                             [&](const std::vector<T>& c) { return !at_or_after(c.back()); });
    if (chunk == chunks_.end()) return end();
    const auto at = std::partition_point(chunk->begin(), chunk->end(),
                                         [&](const T& v) { return !at_or_after(v); });
    return {&chunks_, static_cast<std::size_t>(chunk - chunks_.begin()),
            static_cast<std::size_t>(at - chunk->begin())};
  }
  // The first value not below `key` / above `key` (Less must compare T with K).
  template <class K>
  const_iterator lower_bound(const K& key) const {
    return partition_point([&](const T& v) { return !less_(v, key); });
  }
  template <class K>
  const_iterator upper_bound(const K& key) const {
    return partition_point([&](const T& v) { return less_(key, v); });
  }

  // Adds `value`; false (and nothing changes) when an equivalent one is present.
  bool insert(const T& value) {
    if (chunks_.empty() || less_(chunks_.back().back(), value)) {  // at the very end
      if (chunks_.empty() || chunks_.back().size() == kChunk) {
        chunks_.emplace_back().reserve(kChunk);
      }
      chunks_.back().push_back(value);
      ++size_;
      return true;
    }
    auto chunk = first_chunk_not_below(value);
    auto at = std::lower_bound(chunk->begin(), chunk->end(), value, less_);
    if (!less_(value, *at)) return false;  // the chunk's last value is not below: `at` is valid
    if (chunk->size() == kChunk) {         // split: the upper half becomes the next chunk
      std::vector<T> upper;
      upper.reserve(kChunk);
      upper.assign(chunk->begin() + kChunk / 2, chunk->end());
      chunk->resize(kChunk / 2);
      const bool into_upper = less_(chunk->back(), value);
      chunk = chunks_.insert(chunk + 1, std::move(upper));
      if (!into_upper) --chunk;
      at = std::lower_bound(chunk->begin(), chunk->end(), value, less_);
    }
    chunk->insert(at, value);
    ++size_;
    return true;
  }

  // Removes the value equivalent to `value`; false when there is none.
  bool erase(const T& value) {
    auto chunk = first_chunk_not_below(value);
    if (chunk == chunks_.end()) return false;
    const auto at = std::lower_bound(chunk->begin(), chunk->end(), value, less_);
    if (less_(value, *at)) return false;
    chunk->erase(at);
    if (chunk->empty()) chunks_.erase(chunk);
    --size_;
    return true;
  }

  // Replaces the contents with `values`, which must be sorted and unique.
  void assign_sorted(const std::vector<T>& values) {
    chunks_.clear();
    for (std::size_t i = 0; i < values.size(); i += kChunk) {
      const std::size_t n = std::min(kChunk, values.size() - i);
      std::vector<T>& c = chunks_.emplace_back();
      c.reserve(n == kChunk ? kChunk : n);
      c.assign(values.begin() + static_cast<std::ptrdiff_t>(i),
               values.begin() + static_cast<std::ptrdiff_t>(i + n));
    }
    size_ = values.size();
  }

  // The same values in the same order (however each side chunked them).
  bool operator==(const SortedChunks& other) const {
    return size_ == other.size_ && std::equal(begin(), end(), other.begin());
  }

 private:
  typename std::vector<std::vector<T>>::iterator first_chunk_not_below(const T& value) {
    return std::partition_point(chunks_.begin(), chunks_.end(),
                                [&](const std::vector<T>& c) { return less_(c.back(), value); });
  }

  std::vector<std::vector<T>> chunks_;  // none empty
  std::size_t size_ = 0;
  Less less_{};
};

}  // namespace ikv::projections
