// Trend report: per period and network, by EFFECTIVE date, the observations
// by theme and by target group, the meetings held by format and the themes
// discussed in them with their attendance, the members who joined and left and
// those counted on the period's last day, the training requested and
// delivered, and the wishes recorded by kind; without a network filter, one
// national row per period, which also counts the national findings; plus the themes ranked by how
// many distinct networks recorded an observation of them, and the theme families ranked likewise (a
// network counts once per family however many of the family's themes it raised; a theme with no
// family is its own family; the families of the current taxonomy apply to every observation, old
// ones too).
//
// Two ways to the same figures. Without `known_at` the report is read from
// the counters that the TrendCounters unit keeps (projections/trend_counters.h),
// never from a scan. With `known_at` (facts recorded after that instant do
// not count) it is computed by one scan of the event-level read models
// (trends_from_records): they keep the recorded time of every member's join
// and leave, observation and its retraction, training, and every event of a
// meeting's stream. Counters keyed by recording time as well would multiply
// the cells (and the snapshot) for reads that are rare (an audit, a report
// repeated as it was first made), and slow the common path; a scan costs
// O(facts) and needs no state of its own. The same log and `known_at` always
// give the same report, and `known_at` at or after the last event gives the
// report without it.
//
// Rules:
// - a fact counts in the period of its effective date (observed_on, held_on,
//   joined_on, left_on, requested_on, delivered_on) when that date lies in
//   [from, to]; periods are "YYYY-MM", "YYYY-Qn" or "YYYY";
// - a meeting held counts for its organiser and for every joint network, its
//   attendance too (the meeting's attendee_count, else the number of
//   attendees listed; a meeting held with neither adds nothing);
// - members_at_end: the members counted on the period's last day (on `to`
//   when the period ends after it): joined_on <= day < left_on, a month date
//   as the month's first day; it is not a count that makes a row;
// - without a network filter each period with a row gets a national row
//   (TrendPeriod::national, network ""), after the period's network rows:
//   the sums over every network of every count (a joint meeting counts once
//   for each of its networks), members_at_end of every network included,
//   also of those with no row in that period;
// - a national finding (an observation of the stream "national") counts in
//   the national row only (observations, target groups), and in
//   themes_ranked/families_ranked as one national finding (`national`: true;
//   `networks` counts networks only, and the ranking counts the national
//   findings as one more); with a network filter it counts nowhere;
// - wishes count in the period of their recorded_on, by kind;
// - target groups are free text, trimmed and counted case-insensitively
//   (ASCII letters); a group is shown with its earliest recorded spelling
//   (of equal times, the smallest in byte order); one observation counts a
//   group once;
// - the `theme` filter narrows the theme measures (observations, their target
//   groups, meeting themes, themes_ranked, families_ranked: only that theme's
//   family, counted from that theme); the `network` filter narrows all;
// - rankings are highest first, then by code;
// - a (period, network) with nothing counted is left out; periods are in
//   period order, then network id.
//
// Thread-safety: pure functions; the read models must not be folded
// meanwhile (hold their owner's shared lock).
//
//   TrendQuery q;
//   q.today = today;
//   q.granularity = Granularity::kQuarter;
//   auto report = compute_trends(models, q);    // kInvalidArgument -> 422
//   respond(trends_json(*report)) or respond(trends_csv(*report));
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "common/result.h"
#include "domain/date.h"
#include "domain/taxonomy.h"
#include "projections/stream_events.h"

namespace ikv::projections {

class ReadModels;
class RegistryView;

enum class Granularity { kMonth, kQuarter, kYear };

// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break;
// prefixed with ' when it would start with =, +, -, @, TAB or CR, so that a
// spreadsheet does not evaluate it.
std::string csv_field(std::string_view text);

// "month", "quarter", "year"; nullopt for anything else.
std::optional<Granularity> parse_granularity(std::string_view text);
// The period holding `d`: "2024-05", "2024-Q2" or "2024".
std::string period_of(const domain::Date& d, Granularity granularity);

struct TrendQuery {
  std::optional<domain::Date> from;  // default: the earliest effective date counted
  std::optional<domain::Date> to;    // default: today
  domain::Date today{1970, 1, 1};
  Granularity granularity = Granularity::kMonth;
  std::optional<std::string> network;  // a network id
  std::optional<std::string> theme;    // a theme code
  // Count only the facts recorded at or before this instant (UTC
  // microseconds); nullopt: everything.
  std::optional<std::int64_t> known_at_us;
  // The theme families to rank by; nullptr: the built-in taxonomy's.
  const domain::TaxonomyState* taxonomy = nullptr;
};

using Counts = std::map<std::string, std::size_t>;

struct TrendPeriod {
  std::string period;
  std::string network;
  Counts observations;    // theme -> n
  Counts target_groups;   // group -> n
  Counts meetings_held;   // format -> n
  Counts meeting_themes;  // theme -> n
  Counts wishes;          // wish kind -> n
  std::size_t members_joined = 0;
  std::size_t members_left = 0;
  std::size_t training_requested = 0;
  std::size_t training_delivered = 0;
  std::size_t members_at_end = 0;  // on the period's last day (or `to`)
  std::size_t attendance = 0;      // of the meetings held
  // The national row (`network` ""). While a report is made, also a row of
  // the national findings alone, which finish_periods folds into it.
  bool national = false;

