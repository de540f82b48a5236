// The network decider: professionals' own join requests, their answers and
// their expiry (API.md "Public directory and joining").
#include "domain/form_checks.h"
#include "domain/taxonomy.h"
#include "tests/domain/decider_spec.h"

namespace ikv::domain::testing {
namespace {

using K = RejectionKind;

constexpr std::int64_t kDayUs = std::int64_t{24} * 3600 * 1'000'000;
constexpr std::int64_t kReceivedUs = std::int64_t{1'717'200'000} * 1'000'000;  // 2024-06-01

RequestToJoin request(std::string id, std::string email) {
  RequestToJoin c;
  c.request_id = std::move(id);
  c.personal = person("Anna Virtanen", std::move(email));
  c.organisation = "Oulun kaupunki";
  c.sector = "wellbeing_services_county";
  c.now_us = kReceivedUs;
  return c;
}

JoinRequested requested(std::string id, std::string email) {
  return {std::move(id),
          JoinRequestDetails{person("Anna Virtanen", std::move(email)), std::nullopt, std::nullopt},
          "Oulun kaupunki", "wellbeing_services_county", kReceivedUs};
}

TEST(JoinRequests, RecordsARequestWithTrimmedFieldsAndItsInstant) {
  RequestToJoin c = request("q-1", " anna@example.fi ");
  c.personal.phone = " ";
  c.title = " Social worker ";
  c.message = " Hello ";
  JoinRequested e = requested("q-1", "anna@example.fi");
  e.details->title = "Social worker";
  e.details->message = "Hello";
  network_spec().given({oulu_established()}).when(c).then({e});
}

TEST(JoinRequests, RefusesARequestForANetworkThatDoesNotExist) {
  network_spec().when(request("q-1", "anna@example.fi")).rejects(K::kNotFound, "network_not_found");
}

TEST(JoinRequests, ValidatesARequestAsAMemberJoinIsValidated) {
  RequestToJoin c = request("q-1", "anna@");
  c.personal.name = " ";
  c.organisation = "";
  c.sector = "fire_brigade";
  network_spec()
      .given({oulu_established()})
      .when(c)
      .rejects(K::kValidation, "missing_field", "/name");
  std::vector<std::string> fields;
  for (const auto& r : join_request_issues(c, builtin_taxonomy())) fields.push_back(r.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"/name", "/email", "/organisation", "/sector"}));
}

TEST(JoinRequests, DoesNotTellWhetherTheEmailIsAMembers) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi")})
      .when(request("q-1", "Anna@Example.FI"))
      .then({requested("q-1", "Anna@Example.FI")});
}

TEST(JoinRequests, RefusesARequestIdInUse) {
  network_spec()
      .given({oulu_established(), requested("q-1", "anna@example.fi")})
      .when(request("q-1", "other@example.fi"))
      .rejects(K::kConflict, "join_request_exists", "/request_id");
}

TEST(JoinRequests, ApprovalJoinsTheRequesterAsAMember) {
  JoinRequested q = requested("q-1", "anna@example.fi");
  q.details->title = "Social worker";
  network_spec()
      .given({oulu_established(), q})
      .when(ApproveJoinRequest{"q-1", "m-9", {2024, 6, 3}})
      .then({JoinRequestApproved{"q-1", "m-9"},
             MemberJoined{"m-9", person("Anna Virtanen", "anna@example.fi"), "Oulun kaupunki",
                          "wellbeing_services_county", "Social worker", Date{2024, 6, 3}}});
}

TEST(JoinRequests, ApprovalKeepsTheMemberRules) {
  network_spec()
      .given({oulu_established(), joined("m-1", "anna@example.fi"),
              requested("q-1", "ANNA@example.fi")})
      .when(ApproveJoinRequest{"q-1", "m-9", {2024, 6, 3}})
      .rejects(K::kConflict, "email_taken", "/email");
  network_spec()
      .given({oulu_established(), joined("m-1", "other@example.fi"),
              requested("q-1", "anna@example.fi")})
      .when(ApproveJoinRequest{"q-1", "m-1", {2024, 6, 3}})
      .rejects(K::kConflict, "member_exists", "/member_id");
  network_spec()
      .given({oulu_established(), requested("q-1", "anna@example.fi")})
      .when(ApproveJoinRequest{"q-1", "m-9", {2024, 2, 30}})
      .rejects(K::kValidation, "invalid_date", "/joined_on");
}

TEST(JoinRequests, ApprovalOfAnUnknownRequestIsNotFound) {
  network_spec()
      .given({oulu_established()})
      .when(ApproveJoinRequest{"q-1", "m-9", {2024, 6, 3}})
      .rejects(K::kNotFound, "join_request_not_found");
  network_spec()
      .given({oulu_established()})
      .when(DeclineJoinRequest{"q-1", std::nullopt})
      .rejects(K::kNotFound, "join_request_not_found");
}

