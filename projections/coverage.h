// Coverage report: per network, the members counted on a given day (in
// practice today: joined_on <= today < left_on) by sector, and the sectors of
// the taxonomy that none of them comes from. Read from the TrendCounters unit's
// per-day counts (projections/trend_counters.h); "today" is passed in.
//
// Thread-safety: pure functions; the read models must not be folded
// meanwhile (hold their owner's shared lock).
//
//   auto report = compute_coverage(models, today);
//   respond(coverage_json(report));
#pragma once

#include <cstddef>
#include <map>
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

// Every network, in id order.
std::vector<NetworkCoverage> compute_coverage(const ReadModels& models, const domain::Date& today);

// {"networks": [{"network", "members_by_sector": {code: n}, "missing_sectors": [code]}]}
boost::json::object coverage_json(const std::vector<NetworkCoverage>& report);

}  // namespace ikv::projections
