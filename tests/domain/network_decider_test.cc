// The network decider: establishing, stewardship, observations and
// training. Membership is in network_members_test.cc, corrections in
// corrections_test.cc.
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

EstablishNetwork establish_oulu() {
  return {"oulu",
          {" Oulu ", "Uleåborg", "Oulu"},
          "North Ostrobothnia",
          "Oulu",
          "Pro-tukipiste",
          Date{2023, 1, 15}};
}

TEST(NetworkDecider, EstablishesANetworkWithTrimmedNames) {
  network_spec().when(establish_oulu()).then({oulu_established()});
}

TEST(NetworkDecider, RejectsEstablishingANetworkThatExists) {
  network_spec()
      .given({oulu_established()})
      .when(establish_oulu())
      .rejects(K::kConflict, "network_exists", "/network_id");
}

TEST(NetworkDecider, RejectsANetworkIdThatIsNotASlug) {
  for (const char* id : {"Oulu", "o", "oulu_north", "-oulu", "", "oulu network"}) {
    EstablishNetwork c = establish_oulu();
    c.network_id = id;
    network_spec().when(c).rejects(K::kValidation, "invalid_network_id", "/network_id");
  }
}

TEST(NetworkDecider, RejectsAnEmptySwedishName) {
  EstablishNetwork c = establish_oulu();
  c.name.sv = "  ";
  network_spec().when(c).rejects(K::kValidation, "missing_field", "/name/sv");
}

TEST(NetworkDecider, RejectsAnImpossibleEstablishmentDate) {
  EstablishNetwork c = establish_oulu();
  c.established_on = {2023, 2, 29};
  network_spec().when(c).rejects(K::kValidation, "invalid_date", "/established_on");
}

TEST(NetworkDecider, RejectsCommandsOnANetworkThatDoesNotExist) {
  network_spec()
      .when(ChangeNetworkDetails{{"Oulu", "Uleåborg", "Oulu"}, {}, {}, {}})
      .rejects(K::kNotFound, "network_not_found");
  network_spec().when(join("m-1", "a@b.fi")).rejects(K::kNotFound, "network_not_found");
  network_spec().when(ErasePersonalData{"m-1"}).rejects(K::kNotFound, "network_not_found");
}

TEST(NetworkDecider, TransfersStewardship) {
  network_spec()
      .given({oulu_established()})
      .when(TransferStewardship{"Assistance System", {2024, 1, 1}})
      .then({StewardshipTransferred{"Assistance System", {2024, 1, 1}}});
}

TEST(NetworkDecider, RejectsAStewardshipTransferDatedOnTheLastOne) {
  network_spec()
      .given({oulu_established(), StewardshipTransferred{"RIKU", {2024, 1, 1}}})
      .when(TransferStewardship{"Assistance System", {2024, 1, 1}})
      .rejects(K::kConflict, "stewardship_date_not_after_last", "/effective_on");
}

TEST(NetworkDecider, RejectsAStewardshipTransferDatedBeforeEstablishment) {
  network_spec()
      .given({oulu_established()})
      .when(TransferStewardship{"Assistance System", {2022, 12, 31}})
      .rejects(K::kConflict, "stewardship_date_not_after_last");
}

TEST(NetworkDecider, TransferToTheCurrentStewardChangesNothing) {
  network_spec()
      .given({oulu_established()})
      .when(TransferStewardship{"Pro-tukipiste", {2024, 6, 1}})
      .then_nothing();
}

TEST(NetworkDecider, RecordsAnObservationWithTrimmedTargetGroups) {
  network_spec()
      .given({oulu_established()})
      .when(RecordObservation{"o-1",
                              "forced_marriage",
                              {2024, 5, 20},
                              {" Vietnamese ", "seasonal pickers"},
                              std::nullopt,
                              std::string("  ")})
      .then({ObservationRecorded{"o-1",
                                 "forced_marriage",
                                 {2024, 5, 20},
                                 {"Vietnamese", "seasonal pickers"},
                                 std::nullopt,
                                 std::nullopt}});
}

TEST(NetworkDecider, StoresAWrittenTargetGroupThatNamesOneAsItsCode) {
  // ukrainalaiset (fi label), ukrainare (sv label), Ukrainian (en label),
  // Ukrainians (alias) and THAILÄNDARE (sv label, any case) name target groups.
  network_spec()
      .given({oulu_established()})
      .when(RecordObservation{
          "o-1",
          "forced_labour",
          {2024, 5, 20},
          {" ukrainalaiset", "THAILÄNDARE", "ukrainare ", "Ukrainian", "Ukrainians", "Vietnamese"},
          std::nullopt,
          std::nullopt})
      .then({ObservationRecorded{"o-1",
                                 "forced_labour",
                                 {2024, 5, 20},
                                 {"ukrainian", "thai", "Vietnamese"},
                                 std::nullopt,
                                 std::nullopt}});
}

