// The network decider: members joining, leaving, changing and being erased.
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

TEST(NetworkDecider, JoinsAMemberWithTrimmedFields) {
  JoinNetwork c = join("m-1", " anna@example.fi ");
  c.personal.phone = " ";
  c.title = " Inspector ";
  MemberJoined e = joined("m-1", "anna@example.fi");
  e.title = "Inspector";
  network_spec().given({oulu_established()}).when(c).then({e});
}

TEST(NetworkDecider, RejectsJoiningWithAnEmailAlreadyInTheNetwork) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(join("m-2", "  Anna@Example.FI "))
      .rejects(K::kConflict, "email_taken", "/email");
}

TEST(NetworkDecider, AcceptsTheEmailOfAMemberWhoHasLeft) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"),
              MemberLeft{"m-1", {2024, 6, 1}, std::nullopt}})
      .when(join("m-2", "anna@example.fi"))
      .then({joined("m-2", "anna@example.fi")});
}

TEST(NetworkDecider, RejectsAMalformedEmail) {
  for (const char* email : {"anna", "anna@", "@example.fi", "anna@example", "a b@example.fi",
                            "anna@@example.fi", "anna@.fi"}) {
    network_spec()
        .given({oulu_established()})
        .when(join("m-1", email))
        .rejects(K::kValidation, "invalid_email", "/email");
  }
}

TEST(NetworkDecider, RejectsAnEmptyName) {
  JoinNetwork c = join("m-1", "anna@example.fi");
  c.personal.name = " ";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "missing_field", "/name");
}

TEST(NetworkDecider, RejectsASectorNotInTheTaxonomy) {
  network_spec()
      .given({oulu_established()})
      .when(join("m-1", "anna@example.fi", "fire_brigade"))
      .rejects(K::kValidation, "unknown_sector", "/sector");
}

TEST(NetworkDecider, AcceptsASectorAddedToTheTaxonomy) {
  World world;
  world.taxonomy.put(TaxonomyKind::kSector, "fire_brigade", {"Pelastus", "Räddning", "Rescue"});
  network_spec(world)
      .given({oulu_established()})
      .when(join("m-1", "anna@example.fi", "fire_brigade"))
      .then({joined("m-1", "anna@example.fi", "fire_brigade")});
}

TEST(NetworkDecider, RejectsJoiningWithAMemberIdInUse) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(join("m-1", "other@example.fi"))
      .rejects(K::kConflict, "member_exists", "/member_id");
}

TEST(NetworkDecider, RejectsAnImpossibleJoinDate) {
  JoinNetwork c = join("m-1", "anna@example.fi");
  c.joined_on = {2024, 2, 30};
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "invalid_date", "/joined_on");
}

TEST(NetworkDecider, LeavesTheNetwork) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(LeaveNetwork{"m-1", {2024, 6, 1}, std::string(" moved ")})
      .then({MemberLeft{"m-1", {2024, 6, 1}, std::string("moved")}});
}

TEST(NetworkDecider, RejectsLeavingForAnUnknownMember) {
  network_spec()
      .given({oulu_established()})
      .when(LeaveNetwork{"m-9", {2024, 6, 1}, std::nullopt})
      .rejects(K::kNotFound, "member_not_found");
}

TEST(NetworkDecider, RejectsLeavingTwice) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"),
              MemberLeft{"m-1", {2024, 6, 1}, std::nullopt}})
      .when(LeaveNetwork{"m-1", {2024, 7, 1}, std::nullopt})
      .rejects(K::kConflict, "member_already_left");
}

TEST(NetworkDecider, RejectsALeaveDateBeforeTheJoinDate) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(LeaveNetwork{"m-1", {2024, 5, 13}, std::nullopt})
      .rejects(K::kValidation, "left_before_joined", "/left_on");
}

TEST(NetworkDecider, ChangesOnlyTheDetailsThatDiffer) {
  ChangeMemberDetails c{"m-1",        std::nullopt,          "ANNA@example.fi",
                        std::nullopt, "Oulun poliisilaitos", "border_guard",
                        std::nullopt};
  MemberDetailsChanged e{
      "m-1",          PersonalData{"Person m-1", "ANNA@example.fi", std::nullopt},
      false,          std::nullopt,
      "border_guard", std::nullopt};
  network_spec().given({oulu_established(), joined("m-1", "anna@example.fi")}).when(c).then({e});
}

TEST(NetworkDecider, ChangingNothingReturnsNoEvents) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(ChangeMemberDetails{"m-1", "Person m-1", std::nullopt, std::nullopt, std::nullopt,
                                "police", std::nullopt})
      .then_nothing();
}

TEST(NetworkDecider, RejectsChangingToTheEmailOfAnotherMember) {
  network_spec()
      .given(
          {oulu_established(), joined("m-1", "anna@example.fi"), joined("m-2", "bert@example.fi")})
      .when(ChangeMemberDetails{"m-2", std::nullopt, "Anna@Example.fi", std::nullopt, std::nullopt,
                                std::nullopt, std::nullopt})
      .rejects(K::kConflict, "email_taken", "/email");
}

TEST(NetworkDecider, RejectsChangingPersonalDataAfterErasure) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"), PersonalDataErased{"m-1"}})
      .when(ChangeMemberDetails{"m-1", "Anna", std::nullopt, std::nullopt, std::nullopt,
                                std::nullopt, std::nullopt})
      .rejects(K::kConflict, "personal_data_erased");
}

TEST(NetworkDecider, ErasesPersonalData) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(ErasePersonalData{"m-1"})
      .then({PersonalDataErased{"m-1"}});
}

TEST(NetworkDecider, RecordsTheReasonAndRequestOfAnErasureTrimmed) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(ErasePersonalData{"m-1", " data-subject request ", " DSR-2024-17 "})
      .then({PersonalDataErased{"m-1", "data-subject request", "DSR-2024-17"}});
}

TEST(NetworkDecider, TreatsABlankErasureReasonAsNone) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(ErasePersonalData{"m-1", "  ", std::nullopt})
      .then({PersonalDataErased{"m-1", std::nullopt, std::nullopt}});
}

TEST(NetworkDecider, ErasingTwiceChangesNothing) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"), PersonalDataErased{"m-1"}})
      .when(ErasePersonalData{"m-1"})
      .then_nothing();
}

TEST(NetworkDecider, RejectsErasingAnUnknownMember) {
  network_spec()
      .given({oulu_established()})
      .when(ErasePersonalData{"m-9"})
      .rejects(K::kNotFound, "member_not_found");
}

TEST(NetworkDecider, ErasesAMemberWhoHasLeft) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"),
              MemberLeft{"m-1", {2024, 6, 1}, std::nullopt}})
      .when(ErasePersonalData{"m-1"})
      .then({PersonalDataErased{"m-1"}});
}

}  // namespace
}  // namespace ikv::domain::testing
