// PackedList<Codec>: an append-only list of records kept encoded, for a read
// model's long lists that answers read a page at a time (a network's
// training requests and deliveries: the 1,000,000-event bench log holds
// 200,000 of them).
//
// Layout: every record's bytes, as Codec::write wrote them with the snapshot
// primitives (snapshot_io.h), one after the other in one character arena,
// and the end offset of each in a vector of 4-byte integers. A record costs
// its encoding (about 100 bytes for a training request) and 4 bytes, where a
// struct of strings cost about 220 bytes in three allocations. Reading one
// decodes it: operator[], iteration and back() give records by value.
//
// Snapshots: save() writes the records as the list grammar of snapshot_io.h
// (varint count | record*), byte for byte what writing each record with
// Codec::write gives; load() checks each record by decoding it (as strict as
// Codec::read) and keeps its bytes as they were read.
//
// A Codec is a struct with `using Record = ...;`, `static void
// write(SnapshotWriter&, const Record&)`, `static Record
// read(SnapshotReader&)` and `static void skip(SnapshotReader&)` (reads
// past one record as strictly as read(), building nothing), deterministic
// (equal records, equal bytes: lists compare by their bytes).
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   PackedList<TrainingRequestCodec> requests;
//   requests.push_back({.request_id = id, .topic = "victim_identification", ...});
//   TrainingRequestRecord r = requests[0];
//   for (const TrainingRequestRecord& r : requests) ...;
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "projections/indexed_iterator.h"
#include "projections/snapshot_io.h"

namespace ikv::projections {

template <class Codec>
class PackedList {
 public:
  using Record = typename Codec::Record;

  using const_iterator = IndexedIterator<PackedList, Record>;

  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, ends_.size()}; }

  // Record i (i < size()), decoded.
  Record operator[](std::size_t i) const {
    SnapshotReader r(bytes_of(i));
    Record out = Codec::read(r);
    if (!r.ok() || !r.at_end()) throw std::logic_error("PackedList: a kept record does not decode");
    return out;
  }
  Record back() const { return (*this)[size() - 1]; }
  // The bytes of record i as Codec::write wrote them.
  std::string_view bytes_of(std::size_t i) const {
    const std::uint32_t from = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(arena_).substr(from, ends_[i] - from);
  }

  void push_back(const Record& record) {
    SnapshotWriter w;
    Codec::write(w, record);
    keep(w.bytes());
  }

  // Writes the list (varint count | record*).
  void save(SnapshotWriter& out) const {
    out.varint(ends_.size());
    out.raw(arena_);
  }
  // Reads a list save() (or a record-by-record writer) wrote, replacing this
  // one; false (and `in` failed) when a record does not decode (Codec::skip).
  bool load(SnapshotReader& in) {
    *this = PackedList();
    const std::size_t count = in.count();  // bounded by the bytes left
    ends_.reserve(count);
    for (std::size_t i = 0; i < count && in.ok(); ++i) {
      const std::size_t from = in.offset();
      Codec::skip(in);
      if (in.ok()) keep(in.since(from));
    }
    arena_.shrink_to_fit();
    return in.ok();
  }

  void reserve(std::size_t records, std::size_t bytes) {
    ends_.reserve(records);
    arena_.reserve(bytes);
  }
  void clear() { *this = PackedList(); }

  bool operator==(const PackedList& other) const = default;

 private:
  void keep(std::string_view bytes) {
    if (arena_.size() + bytes.size() > std::numeric_limits<std::uint32_t>::max()) {
      throw std::length_error("a packed list exceeds 4 GiB");
    }
    arena_.append(bytes);
    ends_.push_back(static_cast<std::uint32_t>(arena_.size()));
  }

  std::string arena_;
  std::vector<std::uint32_t> ends_;  // end of record i in arena_
};

}  // namespace ikv::projections
