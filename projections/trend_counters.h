// TrendCounters: the aggregates behind the trend and coverage reports, kept
// as counters per (network, effective day, measure, code) so that a report
// reads the cells of its range instead of scanning every observation,
// meeting and member. A projection unit (projections/projection.h), "trends".
//
// Cells (all keyed by interned small integers, never by strings):
//
//   measure            code            code2        counted at
//   kObservations      theme           -            observed_on
//   kTargetGroups      theme           group        observed_on (one per observation)
//   kMeetingsHeld      format          -            held_on, organiser and each joint network
//   kMeetingThemes     theme           -            held_on, likewise (a theme once a meeting)
//   kMembersJoined     -               -            joined_on
//   kMembersLeft       -               -            left_on
//   kTrainingRequested -               -            requested_on
//   kTrainingDelivered -               -            delivered_on
//   kAttendance        -               -            held_on, likewise (adds the meeting's
//                                                   attendance, not 1; none when 0)
//   kWishes            wish kind       -            recorded_on
//
// The national findings (stream "national") are counted like a network's
// observations under the network id "" (network ids are slugs, never empty);
// a report reads them into the national row only.
//
// A target group is counted under its case-folded key (ASCII letters, trimmed);
// each kTargetGroups cell also keeps the earliest recorded spelling among the
// observations it counts (of equal times, the smallest in byte order), so a
// report shows, for each group, the earliest spelling among what it counts,
// exactly as a scan would.
//
// Corrections: an ObservationRetracted takes its observation out of every cell
// it was counted in (and a target-group cell whose spelling came from it takes
// the earliest spelling among the observations it still counts); a
// MeetingRecordAmended moves the meeting's counts to its amended held_on and
// themes.
//
// Coverage: per (network, sector) the change in members counted on each day
// (+1 at joined_on, -1 at left_on, moved by a sector change), so the members
// counted on any day are a prefix sum; a report's members_at_end reads the
// same changes summed over sectors per network, by month and by day
// (member_months_, member_days_: a network's whole months, then the days of
// the last one).
//
// What the unit must remember between events (and snapshots): the organiser,
// joint networks and format of every meeting not yet held or cancelled, what
// every held meeting was counted under, what every observation not retracted
// was counted under, and each member's network, sector and dates.
//
// Thread-safety: as every unit (projection.h).
//
//   const auto& counters = models.get<TrendCounters>();
//   TrendReport r = counters.report(query);   // query validated by compute_trends
//   auto by_sector = counters.members_by_sector_on("oulu", today);
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/id_map.h"
#include "common/string_hash.h"
#include "domain/date.h"
#include "projections/interned_lists.h"
#include "projections/projection.h"
#include "projections/trends.h"

namespace ikv::projections {

class TrendCounters final : public Projection {
 public:
  // 2: observations and held meetings kept; 3: a held meeting's attendance;
  // 4: wishes and the national findings counted.
  static constexpr std::uint32_t kFormat = 4;

  std::string_view name() const override { return "trends"; }
  std::uint32_t format() const override { return kFormat; }
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event) override;
  void save(SnapshotWriter& out, PersonalPieces& pieces) const override;
  bool load(SnapshotReader& in, const OpenedPieces& opened) override;
  void clear() override { *this = TrendCounters(); }
  boost::json::value dump() const override;

  // The report's periods and ranking for a validated query (compute_trends;
  // query.known_at_us is not looked at: see trends_from_records).
  TrendReport report(const TrendQuery& query) const;
  // Members counted on `day` (joined_on <= day < left_on) by sector code,
  // sectors with members only. Empty for an unknown network.
  std::map<std::string, std::size_t> members_by_sector_on(std::string_view network,
                                                          const domain::Date& day) const;

  bool operator==(const TrendCounters& other) const;

  enum Measure : std::uint8_t {
    kObservations,
    kTargetGroups,
    kMeetingsHeld,
    kMeetingThemes,
    kMembersJoined,
    kMembersLeft,
    kTrainingRequested,
    kTrainingDelivered,
    kAttendance,
    kWishes,  // the last measure: a report reads the cells up to it
  };

