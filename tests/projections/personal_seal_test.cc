// Members' personal fields in the view: held sealed (personal_seal.h), opened
// only while an answer shows them, kept sealed in snapshots, and found by
// e-mail through the in-memory index (email_index.h).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>

#include "domain/streams.h"
#include "projections/join_requests.h"
#include "projections/people.h"
#include "projections/personal_seal.h"
#include "projections/view_snapshot.h"
#include "tests/projections/projection_test_support.h"

namespace ikv::projections {
namespace {

using testing::day;
using testing::established;
using testing::items;
using testing::joined;
using testing::TestLog;

const std::string kOulu = domain::network_stream("oulu");
const std::string kTurku = domain::network_stream("turku");

// The ephemeral seal under another id, with subjects whose key can be erased
// and a count of the texts opened.
class TestSeal final : public PersonalSeal {
 public:
  std::optional<std::string> seal(std::string_view subject,
                                  std::string_view plaintext) const override {
    if (erased.contains(std::string(subject))) return std::nullopt;
    return ephemeral_seal().seal(subject, plaintext);
  }
  std::optional<std::string> open(std::string_view subject,
                                  std::string_view sealed) const override {
    ++opens;
    if (erased.contains(std::string(subject))) return std::nullopt;
    return ephemeral_seal().open(subject, sealed);
  }
  std::string_view id() const override { return "test"; }

