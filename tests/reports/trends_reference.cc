#include "trends_reference.h"

namespace ikv::projections::testing {
std::vector<NetworkCoverage> coverage_by_scan(const RegistryView& view, const domain::Date& day) {
  const auto& sectors = view.taxonomy().entries(domain::TaxonomyKind::kSector);
  std::vector<NetworkCoverage> out;
  for (const auto& [id, network] : view.network_records()) {
    NetworkCoverage c;
    c.network = id;
    c.members_by_sector = network.members_by_sector_on(day);
    for (const auto& [code, labels] : sectors) {
      if (!c.members_by_sector.contains(code)) c.missing_sectors.push_back(code);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace ikv::projections::testing