 private:
  // (network, day, measure) and (code, code2), compared as a pair: the
  // order of cells in a snapshot and a dump.
  using Key = std::pair<std::uint64_t, std::uint64_t>;
  struct Interned;
  struct Cell {
    std::int64_t count = 0;
    // kTargetGroups: the earliest spelling counted here.
    std::int64_t spelled_at_us = 0;
    std::uint32_t spelling = 0;
    // Which cell of its (network, day) it is.
    std::uint32_t code = 0;
    std::uint32_t code2 = 0;
    Measure measure = kObservations;
    // Keeps spelling `id` recorded at `at_us` if it is the earliest (call
    // before counting it).
    void spell(std::int64_t at_us, std::uint32_t id, const Interned& spellings);
    bool operator==(const Cell&) const = default;
  };
  // The cells by network (its interned id), then by day in a tree of the
  // days that have cells, then in a vector sorted by (measure, code, code2):
  // a cell costs 32 bytes and a (network, day) one tree node and one vector,
  // where a tree node per cell cost 80. Cells at 0 are removed.
  class CellTable {
   public:
    // The cell, added at 0 when absent.
    Cell& at(std::uint32_t network, std::int64_t day, Measure m, std::uint32_t code = 0,
             std::uint32_t code2 = 0);
    Cell* find(std::uint32_t network, std::int64_t day, Measure m, std::uint32_t code = 0,
               std::uint32_t code2 = 0);
    // Removes the cell if its count is 0.
    void drop_if_zero(std::uint32_t network, std::int64_t day, const Cell& c);
    // f(network, day, cell) for every cell, in key order.
    template <class F>
    void for_each(F&& f) const {
      for (std::uint32_t n = 0; n < networks_.size(); ++n) for_days(n, kMinDay, kMaxDay, f);
    }
    // f(network, day, cell) for the cells of `network` on days lo..hi, in key order.
    template <class F>
    void for_days(std::uint32_t network, std::int64_t lo, std::int64_t hi, F&& f) const {
      if (network >= networks_.size() || hi < lo) return;
      const Days& days = networks_[network];
      for (auto it = days.lower_bound(lo); it != days.end() && it->first <= hi; ++it) {
        for (const Cell& c : it->second) f(network, it->first, c);
      }
    }
    std::size_t size() const { return size_; }
    void clear() { *this = CellTable(); }
    bool operator==(const CellTable&) const = default;

    static constexpr std::int64_t kMinDay = std::numeric_limits<std::int64_t>::min();
    static constexpr std::int64_t kMaxDay = std::numeric_limits<std::int64_t>::max();

   private:
    using Days = std::map<std::int64_t, std::vector<Cell>>;
    std::vector<Days> networks_;
    std::size_t size_ = 0;
  };
  // Lists (a meeting's networks or themes, an observation's groups) are
  // numbers in code_lists_ / group_lists_: a few hundred distinct lists
  // serve hundreds of thousands of entries. Numbers differ between units
  // fed in another order, so units compare entries by their lists (==).
  struct PendingMeeting {  // scheduled, not yet held or cancelled
    std::uint32_t network = 0;
    std::uint32_t joint_with = 0;  // in code_lists_ (network ids)
    std::uint32_t format = 0;
  };
  struct HeldMeeting {           // what its counts were made under
    std::uint32_t networks = 0;  // in code_lists_: organiser and joint, ascending
    std::uint32_t format = 0;
    std::int64_t day = 0;
    std::uint32_t themes = 0;     // in code_lists_: ascending, each once
    std::int64_t attendance = 0;  // attendee_count, else the attendees listed
  };
  using GroupList = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  struct Observation {  // counted, not retracted
    std::uint32_t network = 0;
    std::uint32_t theme = 0;
    std::int64_t day = 0;
    std::int64_t recorded_at_us = 0;
    std::uint32_t groups = 0;  // in group_lists_: (group key, spelling), once each
  };
  struct Member {
    std::uint32_t network = 0;
    std::uint32_t sector = 0;
    std::int64_t joined_day = 0;
    std::optional<std::int64_t> left_day;
    bool operator==(const Member&) const = default;
  };
  // (network, sector, day) -> change in members counted from that day on.
  using CoverageKey = std::tuple<std::uint32_t, std::uint32_t, std::int64_t>;

