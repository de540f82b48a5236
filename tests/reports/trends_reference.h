// The coverage report computed the release-1 way, by scanning every record of
// the main view: the model that the TrendCounters unit's answers are compared
// with (trend_counters_test.cc). Not for production. (The trend report's scan
// is projections::trends_from_records, which serves known_at.)
#pragma once

#include "projections/coverage.h"
#include "projections/registry_view.h"
#include "projections/trends.h"

namespace ikv::projections::testing {

// Coverage on `day`, every network in id order.
std::vector<NetworkCoverage> coverage_by_scan(const RegistryView& view, const domain::Date& day);

}  // namespace ikv::projections::testing
