#include "projections/coverage.h"

#include "projections/trend_counters.h"
#include "projections/trends.h"

namespace ikv::projections {

namespace json = boost::json;

std::vector<NetworkCoverage> compute_coverage(const ReadModels& models, const domain::Date& as_of) {
  const RegistryView& view = models.view();
  const auto& counters = models.get<TrendCounters>();
  const auto& sectors = view.taxonomy().entries(domain::TaxonomyKind::kSector);
  std::vector<NetworkCoverage> out;
  for (const auto& [id, network] : view.network_records()) {
    (void)network;
    NetworkCoverage c;
    c.network = id;
    c.members_by_sector = counters.members_by_sector_on(id, as_of);
    for (const auto& [code, labels] : sectors) {
      if (!c.members_by_sector.contains(code)) c.missing_sectors.push_back(code);
    }
    out.push_back(std::move(c));
  }
  return out;
}

json::object coverage_json(const std::vector<NetworkCoverage>& report, const domain::Date& as_of) {
  json::array networks;
  for (const NetworkCoverage& c : report) {
    json::object by_sector;
    for (const auto& [code, n] : c.members_by_sector)
      by_sector[code] = static_cast<std::uint64_t>(n);
    json::array missing;
    for (const std::string& code : c.missing_sectors) missing.emplace_back(code);
    networks.push_back(json::object{{"network", c.network},
                                    {"members_by_sector", std::move(by_sector)},
                                    {"missing_sectors", std::move(missing)}});
  }
  return json::object{{"as_of", domain::to_string(as_of)}, {"networks", std::move(networks)}};
}

std::string coverage_csv(const std::vector<NetworkCoverage>& report) {
  std::string out = "network,sector,members\r\n";
  for (const NetworkCoverage& c : report) {
    const std::string head = csv_field(c.network) + ",";
    for (const auto& [code, n] : c.members_by_sector) {
      out += head + csv_field(code) + "," + std::to_string(n) + "\r\n";
    }
    for (const std::string& code : c.missing_sectors) out += head + csv_field(code) + ",0\r\n";
  }
  return out;
}

}  // namespace ikv::projections
