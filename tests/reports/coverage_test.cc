// The coverage report: members counted today by sector, and the sectors missing.
#include <gtest/gtest.h>

#include <algorithm>

#include "projection_test_support.h"
#include "projections/coverage.h"

namespace ikv::projections {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)
using domain::network_stream;

TEST(Coverage, CountsTheMembersOfTodayBySector) {
  TestLog log;
  log.add(network_stream("tampere"), established("tampere"));
  log.add(network_stream("tampere"), joined("m1", "police", "2024-01-10"));
  log.add(network_stream("tampere"), joined("m2", "ngo", "2024-02-10"));
  log.add(network_stream("tampere"), joined("m3", "ngo", "2024-03-10"));
  log.add(network_stream("tampere"), joined("m4", "kela", "2024-03-10"));
  log.add(network_stream("tampere"), left("m4", "2024-06-01"));              // gone by today
  log.add(network_stream("tampere"), joined("m5", "parish", "2024-07-01"));  // joins later
  log.add(network_stream("tampere"), joined("m6", "police", "2024-01-10"));
  log.add(network_stream("tampere"), left("m6", "2024-07-01"));  // still here today
  const auto report = compute_coverage(log.replay_models(), day("2024-06-15"));
  ASSERT_EQ(report.size(), 1u);
  EXPECT_EQ(report[0].network, "tampere");
  EXPECT_EQ(report[0].members_by_sector,
            (std::map<std::string, std::size_t>{{"ngo", 2}, {"police", 2}}));
}

TEST(Coverage, MissingSectorsAreTheTaxonomySectorsWithoutMembersInCodeOrder) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("turku"), established("turku"));
  log.add(domain::taxonomy_stream(),
          domain::TaxonomyEntryAdded{domain::TaxonomyKind::kSector,
                                     "health_care",
                                     {"Terveydenhuolto", "Hälsovård", "Health care"}});
  log.add(network_stream("oulu"), joined("m1", "police", "2024-01-10"));
  const ReadModels models = log.replay_models();
  const RegistryView& view = models.view();
  const auto report = compute_coverage(models, day("2024-06-15"));
  ASSERT_EQ(report.size(), 2u);
  const auto& sectors = view.taxonomy().entries(domain::TaxonomyKind::kSector);
  EXPECT_EQ(report[0].network, "oulu");
  EXPECT_EQ(report[0].missing_sectors.size(), sectors.size() - 1);
  EXPECT_EQ(
      std::count(report[0].missing_sectors.begin(), report[0].missing_sectors.end(), "police"), 0);
  EXPECT_TRUE(std::is_sorted(report[0].missing_sectors.begin(), report[0].missing_sectors.end()));
  EXPECT_EQ(report[1].network, "turku");
  EXPECT_TRUE(report[1].members_by_sector.empty());
  EXPECT_EQ(report[1].missing_sectors.size(), sectors.size());
  EXPECT_EQ(
      std::count(report[1].missing_sectors.begin(), report[1].missing_sectors.end(), "health_care"),
      1);
}

TEST(Coverage, JsonHasTheDocumentedShape) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-01-10"));
  const auto j =
      coverage_json(compute_coverage(log.replay_models(), day("2024-06-15")), day("2024-06-15"));
  EXPECT_EQ(j.at("as_of"), "2024-06-15");
  const auto& n = j.at("networks").as_array().at(0).as_object();
  EXPECT_EQ(n.at("network"), "oulu");
  EXPECT_EQ(n.at("members_by_sector").as_object().at("police"), 1);
  EXPECT_EQ(n.at("members_by_sector").as_object().size(), 1u);
  EXPECT_EQ(n.at("missing_sectors").as_array().at(0), "border_guard");
}

TEST(Coverage, CsvHasARowForEverySectorWithTheGapsAsZero) {
  TestLog log;
  log.add(network_stream("oulu"), established("oulu"));
  log.add(network_stream("oulu"), joined("m1", "police", "2024-01-10"));
  log.add(network_stream("oulu"), joined("m2", "police", "2024-02-10"));
  const auto models = log.replay_models();
  const std::string csv = coverage_csv(compute_coverage(models, day("2024-06-15")));
  EXPECT_EQ(csv.substr(0, csv.find("\r\n", csv.find("\r\n") + 2) + 2),
            "network,sector,members\r\noulu,police,2\r\n");
  EXPECT_NE(csv.find("\r\noulu,border_guard,0\r\n"), std::string::npos);
  const auto sectors = models.view().taxonomy().entries(domain::TaxonomyKind::kSector).size();
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), 1 + sectors);
  // Before anyone joined, every sector is a gap.
  const std::string before = coverage_csv(compute_coverage(models, day("2024-01-09")));
  EXPECT_NE(before.find("oulu,police,0\r\n"), std::string::npos);
}

}  // namespace
}  // namespace ikv::projections
