// Disclosure: rows are rendered with personal fields only inside the reader's
// scope, and exactly the rows that show one in clear are recorded, one entry
// per network, when the answer is committed.
#include "server/disclosure.h"

#include <gtest/gtest.h>

namespace ikv::server {
namespace {

namespace json = boost::json;

json::object row(std::string_view member, bool clear, bool erased = false) {
  json::object o;
  o["member_id"] = member;
  o["name"] = clear ? json::value("Anna Virtanen") : json::value(nullptr);
  o["email"] = clear ? json::value("anna@example.fi") : json::value(nullptr);
  o["phone"] = nullptr;
  o["erased"] = erased;
  return o;
}

// A roster page whose rows carry personal fields only when asked to.
Result<json::object> roster(bool include_personal,
                            std::initializer_list<std::string_view> members) {
  json::array items;
  for (auto m : members) items.push_back(row(m, include_personal));
  return json::object{{"items", std::move(items)}, {"next_cursor", nullptr}};
}

AccessEntry who(std::string token) {
  AccessEntry e;
  e.token_id = std::move(token);
  e.route = "/v1/networks/{id}/members";
  return e;
}

TEST(Disclosure, APersonsRowShowsPersonalDataOnlyWithAFieldInClear) {
  EXPECT_TRUE(shows_personal_data(row("m1", true)));
  EXPECT_FALSE(shows_personal_data(row("m1", false)));
  EXPECT_FALSE(shows_personal_data(row("m1", false, true)));
  // Not a person's row: a network's "name" is no personal data.
  EXPECT_FALSE(shows_personal_data(json::object{{"id", "oulu"}, {"name", "Oulu"}}));
  json::object phone_only = row("m1", false);
  phone_only["phone"] = "+358 40 1";
  EXPECT_TRUE(shows_personal_data(phone_only));
}

TEST(Disclosure, RecordsTheRowsShownInClearOnCommit) {
  auto log = PersonalAccessLog::open({}).value();
  Disclosure d({.every_network = true, .networks = {}}, who("admin"), log.get());
  auto page = d.rows("oulu", [](bool include) { return roster(include, {"m2", "m1", "m2"}); });
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->at("items").as_array()[0].at("name"), "Anna Virtanen");
  EXPECT_TRUE(log->list({}).value().entries.empty());  // nothing before the answer goes out
  d.commit();
  auto entries = log->list({}).value().entries;
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].token_id, "admin");
  EXPECT_EQ(entries[0].network, "oulu");
  EXPECT_EQ(entries[0].members, (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(entries[0].records, 3u);
  d.commit();  // nothing new noted: nothing recorded
  EXPECT_EQ(log->list({}).value().entries.size(), 1u);
}

TEST(Disclosure, RecordsNothingOutsideTheScope) {
  auto log = PersonalAccessLog::open({}).value();
  Disclosure d({.every_network = false, .networks = {"turku"}}, who("coordinator"), log.get());
  auto page = d.rows("oulu", [](bool include) { return roster(include, {"m1"}); });
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->at("items").as_array()[0].at("name").is_null());
  d.commit();
  EXPECT_TRUE(log->list({}).value().entries.empty());
}

TEST(Disclosure, RecordsOneEntryPerNetwork) {
  auto log = PersonalAccessLog::open({}).value();
  Disclosure d({.every_network = true, .networks = {}}, who("admin"), log.get());
  EXPECT_TRUE(d.note("oulu", row("m1", true)));
  EXPECT_TRUE(d.note("turku", row("m2", true)));
  EXPECT_FALSE(d.note("turku", row("m3", false)));
  d.commit();
  auto entries = log->list({}).value().entries;
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].network, "turku");
  EXPECT_EQ(entries[0].members, std::vector<std::string>{"m2"});
  EXPECT_EQ(entries[1].network, "oulu");
}

TEST(Disclosure, ForgetsWhatWasNotedWhenTheAnswerDoesNotGoOut) {
  auto log = PersonalAccessLog::open({}).value();
  Disclosure d({.every_network = true, .networks = {}}, who("admin"), log.get());
  d.note("oulu", row("m1", true));
  d.discard();
  d.commit();
  EXPECT_TRUE(log->list({}).value().entries.empty());
}

}  // namespace
}  // namespace ikv::server
