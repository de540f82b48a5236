#include "codec/upcast.h"

#include <gtest/gtest.h>

#include "codec/event_codec.h"
#include "tests/codec/fake_vault.h"

namespace ikv::codec::testing {
namespace {

// A MemberJoined as schema version 1 wrote it: the join date was "since" and
// there was no "title".
std::string v1_payload(const std::string& sealed) {
  return R"({"member_id":"m-1","personal":{"subject":"m-1","sealed":")" + sealed +
         R"("},"organisation":"Vaasan kaupunki","sector":"integration_services","since":"2024-04-11"})";
}

TEST(Upcast, DecodesAVersionOneMemberJoined) {
  FakeVault vault;
  Result<std::string> sealed =
      vault.seal("m-1", R"({"name":"Liisa Mäkelä","email":"liisa@vaasa.fi","phone":null})");
  ASSERT_TRUE(sealed.ok());
  Result<domain::Event> dec = decode("MemberJoined", 1, v1_payload(*sealed), vault);
  ASSERT_TRUE(dec.ok()) << dec.error().message;
  const domain::MemberJoined expected{
      "m-1",
      domain::PersonalData{"Liisa Mäkelä", "liisa@vaasa.fi", std::nullopt},
      "Vaasan kaupunki",
      "integration_services",
      std::nullopt,
      {2024, 4, 11}};
  EXPECT_TRUE(std::get<domain::MemberJoined>(*dec) == expected);
}

TEST(Upcast, RejectsAVersionOneMemberJoinedWithoutItsDate) {
  FakeVault vault;
  std::string payload = v1_payload("00");
  payload.replace(payload.find("since"), 5, "when_");
  Result<domain::Event> dec = decode("MemberJoined", 1, payload, vault);
  ASSERT_FALSE(dec.ok());
  EXPECT_EQ(dec.error().code, ErrorCode::kCorruption);
}

TEST(Upcast, RejectsAVersionWithoutAStep) {
  Result<boost::json::object> r = upcast("MemberLeft", 1, 2, boost::json::object{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kCorruption);
}

TEST(Upcast, LeavesTheCurrentVersionAlone) {
  boost::json::object o{{"a", 1}};
  Result<boost::json::object> r = upcast("MemberJoined", 2, 2, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, o);
}

}  // namespace
}  // namespace ikv::codec::testing
