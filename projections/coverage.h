// Coverage report: per network, the members counted on a given day (today, or
// the `as_of` a client asks for: joined_on <= day < left_on) by sector, and the
// sectors of the taxonomy that none of them comes from. Read from the
// TrendCounters unit's per-day counts (projections/trend_counters.h); the day
// is passed in. As known at a recorded instant (`known_at`: joins, leaves,
// sector corrections and networks recorded after it do not count), it is
// computed from the member records instead, which keep those times (a
// rare read; see projections/trends.h).
//
// Thread-safety: pure functions; the read models must not be folded
// meanwhile (hold their owner's shared lock).
//
//   auto report = compute_coverage(models, as_of, known_at_us);
//   respond(coverage_json(report, as_of)) or respond(coverage_csv(report, sectors));
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "domain/date.h"
#include "projections/read_models.h"

namespace ikv::projections {

struct NetworkCoverage {
  std::string network;
  std::map<std::string, std::size_t> members_by_sector;  // sectors with members only
  std::vector<std::string> missing_sectors;              // taxonomy sectors, code order

  bool operator==(const NetworkCoverage&) const = default;
};

// Every network, in id order, on the day `as_of`, as known at `known_at_us`
// (UTC microseconds; nullopt: now).
std::vector<NetworkCoverage> compute_coverage(
    const ReadModels& models, const domain::Date& as_of,
    std::optional<std::int64_t> known_at_us = std::nullopt);

// {"as_of", "networks": [{"network", "members_by_sector": {code: n}, "missing_sectors": [code]}]}
boost::json::object coverage_json(const std::vector<NetworkCoverage>& report,
                                  const domain::Date& as_of);

// CSV (RFC 4180, CRLF, header "network,sector,members"): one row per network
// and sector, the sectors with members in code order first, then the missing
// ones with 0, so that a spreadsheet sees the gaps as rows.
std::string coverage_csv(const std::vector<NetworkCoverage>& report);

}  // namespace ikv::projections
