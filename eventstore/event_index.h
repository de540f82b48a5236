// EventIndex: the RocksDB store's in-memory lookups by event id, stream
// category and event type, kept per position and rebuilt at open from one
// stored value per commit group (the "groups" column family,
// rocks_event_store.cc).
//
// For each position p in 1..size() it holds the 64-bit fingerprint of the
// event's id and the codes of its category and type; an open-addressing table
// (at most half full) maps a fingerprint to the positions that carry it. A
// fingerprint is a hint, not an answer: two ids may share one, so the caller
// confirms a hit by reading the record. Memory: 20 bytes per event (8
// fingerprint, 2 + 2 codes, two 4-byte table slots), 20 MiB at 1,000,000
// events, plus one copy of each distinct category and type name. Codes are
// 16 bits: a log names at most 65,535 categories and as many types (the
// domain names a handful of each; a group value defining more is refused as
// malformed).
//
// Group value grammar (integers big-endian unless varint):
//
//   group   := varint(name_count) name*  varint(event_count) entry*
//   name    := kind[1] varint(length) bytes
//              kind 'c' (a category) or 't' (a type); the name takes the next
//              code of its kind: codes count from 0 in order of first use
//              along the log, so a name is defined by the first group using it
//   entry   := BE64(fingerprint) varint(category code) varint(type code)
//   varint  := LEB128, 7 bits a byte, low bits first
//
// The value stored under BE64(first) describes positions first ..
// first + event_count - 1; the groups of a log cover 1..head without gaps.
// Positions are kept in 32 bits: a log ends at position 4,294,967,295.
//
// Thread-safety: none. The store guards an EventIndex with its own lock.
//
//   EventIndex index;
//   const std::string value = index.encode_group({{.event_id = id,
//                                                  .category = "network",
//                                                  .type = "MemberJoined"}});
//   index.apply_group(index.size() + 1, value);  // after the batch is written
//   for (auto p : index.candidates(id)) { /* read record p, compare its id */ }
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ikv::eventstore {

// The fingerprint of an event id: the first 8 bytes of SHA-256(id), read
// big-endian. Part of the stored format (group values hold it).
std::uint64_t event_id_fingerprint(std::string_view event_id);

using FingerprintFn = std::function<std::uint64_t(std::string_view event_id)>;

// What the index keeps of one event.
struct IndexedEvent {
  std::string_view event_id;
  std::string_view category;
  std::string_view type;
};

class EventIndex {
 public:
  static constexpr std::uint64_t kMaxPosition = 0xffffffffu;

  // `fingerprint` must be the function the data directory was written with
  // (tests inject weak ones to force collisions).
  explicit EventIndex(FingerprintFn fingerprint = event_id_fingerprint);
  EventIndex(const EventIndex&) = delete;
  EventIndex& operator=(const EventIndex&) = delete;
  EventIndex(EventIndex&&) = default;
  EventIndex& operator=(EventIndex&&) = default;
  ~EventIndex() = default;

  // The last position indexed (0 = none).
  std::uint64_t size() const { return fingerprints_.size(); }
  // Prepares room for positions up to `positions` (no effect on contents).
  void reserve(std::uint64_t positions);

  // The value describing `events` at positions size() + 1, ...: names not yet
  // known are defined in it. Changes nothing.
  std::string encode_group(std::span<const IndexedEvent> events) const;
  // Adds the events of a group value at positions first, first + 1, ...
  // Returns false, changing nothing, when the value is malformed, names an
  // unknown code, or first != size() + 1, or it ends past kMaxPosition.
  bool apply_group(std::uint64_t first, std::string_view value);

  // Positions (ascending) whose event id has the fingerprint of `event_id`.
  std::vector<std::uint64_t> candidates(std::string_view event_id) const;
  // Positions in (after, up_to], ascending, at most `limit`, whose category
  // and type are the ones asked (an empty name matches every event).
  std::vector<std::uint64_t> select(std::uint64_t after, std::uint64_t up_to,
                                    std::string_view category, std::string_view type,
                                    std::size_t limit) const;

  // Same positions, fingerprints, names and codes (not the table's layout).
  bool same_entries(const EventIndex& other) const;
  // Bytes held by the index's arrays and names (capacity, not size).
  std::size_t memory_bytes() const;

 private:
  static constexpr std::uint32_t kNoCode = 0xffffffffu;
  static constexpr std::uint64_t kMaxCodes = 0xffffu;  // codes per kind: 0 .. kMaxCodes - 1
  enum Kind { kCategory = 0, kType = 1 };

  struct Names {
    std::unordered_map<std::string, std::uint32_t> codes;
    std::vector<std::string> names;  // by code
    std::uint32_t code(std::string_view name) const;
  };

  void insert_slot(std::uint32_t position);
  void insert_slots(std::uint64_t first, std::uint64_t last);
  void grow_table(std::size_t min_entries);

  FingerprintFn fingerprint_;
  Names names_[2];
  std::vector<std::uint64_t> fingerprints_;  // by position - 1
  std::vector<std::uint16_t> categories_;    // by position - 1
  std::vector<std::uint16_t> types_;         // by position - 1
  std::vector<std::uint32_t> slots_;         // positions, 0 = empty; size a power of two
};

}  // namespace ikv::eventstore