  // Interned strings: an id per distinct text, in first-seen order.
  struct Interned {
    std::vector<std::string> texts;
    std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> ids;
    std::uint32_t id(std::string_view text);
    std::optional<std::uint32_t> find(std::string_view text) const;
    bool operator==(const Interned& o) const { return texts == o.texts; }
  };

  static Key key(std::uint32_t network, std::int64_t day, const Cell& c);
  // Counts one fact in its day's cell and its month's.
  void count(std::uint32_t network, std::int64_t day, Measure m, std::uint32_t code = 0,
             std::uint32_t code2 = 0);
  // Adds `n` (not 0) to the cells of measure `m` on `day` (a cell at 0 goes).
  void add(std::uint32_t network, std::int64_t day, Measure m, std::int64_t n);
  // Takes one fact out of its day's cell and its month's (a cell at 0 goes).
  void uncount(std::uint32_t network, std::int64_t day, Measure m, std::uint32_t code = 0,
               std::uint32_t code2 = 0);
  // Counts a held meeting's format and themes for each of its networks (sign -1: takes them out).
  void count_meeting(const HeldMeeting& m, int sign);
  // Takes a retracted observation out of every cell it was counted in.
  void retract(std::uint32_t network, const std::string& observation_id);
  // The earliest spelling among the observations counted in target-group cell
  // `c` (by day, or by month when `month`), after one of them was taken out.
  void respell(Cell& c, std::uint32_t network, std::int64_t at, bool month, std::uint32_t theme,
               std::uint32_t group) const;
  // The month cells from the day cells (after a load).
  void rebuild_months();
  void coverage(const Member& m, int sign);
  // Adds a coverage change to member_days_ and member_months_.
  void curve_change(std::uint32_t network, std::int64_t day, std::int64_t delta);
  // The members counted in `network` on `day` (never below 0).
  std::size_t members_on(std::uint32_t network, std::int64_t day) const;
  void apply_network(std::uint32_t network, const eventstore::RecordedEvent& meta,
                     const domain::Event& event);
  void apply_meeting(std::string_view meeting_id, const domain::Event& event);

  Interned networks_;              // network ids (established or named by a meeting)
  std::vector<bool> established_;  // by network id
  Interned codes_;                 // theme, format and sector codes
  Interned groups_;                // case-folded target group keys
  Interned spellings_;             // target groups as written
  CellTable cells_;                // by day
  CellTable month_cells_;          // the same by month (day = the 1st); derived, not saved
  std::map<CoverageKey, std::int64_t> coverage_;
  // (network, sector) -> the sum of its coverage_ changes, for every pair with
  // changes (a sum of 0 included); derived, not saved.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> coverage_totals_;
  // (network, day) -> the coverage_ changes of that day summed over sectors,
  // and (network, first day of a month) -> those of that month: members_at_end
  // of a report sums a network's months then the days of the last one.
  // Derived, not saved; a sum of 0 goes.
  std::map<std::pair<std::uint32_t, std::int64_t>, std::int64_t> member_days_;
  std::map<std::pair<std::uint32_t, std::int64_t>, std::int64_t> member_months_;
  IdMap<PendingMeeting> pending_;    // by meeting id
  IdMap<Member> members_;            // by member id
  IdMap<HeldMeeting> held_;          // by meeting id
  IdMap<Observation> observations_;  // by observation id
  BasicInternedLists<std::uint32_t> code_lists_;
  BasicInternedLists<std::pair<std::uint32_t, std::uint32_t>> group_lists_;
};

}  // namespace ikv::projections
