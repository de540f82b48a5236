// ObservationRows: one network's observations (ObservationRecorded, and the
// ObservationRetracted that may follow it), kept flat.
//
// Layout: one fixed-size Row per observation, in log order (64 bytes: its
// position, recorded time, date, codes and the spans of its texts); every
// text (id, meeting id, summary) in one character arena; theme and
// target-group codes interned per network, and each distinct list of target
// groups stored once; the rare retraction in a side list. A row costs its 64
// bytes plus its id's and summary's characters, where a record of strings
// cost about 500 bytes in six allocations (the 1,000,000-event bench log
// holds hundreds of thousands of observations). Ids are found through an
// open-addressing table of row numbers (find()), 8 bytes or less per row,
// built by the first find() (only the log's rare retractions and repeated
// national findings ask, so a load from a snapshot hashes no id) and kept up
// to date by push() from then on.
//
// Reads: at(i) / operator[] / iteration build an ObservationRecord, for the
// rows an answer shows; id(), theme(), observed_on(), position(),
// recorded_at_us() and retracted() read a row in place, for indexes and
// counters.
//
// Rules: rows are never removed or reordered. An id names the first row
// recorded with it (the decider never records an id twice; should a log hold
// a second one, it is kept as a row, and find() and retract() keep answering
// the first, as the string-keyed index did). A retraction applies once: a
// second one of the same row changes nothing.
//
// Thread-safety: a plain value; not to be changed while another thread reads.
//
//   ObservationRows rows;
//   rows.push({.observation_id = id, .theme = theme, .observed_on = day,
//              .target_groups = groups, .recorded_at_us = t, .position = p});
//   if (auto row = rows.find(id)) rows.retract(*row, reason, meta.recorded_at_us);
//   ObservationRecord shown = rows[0];
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/string_hash.h"
#include "domain/date.h"
#include "projections/indexed_iterator.h"

namespace ikv::projections {

struct ObservationRecord {
  std::string observation_id;
  std::string theme;
  domain::Date observed_on;
  std::vector<std::string> target_groups;
  std::optional<std::string> meeting_id;
  std::optional<std::string> summary;
  std::int64_t recorded_at_us = 0;
  std::uint64_t position = 0;  // of its ObservationRecorded in the global log
  bool retracted = false;      // ObservationRetracted: listed, counted nowhere
  std::optional<std::string> retraction_reason;
  std::optional<std::int64_t> retracted_at_us;

  bool operator==(const ObservationRecord&) const = default;
};

// The fields of one ObservationRecorded as push() takes them (views: push
// copies what it keeps).
struct ObservationFields {
  std::string_view observation_id;
  std::string_view theme;
  domain::Date observed_on;
  std::span<const std::string_view> target_groups;
  std::optional<std::string_view> meeting_id;
  std::optional<std::string_view> summary;
  std::int64_t recorded_at_us = 0;
  std::uint64_t position = 0;
};

class ObservationRows {
 public:
  using const_iterator = IndexedIterator<ObservationRows, ObservationRecord>;

  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, rows_.size()}; }

  // The observation in row i (i < size()), as a record of its own.
  ObservationRecord at(std::size_t i) const;
  ObservationRecord operator[](std::size_t i) const { return at(i); }

  std::string_view id(std::size_t i) const { return text(rows_[i].id); }
  std::string_view theme(std::size_t i) const { return codes_[rows_[i].theme]; }
  domain::Date observed_on(std::size_t i) const;
  std::uint64_t position(std::size_t i) const { return rows_[i].position; }
  std::int64_t recorded_at_us(std::size_t i) const { return rows_[i].recorded_at_us; }
  bool retracted(std::size_t i) const { return rows_[i].retraction != 0; }

  // The row of the first observation recorded with this id. Not const: the
  // first call builds the id table (the writer's side only).
  std::optional<std::size_t> find(std::string_view observation_id);

  // Adds a row (after the last) and returns its number.
  std::size_t push(const ObservationFields& f);
  // The same from a record (a snapshot's, a test's), its retraction included.
  std::size_t push(const ObservationRecord& o);
  // Marks row i retracted; false (nothing changed) when it already was.
  bool retract(std::size_t i, std::optional<std::string> reason,
               std::optional<std::int64_t> retracted_at_us);

  void reserve(std::size_t rows);
  // Gives back what growth left unused (after a load).
  void shrink_to_fit();
  void clear() { *this = ObservationRows{}; }

  // The same observations, in the same order, with the same retractions
  // (however each side laid them out).
  bool operator==(const ObservationRows& other) const;

 private:
  struct Span {
    std::uint32_t at = 0;
    std::uint32_t size = 0;
  };
  struct Row {
    std::uint64_t position = 0;
    std::int64_t recorded_at_us = 0;
    Span id;
    Span meeting;                  // kHasMeeting
    Span summary;                  // kHasSummary
    std::uint32_t theme = 0;       // in codes_
    std::uint32_t groups = 0;      // in lists_
    std::uint32_t retraction = 0;  // 0: none, else 1 + its index in retractions_
    std::int32_t year = 0;
    std::uint8_t month = 0;
    std::uint8_t day = 0;
    std::uint8_t precision = 0;
    std::uint8_t flags = 0;
  };
  struct Retraction {
    std::optional<std::string> reason;
    std::optional<std::int64_t> at_us;
  };
  static constexpr std::uint8_t kHasMeeting = 1;
  static constexpr std::uint8_t kHasSummary = 2;

  std::string_view text(Span s) const { return std::string_view(arena_).substr(s.at, s.size); }
  Span keep(std::string_view s);
  std::uint32_t code(std::string_view c);
  template <class Range>
  std::uint32_t list(const Range& codes);
  void index(std::size_t row);
  void grow_index();

  std::vector<Row> rows_;
  std::string arena_;
  std::vector<std::string> codes_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> code_ids_;
  // list i's codes are list_codes_[lists_[i].at, + lists_[i].size)
  std::vector<Span> lists_;
  std::vector<std::uint32_t> list_codes_;
  // a list's codes, as 4-byte ids in one string -> list id
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> list_ids_;
  std::vector<Retraction> retractions_;
  // Open addressing, linear probing: 1 + row, 0 empty; at most half full.
  // Empty and unused until the first find() (indexed_).
  std::vector<std::uint32_t> slots_;
  bool indexed_ = false;
};

}  // namespace ikv::projections
