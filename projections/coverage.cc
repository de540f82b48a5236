#include "projections/coverage.h"

#include "projections/trend_counters.h"
#include "projections/trends.h"

namespace ikv::projections {

namespace json = boost::json;

namespace {

// Members per sector on `day` as known at `known_at_us`, from the records.
std::map<std::string, std::size_t> members_by_sector_known(const NetworkRecord& n,
                                                           const domain::Date& day,
                                                           std::int64_t known_at_us) {
  std::map<std::string, std::size_t> out;
  n.members.for_each([&](std::string_view /*id*/, const MemberRecord& m) {
    if (m.is_member_on(day, known_at_us)) ++out[m.details_known(known_at_us).sector];
  });
  return out;
}

}  // namespace

std::vector<NetworkCoverage> compute_coverage(const ReadModels& models, const domain::Date& as_of,
                                              std::optional<std::int64_t> known_at_us) {
  const RegistryView& view = models.view();
  const auto& counters = models.get<TrendCounters>();
  const auto& sectors = view.taxonomy().entries(domain::TaxonomyKind::kSector);
  std::vector<NetworkCoverage> out;
  for (const auto& [id, network] : view.network_records()) {
    if (known_at_us && network.established_recorded_at_us > *known_at_us) continue;
    NetworkCoverage c;
    c.network = id;
    c.members_by_sector = known_at_us ? members_by_sector_known(network, as_of, *known_at_us)
                                      : counters.members_by_sector_on(id, as_of);
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