TEST(JoinRequests, ApprovalOfARequestWhoseDetailsAreUnreadableIsAConflict) {
  JoinRequested q = requested("q-1", "anna@example.fi");
  q.details.reset();
  network_spec()
      .given({oulu_established(), q})
      .when(ApproveJoinRequest{"q-1", "m-9", {2024, 6, 3}})
      .rejects(K::kConflict, "personal_data_erased");
}

TEST(JoinRequests, DeclinesWithATrimmedReasonOrNone) {
  network_spec()
      .given({oulu_established(), requested("q-1", "anna@example.fi")})
      .when(DeclineJoinRequest{"q-1", " not a professional "})
      .then({JoinRequestDeclined{"q-1", "not a professional"}});
  network_spec()
      .given({oulu_established(), requested("q-1", "anna@example.fi")})
      .when(DeclineJoinRequest{"q-1", " "})
      .then({JoinRequestDeclined{"q-1", std::nullopt}});
}

TEST(JoinRequests, AnsweringAnAnsweredRequestIsAConflict) {
  for (const NetworkEvent& answer : {NetworkEvent(JoinRequestApproved{"q-1", "m-9"}),
                                     NetworkEvent(JoinRequestDeclined{"q-1", std::nullopt}),
                                     NetworkEvent(JoinRequestExpired{"q-1"})}) {
    network_spec()
        .given({oulu_established(), requested("q-1", "anna@example.fi"), answer})
        .when(ApproveJoinRequest{"q-1", "m-10", {2024, 6, 3}})
        .rejects(K::kConflict, "join_request_answered");
    network_spec()
        .given({oulu_established(), requested("q-1", "anna@example.fi"), answer})
        .when(DeclineJoinRequest{"q-1", std::nullopt})
        .rejects(K::kConflict, "join_request_answered");
    network_spec()
        .given({oulu_established(), requested("q-1", "anna@example.fi"), answer})
        .when(ExpireJoinRequest{"q-1", kReceivedUs + 100 * kDayUs, kJoinRequestMaxAgeUs})
        .rejects(K::kConflict, "join_request_answered");
  }
}

TEST(JoinRequests, ExpiresARequestNotAnsweredWithinNinetyDays) {
  network_spec()
      .given({oulu_established(), requested("q-1", "anna@example.fi")})
      .when(ExpireJoinRequest{"q-1", kReceivedUs + 90 * kDayUs, kJoinRequestMaxAgeUs})
      .then({JoinRequestExpired{"q-1"}});
  network_spec()
      .given({oulu_established(), requested("q-1", "anna@example.fi")})
      .when(ExpireJoinRequest{"q-1", kReceivedUs + 90 * kDayUs - 1, kJoinRequestMaxAgeUs})
      .rejects(K::kConflict, "join_request_not_due");
}

TEST(JoinRequests, TheRuleOfExpiryWithAGivenClock) {
  JoinRequest q;
  q.requested_at_us = kReceivedUs;
  EXPECT_FALSE(q.is_due(kReceivedUs, kJoinRequestMaxAgeUs));
  EXPECT_FALSE(q.is_due(kReceivedUs + 89 * kDayUs, kJoinRequestMaxAgeUs));
  EXPECT_TRUE(q.is_due(kReceivedUs + 90 * kDayUs, kJoinRequestMaxAgeUs));
  EXPECT_TRUE(q.is_due(kReceivedUs + 2'000'000, 2'000'000));  // a short age, as the e2e sweep uses
  q.status = JoinRequestStatus::kDeclined;
  EXPECT_FALSE(q.is_due(kReceivedUs + 100 * kDayUs, kJoinRequestMaxAgeUs));
}

TEST(JoinRequests, AnAnsweredRequestKeepsNoPersonalDataInTheState) {
  for (const NetworkEvent& answer : {NetworkEvent(JoinRequestApproved{"q-1", "m-9"}),
                                     NetworkEvent(JoinRequestDeclined{"q-1", std::nullopt}),
                                     NetworkEvent(JoinRequestExpired{"q-1"})}) {
    auto spec = network_spec();
    spec.given({oulu_established(), requested("q-1", "anna@example.fi"), answer});
    const auto* n = established(spec.state());
    ASSERT_NE(n, nullptr);
    const JoinRequest& q = n->join_requests.at("q-1");
    EXPECT_FALSE(q.is_pending());
    EXPECT_FALSE(q.details.has_value());
  }
}

}  // namespace
}  // namespace ikv::domain::testing
