// Fail-stop at start: a log holding an event the registry cannot read (here
// appended behind its back through the store's own interface) makes the
// server start, serve reads as of the event before it, refuse commands, and
// say in /readyz where and why it stopped.
#include <gtest/gtest.h>

#include "eventstore/rocks_event_store.h"
#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

TEST(FailStop, AServerStartedOnALogWithAnUnreadableEventSaysWhereItStopped) {
  TempDir dir;
  const std::string data = dir.sub("data");
  {
    auto server = E2eServer::start(data);
    ASSERT_TRUE(server);
    ASSERT_EQ(server->call("POST", "/v1/networks", network_body("lapland")).status, 201u);
    ASSERT_EQ(server->stop().code, 0);
  }
  std::uint64_t bad_position = 0;
  {
    auto store = eventstore::open_rocks_event_store({.path = data + "/events"});
    ASSERT_TRUE(store) << store.error().message;
    eventstore::AppendRequest req;
    req.stream = "network-lapland";
    req.events.push_back({.event_id = "00000000-0000-4000-8000-0000000bad01",
                          .type = "MemberJoined",
                          .schema_version = 1,
                          .payload = "\x01 not a payload",
                          .metadata = {.actor = "intruder"},
                          .decided = nullptr});
    auto r = (*store)->append_sync(std::move(req));
    ASSERT_TRUE(r) << r.error().message;
    bad_position = r->last_position;
    (*store)->close();
  }
  auto server = E2eServer::start(data);
  ASSERT_TRUE(server);
  Answer ready = server->call("GET", "/readyz", {}, {}, Auth::none());
  EXPECT_EQ(ready.status, 503u) << ready.body;
  EXPECT_NE(ready.body.find("position " + std::to_string(bad_position)), std::string::npos)
      << ready.body;
  EXPECT_NE(ready.body.find("MemberJoined"), std::string::npos) << ready.body;
  // Reads go on as of the event before it; commands are refused.
  Answer network = server->call("GET", "/v1/networks/lapland");
  EXPECT_EQ(network.status, 200u) << network.body;
  Answer join = server->call("POST", "/v1/networks/lapland/members",
                             member_body("Aino Ahonen", "aino@example.org"));
  EXPECT_EQ(join.status, 503u) << join.body;
  ASSERT_EQ(server->stop().code, 0);
}

}  // namespace
}  // namespace ikv::e2e