  std::set<std::string> erased;
  mutable std::atomic<int> opens{0};
};

domain::MemberJoined joined_as(const std::string& member_id, const std::string& email) {
  domain::MemberJoined e = joined(member_id, "police", "2024-01-10", "Anna Virtanen");
  e.personal->email = email;
  e.personal->phone = "+358 40 765 4321";
  return e;
}

TestLog people_log() {
  TestLog log;
  log.add(kOulu, established("oulu"));
  log.add(domain::network_stream("turku"), established("turku"));
  log.add(kOulu, joined_as("m1", "Anna.Virtanen@Example.fi"));
  log.add(kOulu, joined_as("m2", "someone.else@example.fi"));
  log.add(kTurku, joined_as("t1", "anna.virtanen@example.fi"));
  return log;
}

RegistryView replay(const TestLog& log, const PersonalSeal& seal) {
  RegistryView view;
  view.seal_with(seal);
  log.apply_to(view);
  return view;
}

std::vector<std::string> found(const RegistryView& view, std::string_view email) {
  std::vector<std::string> ids;
  for (const PersonMatch& p : find_people(view, email)) ids.emplace_back(p.member_id);
  return ids;
}

TEST(PersonalFields, AreHeldSealedAndOpenedOnlyToBeShown) {
  const TestSeal seal;
  const RegistryView view = replay(people_log(), seal);
  EXPECT_EQ(seal.opens.load(), 0) << "folding opens nothing";
  const MemberRecord& m1 = view.find_network("oulu")->members.at("m1");
  ASSERT_FALSE(m1.sealed_personal.empty());
  for (const char* clear : {"Anna", "Virtanen", "xample", "765 4321"}) {
    EXPECT_EQ(m1.sealed_personal.text.find(clear), std::string::npos) << clear;
  }

  const auto shown = view.members("oulu", {.include_personal = true});
  ASSERT_TRUE(shown.ok());
  const auto& first = items(*shown)[0].as_object();
  EXPECT_EQ(first.at("member_id"), "m1");
  EXPECT_EQ(first.at("name"), "Anna Virtanen");
  EXPECT_EQ(first.at("email"), "Anna.Virtanen@Example.fi");
  EXPECT_EQ(first.at("phone"), "+358 40 765 4321");
  EXPECT_EQ(first.at("erased"), false);
  EXPECT_EQ(seal.opens.load(), 2) << "one open per member shown";

  const auto hidden = view.members("oulu", {});
  ASSERT_TRUE(hidden.ok());
  EXPECT_TRUE(items(*hidden)[0].at("email").is_null());
  EXPECT_TRUE(items(*hidden)[0].at("name").is_null());
  EXPECT_EQ(seal.opens.load(), 2) << "an answer without personal fields opens nothing";
}

TEST(PersonalFields, AKeyErasedBehindTheViewShowsNoFieldsAndKeepsTheRoster) {
  TestSeal seal;
  const RegistryView view = replay(people_log(), seal);
  seal.erased.insert("m1");
  const auto shown = view.members("oulu", {.include_personal = true});
  ASSERT_TRUE(shown.ok());
  ASSERT_EQ(items(*shown).size(), 2u);
  EXPECT_TRUE(items(*shown)[0].at("email").is_null());
  EXPECT_EQ(items(*shown)[1].at("email"), "someone.else@example.fi");
  EXPECT_EQ(view.find_network("oulu")->current_member_count(), 2u);
  // Nor is the member found by the address any more.
  EXPECT_EQ(found(view, "anna.virtanen@example.fi"), std::vector<std::string>{"t1"});
}

TEST(PersonalFields, ASnapshotKeepsThemSealedAndOnlyTheSameSealReadsThem) {
  const TestSeal seal;
  const RegistryView view = replay(people_log(), seal);
  SnapshotWriter out;
  write_view(view, out);
  for (const char* clear : {"Virtanen", "xample.fi", "765 4321"}) {
    EXPECT_EQ(out.bytes().find(clear), std::string::npos) << clear;
  }
  SnapshotReader same(out.bytes());
  auto loaded = read_view(same, seal);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(*loaded == view);
  EXPECT_EQ(loaded->dump(), view.dump());
  const auto shown = loaded->members("oulu", {.include_personal = true});
  EXPECT_EQ(items(*shown)[0].at("email"), "Anna.Virtanen@Example.fi");

  // Under another seal the texts would not open: the section is refused.
  SnapshotReader other(out.bytes());
  auto refused = read_view(other, ephemeral_seal());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kCorruption);
}

TEST(PeopleSearch, FindsByAddressThroughTheIndexAfterALoadACorrectionAndAnErasure) {
  const TestSeal seal;
  const TestLog log = people_log();
  SnapshotWriter out;
  write_view(replay(log, seal), out);
  SnapshotReader in(out.bytes());
  auto loaded = read_view(in, seal);
  ASSERT_TRUE(loaded.ok());
  RegistryView& view = *loaded;

  seal.opens = 0;
  // Trimmed and compared without case, across networks.
  EXPECT_EQ(found(view, "  ANNA.virtanen@example.FI "), (std::vector<std::string>{"m1", "t1"}));
  const int first_search = seal.opens.load();
  EXPECT_GE(first_search, 3) << "the first search builds the index: every member opened";
  EXPECT_EQ(found(view, "anna.virtanen@example.fi"), (std::vector<std::string>{"m1", "t1"}));
  EXPECT_EQ(seal.opens.load() - first_search, 2) << "later searches open the candidates only";
  EXPECT_TRUE(found(view, "nobody@example.fi").empty());
  EXPECT_TRUE(found(view, "   ").empty());

  // A correction moves m1 to a new address; the old one no longer finds m1.
  TestLog later = log;
  domain::MemberDetailsChanged moved;
  moved.member_id = "m1";
  moved.personal = domain::PersonalData{"Anna Virtanen", "anna@newplace.fi", std::nullopt};
  later.add(kOulu, moved);
  later.add(kTurku, domain::PersonalDataErased{"t1"});
  later.apply_to(view, log.entries().size());
  EXPECT_TRUE(found(view, "anna.virtanen@example.fi").empty());
  EXPECT_EQ(found(view, "Anna@NewPlace.fi"), std::vector<std::string>{"m1"});

  // person_json: the record with its fields in clear, and the person's other memberships.
  const auto person = person_json(view, "m1");
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(person->at("email"), "anna@newplace.fi");
  EXPECT_EQ(person->at("memberships").as_array().size(), 1u);
}

TEST(JoinRequestDetails, AreHeldSealedShownOnlyOpenedAndDroppedOnceAnswered) {
  const TestSeal seal;
  TestLog log;
  log.add(kOulu, established("oulu"));
  domain::JoinRequested asked;
  asked.request_id = "jr-1";
  asked.details = domain::JoinRequestDetails{
      {"Liisa Korhonen", "liisa.korhonen@example.fi", "+358 40 111 2222"},
      "Social worker",
      "I meet victims of forced labour"};
  asked.organisation = "City of Oulu";
  asked.sector = "wellbeing_services_county";
  asked.requested_at_us = testing::instant("2024-03-01T09:00:00Z");
  log.add(kOulu, asked);
  JoinRequests requests;
  requests.seal_with(seal);
  log.apply_to(requests);
  EXPECT_EQ(seal.opens.load(), 0);

  SnapshotWriter out;
  PersonalPieces pieces;
  requests.save(out, pieces);
  EXPECT_TRUE(pieces.pieces().empty()) << "the details are in the body, sealed";
  for (const char* clear : {"Korhonen", "liisa", "111 2222", "Social worker", "forced labour"}) {
    EXPECT_EQ(out.bytes().find(clear), std::string::npos) << clear;
  }
  JoinRequests loaded;
  loaded.seal_with(seal);
  SnapshotReader in(out.bytes());
  ASSERT_TRUE(loaded.load(in, OpenedPieces()));
  EXPECT_TRUE(loaded == requests);
  EXPECT_EQ(loaded.dump(), requests.dump());

  const auto shown = loaded.list("oulu", {.include_personal = true});
  ASSERT_TRUE(shown.ok());
  const auto& r = items(*shown)[0].as_object();
  EXPECT_EQ(r.at("email"), "liisa.korhonen@example.fi");
  EXPECT_EQ(r.at("message"), "I meet victims of forced labour");
  EXPECT_EQ(r.at("erased"), false);
  const auto hidden = loaded.list("oulu", {});
  EXPECT_TRUE(items(*hidden)[0].at("email").is_null());
  EXPECT_TRUE(items(*hidden)[0].at("title").is_null());

  // Under another seal the section does not load.
  JoinRequests other;
  SnapshotReader again(out.bytes());
  EXPECT_FALSE(other.load(again, OpenedPieces()));

  // Answered: the details go.
  log.add(kOulu, domain::JoinRequestDeclined{"jr-1", "not a professional in the field"});
  log.apply_to(requests, log.entries().size() - 1);
  EXPECT_TRUE(requests.find("jr-1")->details.empty());
  EXPECT_EQ(items(*requests.list("oulu", {.include_personal = true}))[0].at("erased"), true);
}

}  // namespace
}  // namespace ikv::projections