TEST(NetworkDecider, MatchesTargetGroupsAnAdminAdded) {
  World world;
  world.taxonomy =
      evolve(world.taxonomy, TaxonomyEntryAdded{TaxonomyKind::kTargetGroup,
                                                "vietnamese",
                                                {"vietnamilaiset", "vietnameser", "Vietnamese"},
                                                std::nullopt,
                                                {"Vietnamilainen"}});
  network_spec(world)
      .given({oulu_established()})
      .when(RecordObservation{"o-1",
                              "forced_labour",
                              {2024, 5, 20},
                              {"vietnamilainen", "Nepalese"},
                              std::nullopt,
                              std::nullopt})
      .then({ObservationRecorded{"o-1",
                                 "forced_labour",
                                 {2024, 5, 20},
                                 {"vietnamese", "Nepalese"},
                                 std::nullopt,
                                 std::nullopt}});
}

TEST(NetworkDecider, RejectsAnObservationWithAThemeNotInTheTaxonomy) {
  network_spec()
      .given({oulu_established()})
      .when(RecordObservation{"o-1", "police", {2024, 5, 20}, {}, std::nullopt, std::nullopt})
      .rejects(K::kValidation, "unknown_theme", "/theme");
}

TEST(NetworkDecider, RejectsAnObservationOfAMeetingNotInvolvingTheNetwork) {
  World world;
  world.meetings.insert({"meet-1", "turku"});
  network_spec(world)
      .given({oulu_established()})
      .when(RecordObservation{"o-1", "forced_labour", {2024, 5, 20}, {}, "meet-1", std::nullopt})
      .rejects(K::kValidation, "unknown_meeting", "/meeting_id");
}

TEST(NetworkDecider, AcceptsAnObservationOfAMeetingInvolvingTheNetwork) {
  World world;
  world.meetings.insert({"meet-1", "oulu"});
  network_spec(world)
      .given({oulu_established()})
      .when(RecordObservation{"o-1", "forced_labour", {2024, 5, 20}, {}, "meet-1", "Seasonal"})
      .then({ObservationRecorded{"o-1", "forced_labour", {2024, 5, 20}, {}, "meet-1", "Seasonal"}});
}

TEST(NetworkDecider, RejectsABlankTargetGroup) {
  network_spec()
      .given({oulu_established()})
      .when(RecordObservation{
          "o-1", "forced_labour", {2024, 5, 20}, {"Thai", " "}, std::nullopt, std::nullopt})
      .rejects(K::kValidation, "missing_field", "/target_groups/1");
}

TEST(NetworkDecider, RequestsTraining) {
  network_spec()
      .given({oulu_established()})
      .when(RequestTraining{"t-1", "victim_identification", {2024, 5, 20}, std::nullopt})
      .then({TrainingRequested{"t-1", "victim_identification", {2024, 5, 20}, std::nullopt}});
}

TEST(NetworkDecider, RejectsTrainingWithATopicNotInTheTaxonomy) {
  network_spec()
      .given({oulu_established()})
      .when(RequestTraining{"t-1", "forced_labour", {2024, 5, 20}, std::nullopt})
      .rejects(K::kValidation, "unknown_training_topic", "/topic");
}

TEST(NetworkDecider, RejectsNegativeParticipants) {
  network_spec()
      .given({oulu_established()})
      .when(DeliverTraining{"t-2", "trafficking_phenomenon", {2024, 9, 2}, -1})
      .rejects(K::kValidation, "negative_participants", "/participants");
}

TEST(NetworkDecider, DeliversTrainingThatAnswersAnOpenRequest) {
  network_spec()
      .given({oulu_established(),
              TrainingRequested{"r-1", "victim_identification", {2024, 5, 20}, std::nullopt}})
      .when(DeliverTraining{"t-2", "victim_identification", {2024, 9, 2}, 30, "r-1"})
      .then({TrainingDelivered{"t-2", "victim_identification", {2024, 9, 2}, 30, "r-1"}});
}

TEST(NetworkDecider, ABlankRequestIdIsNone) {
  network_spec()
      .given({oulu_established()})
      .when(DeliverTraining{"t-2", "victim_identification", {2024, 9, 2}, 30, " "})
      .then({TrainingDelivered{"t-2", "victim_identification", {2024, 9, 2}, 30, std::nullopt}});
}

TEST(NetworkDecider, RejectsTrainingThatAnswersARequestTheNetworkDoesNotHave) {
  network_spec()
      .given({oulu_established()})
      .when(DeliverTraining{"t-2", "victim_identification", {2024, 9, 2}, 30, "r-404"})
      .rejects(RejectionKind::kValidation, "unknown_training_request", "/request_id");
}

TEST(NetworkDecider, RejectsASecondDeliveryOfARequest) {
  network_spec()
      .given({oulu_established(),
              TrainingRequested{"r-1", "victim_identification", {2024, 5, 20}, std::nullopt},
              TrainingDelivered{"t-1", "victim_identification", {2024, 9, 2}, 30, "r-1"}})
      .when(DeliverTraining{"t-2", "trafficking_phenomenon", {2024, 10, 2}, 12, "r-1"})
      .rejects(RejectionKind::kConflict, "training_request_delivered", "/request_id");
}

TEST(NetworkDecider, DeliversTrainingToNoOneAtAll) {
  network_spec()
      .given({oulu_established()})
      .when(DeliverTraining{"t-2", "trafficking_phenomenon", {2024, 9, 2}, 0})
      .then({TrainingDelivered{"t-2", "trafficking_phenomenon", {2024, 9, 2}, 0}});
}

}  // namespace
}  // namespace ikv::domain::testing