  bool operator==(const TrendPeriod&) const = default;
};

struct RankedTheme {
  std::string theme;
  std::size_t networks = 0;
  bool national = false;  // a national finding of it
  bool operator==(const RankedTheme&) const = default;
};

struct RankedFamily {
  std::string family;  // a theme code: the family's
  std::size_t networks = 0;
  bool national = false;  // a national finding of a theme of it
  bool operator==(const RankedFamily&) const = default;
};

struct TrendReport {
  std::vector<TrendPeriod> periods;
  std::vector<RankedTheme> themes_ranked;
  std::vector<RankedFamily> families_ranked;
};

// Errors (kInvalidArgument, "<parameter>: <reason>"): "from: after to" when
// both are given and from > to; "network: unknown network '...'";
// "theme: unknown theme code '...'".
// `events` reads back the events of a meeting changed after known_at (the
// read models keep none); its errors are passed on.
Result<TrendReport> compute_trends(const ReadModels& models, const TrendQuery& query,
                                   const StreamEvents& events);

// The report of a validated query computed by a scan of the event-level read
// models, counting only what was recorded by query.known_at_us (everything
// when absent): a meeting as its stream stood then, folded again from its
// events (read by `events`) when some were recorded later. compute_trends
// uses it when known_at is given.
Result<TrendReport> trends_from_records(const RegistryView& view, const TrendQuery& query,
                                        const StreamEvents& events);

// The last day of the period holding `d` (the 31st of its month, of its
// quarter's last month, or of December).
domain::Date last_day_of_period(const domain::Date& d, Granularity granularity);

// Members counted on a day, from the changes of a member count: +1 on a
// joined_on, -1 on a left_on (day numbers of domain::days_from_civil).
class MemberCurve {
 public:
  void change(std::int64_t day, std::int64_t delta) { changes_[day] += delta; }
  // The members counted on `day`: the sum of the changes on or before it.
  std::size_t on(std::int64_t day) const;

 private:
  std::map<std::int64_t, std::int64_t> changes_;
};

// Where members_at_end comes from: the members counted in a network on a day
// (0 for a network with no member changes), and the sum of every network's
// count on a day.
struct MembersOn {
  std::function<std::size_t(std::string_view network, std::int64_t day)> network;
  std::function<std::size_t(std::int64_t day)> every_network;
};
// MembersOn over member curves by network id.
MembersOn members_on(const std::map<std::string, MemberCurve, std::less<>>& curves);

// Both ways' last step: fills members_at_end of each row from `members` for
// its network and, when `national`, adds after each period's rows its national
// row, whose members_at_end is every network's; a row of national findings
// (`national` set, network "") is folded into it.
void finish_periods(std::vector<TrendPeriod>& periods, const TrendQuery& query,
                    const MembersOn& members, bool national);

// Both ways' ranking: themes by the networks that observed them
// (`theme_networks`) and the national findings' themes (`national_themes`),
// families likewise (by `taxonomy`'s families); highest count first (a
// national finding counting one), then by code.
void rank_themes(TrendReport& report,
                 const std::map<std::string, std::set<std::string>>& theme_networks,
                 const std::set<std::string>& national_themes,
                 const domain::TaxonomyState& taxonomy);

// {"periods": [{"period", "network" (null in the national row),
//  "observations", "target_groups", "meetings_held", "meeting_themes",
//  "members_joined", "members_left", "training_requested",
//  "training_delivered", "members_at_end", "attendance", "wishes"}],
//  "themes_ranked": [{"theme", "networks", "national"}], "families_ranked":
//  [{"family", "networks", "national"}]}
boost::json::object trends_json(const TrendReport& report);

// RFC 4180 CSV with CRLF line ends: header "period,network,measure,code,count",
// then per period the code measures (observations, target_groups,
// meetings_held, meeting_themes, wishes; code order) and the totals (empty code:
// members_joined, members_left, training_requested, training_delivered,
// members_at_end, attendance); counts of 0 are left out; the national row's
// network column is empty. A field starting with '=', '+', '-', '@', TAB or
// CR gets a leading apostrophe so that spreadsheets do not run it.
std::string trends_csv(const TrendReport& report);

}  // namespace ikv::projections
