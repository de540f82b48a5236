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

TEST(Taxonomy, HoldsTheBuiltInFamiliesAndTargetGroups) {
  const TaxonomyState t = initial_taxonomy_state();
  EXPECT_EQ(
      t.families(),
      (std::map<std::string, std::string, std::less<>>{{"labour_exploitation", "forced_labour"}}));
  EXPECT_EQ(t.family_or_self("labour_exploitation"), "forced_labour");
  EXPECT_EQ(t.family_or_self("forced_labour"), "forced_labour");
  EXPECT_EQ(t.family_or_self("seasonal_work"), "seasonal_work");
  std::set<std::string> groups;
  for (const auto& entry : t.entries(TaxonomyKind::kTargetGroup)) groups.insert(entry.first);
  EXPECT_EQ(groups, (std::set<std::string>{"thai", "ukrainian", "undocumented"}));
  for (const char* text : {"ukrainian", "ukrainalaiset", "UKRAINARE", " Ukrainian ", "Ukrainians"})
    EXPECT_EQ(*t.target_group_of(text), "ukrainian") << text;
  EXPECT_EQ(*t.target_group_of("Thailändare"), "thai");
  EXPECT_EQ(*t.target_group_of("PAPPERSLÖSA"), "undocumented");
  EXPECT_EQ(t.target_group_of("Ukraine"), nullptr);
  // Every term names one group only.
  std::map<std::string, std::string> owner;
  for (const auto& [code, labels] : t.entries(TaxonomyKind::kTargetGroup)) {
    std::vector<std::string> terms{code, labels.fi, labels.sv, labels.en};
    for (const auto& a : t.aliases(code)) terms.push_back(a);
    for (const auto& term : terms) {
      auto [it, fresh] = owner.try_emplace(fold_term(term), code);
      EXPECT_TRUE(fresh || it->second == code) << term;
    }
  }
}

TEST(TaxonomyDecider, AddsAThemeInAFamily) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", kLabels, "forced_labour"})
      .then({TaxonomyEntryAdded{TaxonomyKind::kTheme, "debt_bondage", kLabels, "forced_labour"}});
}

TEST(TaxonomyDecider, RejectsAFamilyThatIsNoTheme) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", kLabels, "police"})
      .rejects(K::kValidation, "unknown_family", "/family");
}

TEST(TaxonomyDecider, RejectsAFamilyOfAFamily) {
  // labour_exploitation belongs to forced_labour: name forced_labour instead.
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", kLabels, "labour_exploitation"})
      .rejects(K::kValidation, "family_of_family", "/family");
}

TEST(TaxonomyDecider, RejectsAFamilyOnAnotherKind) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kSector, "customs", kLabels, "forced_labour"})
      .rejects(K::kValidation, "family_not_allowed", "/family");
}

TEST(TaxonomyDecider, RejectsAnExistingThemeWithAnotherFamily) {
  taxonomy_spec()
      .given({TaxonomyEntryAdded{TaxonomyKind::kTheme, "debt_bondage", kLabels}})
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", kLabels, "forced_labour"})
      .rejects(K::kConflict, "taxonomy_code_exists", "/code");
}

TEST(TaxonomyDecider, AddingTheSameThemeAndFamilyAgainChangesNothing) {
  taxonomy_spec()
      .given({TaxonomyEntryAdded{TaxonomyKind::kTheme, "debt_bondage", kLabels, "forced_labour"}})
      .when(AddTaxonomyEntry{TaxonomyKind::kTheme, "debt_bondage", kLabels, "forced_labour"})
      .then_nothing();
}

const LocalizedText kVietnamese{"vietnamilaiset", "vietnameser", "Vietnamese"};

TEST(TaxonomyDecider, AddsATargetGroupWithTrimmedAliasesEachTermOnce) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTargetGroup,
                             "vietnamese",
                             kVietnamese,
                             std::nullopt,
                             {" vietnamilainen ", "VIETNAMESER", "Vietnamilainen", "Viets"}})
      .then({TaxonomyEntryAdded{TaxonomyKind::kTargetGroup,
                                "vietnamese",
                                kVietnamese,
                                std::nullopt,
                                {"vietnamilainen", "Viets"}}});
}

TEST(TaxonomyDecider, RejectsATargetGroupTermThatNamesAnotherGroup) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTargetGroup,
                             "ukrainians",
                             {"ukrainalaiset2", "ukrainare2", "Ukrainians2"},
                             std::nullopt,
                             {}})
      .rejects(K::kConflict, "target_group_term_taken", "/code");  // an alias of ukrainian
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTargetGroup,
                             "eastern_europeans",
                             {"itäeurooppalaiset", "Ukrainare", "Eastern Europeans"},
                             std::nullopt,
                             {}})
      .rejects(K::kConflict, "target_group_term_taken", "/labels/sv");
  taxonomy_spec()
      .when(AddTaxonomyEntry{
          TaxonomyKind::kTargetGroup, "vietnamese", kVietnamese, std::nullopt, {"Viets", " thai "}})
      .rejects(K::kConflict, "target_group_term_taken", "/aliases/1");
}

TEST(TaxonomyDecider, RejectsABlankAliasAndAliasesOnAnotherKind) {
  taxonomy_spec()
      .when(AddTaxonomyEntry{
          TaxonomyKind::kTargetGroup, "vietnamese", kVietnamese, std::nullopt, {"Viets", " "}})
      .rejects(K::kValidation, "missing_field", "/aliases/1");
  taxonomy_spec()
      .when(AddTaxonomyEntry{
          TaxonomyKind::kTheme, "debt_bondage", kLabels, std::nullopt, {"bonded labour"}})
      .rejects(K::kValidation, "aliases_not_allowed", "/aliases");
}

TEST(TaxonomyDecider, AddingTheSameTargetGroupAgainChangesNothing) {
  const TaxonomyEntryAdded added{
      TaxonomyKind::kTargetGroup, "vietnamese", kVietnamese, std::nullopt, {"Viets"}};
  taxonomy_spec()
      .given({added})
      .when(AddTaxonomyEntry{
          TaxonomyKind::kTargetGroup, "vietnamese", kVietnamese, std::nullopt, {" Viets"}})
      .then_nothing();
  taxonomy_spec()
      .given({added})
      .when(AddTaxonomyEntry{
          TaxonomyKind::kTargetGroup, "vietnamese", kVietnamese, std::nullopt, {"Viet"}})
      .rejects(K::kConflict, "taxonomy_code_exists", "/code");
}

TEST(TaxonomyDecider, AddsATrainingTopic) {
  const LocalizedText labels{"Työperäinen hyväksikäyttö", "Arbetsrelaterat utnyttjande",
                             "Labour exploitation"};
  taxonomy_spec()
      .when(AddTaxonomyEntry{TaxonomyKind::kTrainingTopic, "labour_exploitation", labels})
      .then({TaxonomyEntryAdded{TaxonomyKind::kTrainingTopic, "labour_exploitation", labels}});
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
