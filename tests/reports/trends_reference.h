// The trend and coverage reports computed the release-1 way, by scanning
// every record of the main view: the model that the TrendCounters unit's
// answers are compared with (trend_counters_test.cc). Not for production.
#pragma once

#include "projections/coverage.h"
#include "projections/registry_view.h"
#include "projections/trends.h"

namespace ikv::projections::testing {

// The report for a valid query (compute_trends checks it first).
TrendReport trends_by_scan(const RegistryView& view, const TrendQuery& query);
// Coverage on `day`, every network in id order.
std::vector<NetworkCoverage> coverage_by_scan(const RegistryView& view, const domain::Date& day);

}  // namespace ikv::projections::testing
