// Trend report: per period and network, by EFFECTIVE date, the observations
// by theme and by target group, the meetings held by format and the themes
// discussed in them, the members who joined and left, and the training
// requested and delivered; plus the themes ranked by how many distinct
// networks recorded an observation of them, and the theme families ranked
// likewise (a network counts once per family however many of the family's
// themes it raised; a theme with no family is its own family; the families of
// the current taxonomy apply to every observation, old ones too). Read from the counters that the
// TrendCounters unit keeps (projections/trend_counters.h), never from a scan:
// the same log always gives the same report.
//
// Rules:
// - a fact counts in the period of its effective date (observed_on, held_on,
//   joined_on, left_on, requested_on, delivered_on) when that date lies in
//   [from, to]; periods are "YYYY-MM", "YYYY-Qn" or "YYYY";
// - a meeting held counts for its organiser and for every joint network;
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
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "common/result.h"
#include "domain/date.h"
#include "domain/taxonomy.h"

namespace ikv::projections {

class ReadModels;

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
  std::size_t members_joined = 0;
  std::size_t members_left = 0;
  std::size_t training_requested = 0;
  std::size_t training_delivered = 0;

  bool operator==(const TrendPeriod&) const = default;
};

struct RankedTheme {
  std::string theme;
  std::size_t networks = 0;
  bool operator==(const RankedTheme&) const = default;
};

struct RankedFamily {
  std::string family;  // a theme code: the family's
  std::size_t networks = 0;
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
Result<TrendReport> compute_trends(const ReadModels& models, const TrendQuery& query);

// {"periods": [{"period", "network", "observations", "target_groups",
//  "meetings_held", "meeting_themes", "members_joined", "members_left",
//  "training_requested", "training_delivered"}], "themes_ranked": [{"theme",
//  "networks"}], "families_ranked": [{"family", "networks"}]}
boost::json::object trends_json(const TrendReport& report);

// RFC 4180 CSV with CRLF line ends: header "period,network,measure,code,count",
// then per period the code measures (code order) and the four totals (empty
// code); counts of 0 are left out. A field starting with '=', '+', '-', '@',
// TAB or CR gets a leading apostrophe so that spreadsheets do not run it.
std::string trends_csv(const TrendReport& report);

}  // namespace ikv::projections
