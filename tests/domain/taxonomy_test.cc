// The taxonomy: built-in codes and adding entries.
#include "domain/text.h"
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

const LocalizedText kLabels{"Velkaorjuus", "Skuldslaveri", "Debt bondage"};

TEST(Taxonomy, HoldsTheBuiltInCodesWithAllLabels) {
  const TaxonomyState t = initial_taxonomy_state();
  const auto codes = [&t](TaxonomyKind kind) {
    std::set<std::string> out;
    for (const auto& entry : t.entries(kind)) out.insert(entry.first);
    return out;
  };
  EXPECT_EQ(codes(TaxonomyKind::kSector),
            (std::set<std::string>{
                "integration_services", "reception_centre", "police", "border_guard", "kela",
                "wellbeing_services_county", "victim_support", "ngo", "legal_aid", "trade_union",
                "employment_services", "youth_work", "parish", "labour_inspection", "other"}));
  EXPECT_EQ(codes(TaxonomyKind::kTheme),
            (std::set<std::string>{
                "forced_labour", "labour_exploitation", "forced_marriage", "child_exploitation",
                "youth_exploitation", "sexual_exploitation", "seasonal_work",
                "wellbeing_county_transition", "lack_of_operating_models", "lack_of_training",
                "reluctance_to_report", "undocumented_persons", "other"}));
  EXPECT_EQ(codes(TaxonomyKind::kMeetingFormat),
            (std::set<std::string>{"in_person", "remote", "hybrid"}));
  EXPECT_EQ(codes(TaxonomyKind::kTrainingTopic),
            (std::set<std::string>{"trafficking_phenomenon", "victim_identification"}));
  EXPECT_TRUE(t.contains(TaxonomyKind::kSector, "wellbeing_services_county"));
  EXPECT_TRUE(t.contains(TaxonomyKind::kTheme, "reluctance_to_report"));
  EXPECT_FALSE(t.contains(TaxonomyKind::kTheme, "police"));
  EXPECT_EQ(t.labels(TaxonomyKind::kTheme, "forced_labour")->sv, "Tvångsarbete");
  for (TaxonomyKind kind : kAllTaxonomyKinds) {
    for (const auto& [code, labels] : t.entries(kind)) {
      EXPECT_TRUE(is_taxonomy_code(code)) << code;
      EXPECT_FALSE(labels.fi.empty() || labels.sv.empty() || labels.en.empty()) << code;
    }
  }
}

TEST(TaxonomyDecider, AddsAnEntry) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", kLabels})
      .then({TaxonomyEntryAdded{TaxonomyKind::kTheme, "debt_bondage", kLabels}});
}

TEST(TaxonomyDecider, RejectsACodeThatIsNotSnakeCase) {
  for (const char* code :
       {"Debt", "debt-bondage", "d", "_debt", "debt_", "1debt", "debt bondage"}) {
    taxonomy_spec()
        .when(AddTaxonomyEntry{TaxonomyKind::kTheme, code, kLabels})
        .rejects(K::kValidation, "invalid_code", "/code");
  }
}

TEST(TaxonomyDecider, RejectsAMissingLabel) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", {"Velkaorjuus", "", "Debt"}})
      .rejects(K::kValidation, "missing_field", "/labels/sv");
}

TEST(TaxonomyDecider, RejectsAnExistingCodeWithOtherLabels) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kSector, "police", kLabels})
      .rejects(K::kConflict, "taxonomy_code_exists", "/code");
}

TEST(TaxonomyDecider, AddingTheSameEntryAgainChangesNothing) {
  taxonomy_spec()
      .given({TaxonomyEntryAdded{TaxonomyKind::kTheme, "debt_bondage", kLabels}})
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", kLabels})
      .then_nothing();
}

TEST(TaxonomyDecider, AllowsACodeOfAnotherKind) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kSector, "forced_labour", kLabels})
      .then({TaxonomyEntryAdded{TaxonomyKind::kSector, "forced_labour", kLabels}});
}

TEST(Taxonomy, EvolveAddsTheEntry) {
  const TaxonomyState t = evolve(initial_taxonomy_state(),
                                 TaxonomyEntryAdded{TaxonomyKind::kTheme, "debt_bondage", kLabels});
  EXPECT_TRUE(t.contains(TaxonomyKind::kTheme, "debt_bondage"));
  EXPECT_FALSE(builtin_taxonomy().contains(TaxonomyKind::kTheme, "debt_bondage"));
}

}  // namespace
}  // namespace ikv::domain::testing
