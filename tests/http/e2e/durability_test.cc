// What survives a stop: a restart after SIGTERM, SIGTERM with requests in
// flight, and SIGKILL right after a burst of acknowledged commands.
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;

// The member ids of `network` (current and former) as the server lists them.
std::set<std::string> member_ids(E2eServer& server, std::string_view network) {
  std::set<std::string> out;
  Answer a = server.call(
      "GET", "/v1/networks/" + std::string(network) + "/members?include_former=true&limit=1000");
  EXPECT_EQ(a.status, 200u) << a.body;
  if (a.status != 200) return out;
  for (const auto& m : a.json.at("items").as_array())
    out.insert(std::string(m.at("member_id").as_string()));
  return out;
}

// Many clients joining members at once; records every answer.
class JoinLoad {
 public:
  JoinLoad(std::uint16_t port, std::string network, int clients, int per_client)
      : port_(port), network_(std::move(network)) {
    for (int c = 0; c < clients; ++c) {
      threads_.emplace_back([this, c, per_client] {
        for (int i = 0; i < per_client; ++i) {
          const std::string email =
              "load." + std::to_string(c) + "." + std::to_string(i) + "@example.org";
          Answer a = call_port(port_, "POST", "/v1/networks/" + network_ + "/members",
                               member_body("Load Member", email));
          std::lock_guard lock(mu_);
          if (a.complete && a.status == 201) ++acknowledged_;
          answers_.push_back(std::move(a));
          if (!answers_.back().complete) break;  // the server is gone
        }
        ++finished_;
      });
    }
  }
  ~JoinLoad() { join(); }

  // Waits until at least `n` commands were acknowledged (or every client finished).
  void wait_for_acknowledged(std::size_t n) {
    while (true) {
      {
        std::lock_guard lock(mu_);
        if (acknowledged_ >= n) return;
      }
      if (finished_.load() == threads_.size()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  void join() {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  std::vector<Answer> answers() {
    std::lock_guard lock(mu_);
    return answers_;
  }

 private:
  const std::uint16_t port_;
  const std::string network_;
  std::atomic<std::size_t> finished_{0};
  std::mutex mu_;
  std::vector<Answer> answers_;   // guarded by mu_
  std::size_t acknowledged_ = 0;  // guarded by mu_
  std::vector<std::thread> threads_;
};

TEST(Durability, DataAndAdminTokenSurviveARestart) {
  TempDir dir;
  const std::string data = dir.sub("data");
  std::string member;
  std::string meeting;
  std::string analyst;
  std::int64_t position = 0;
  {
    // First start without IKV_ADMIN_TOKEN: the token is written to admin.token.
    auto server = E2eServer::start(data, {.admin_token_from_env = false});
    ASSERT_TRUE(server);
    const std::string admin_file = data + "/admin.token";
    struct stat st {};
    ASSERT_EQ(::stat(admin_file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    std::string token = harness::read_file(admin_file);
    while (!token.empty() && token.back() == '\n') token.pop_back();
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(server->call("GET", "/v1/networks").status, 401u) << "the env token must not exist";
    const Auth admin = Auth::bearer(token);
    ASSERT_EQ(server->call("POST", "/v1/networks", network_body("durable"), {}, admin).status,
              201u);
    Answer m = server->call("POST", "/v1/networks/durable/members",
                            member_body("Pekka Salo", "pekka.durable@example.org"), {}, admin);
    ASSERT_EQ(m.status, 201u);
    member = m.str("member_id");
    Answer mt = server->call(
        "POST", "/v1/networks/durable/meetings",
        body({{"scheduled_for", "2024-04-10"}, {"format", "in_person"}, {"location", "Joutseno"}}),
        {}, admin);
    ASSERT_EQ(mt.status, 201u);
    meeting = mt.str("meeting_id");
    Answer t = server->call("POST", "/v1/tokens",
                            body({{"name", "durable-analyst"}, {"role", "analyst"}}), {}, admin);
    analyst = t.str("token");
    position = server->log_position();
    const auto exit = server->stop();
    EXPECT_TRUE(exit.exited) << "signal " << exit.signal;
    EXPECT_EQ(exit.code, 0);
  }
  auto server = E2eServer::start(data, {.admin_token_from_env = false});
  ASSERT_TRUE(server);
  std::string token = harness::read_file(data + "/admin.token");
  while (!token.empty() && token.back() == '\n') token.pop_back();
  const Auth admin = Auth::bearer(token);
  EXPECT_EQ(server->log_position(), position);
  Answer n = server->call("GET", "/v1/networks/durable", {}, {}, admin);
  ASSERT_EQ(n.status, 200u) << n.body;
  EXPECT_EQ(n.num("member_count"), 1);
  Answer roster = server->call("GET", "/v1/networks/durable/members", {}, {}, admin);
  ASSERT_EQ(roster.json.at("items").as_array().size(), 1u);
  EXPECT_EQ(roster.json.at("items").as_array()[0].at("email"),
            json::value("pekka.durable@example.org"));
  EXPECT_EQ(server->call("GET", "/v1/meetings/" + meeting, {}, {}, admin).status, 200u);
  EXPECT_EQ(server->call("GET", "/v1/networks", {}, {}, Auth::bearer(analyst)).status, 200u);
  // The registry keeps working after the restart.
  EXPECT_EQ(server
                ->call("POST", "/v1/networks/durable/members",
                       member_body("Second", "second.durable@example.org"), {}, admin)
                .status,
            201u);
}

TEST(Durability, GracefulShutdownAnswersInFlightRequestsCompletely) {
  TempDir dir;
  const std::string data = dir.sub("data");
  std::vector<Answer> answers;
  {
    auto server = E2eServer::start(data);
    ASSERT_TRUE(server);
    ASSERT_EQ(server->call("POST", "/v1/networks", network_body("shutdown")).status, 201u);
    JoinLoad load(server->port(), "shutdown", 32, 40);
    load.wait_for_acknowledged(64);
    server->process().signal(SIGTERM);
    load.join();
    const auto exit = server->process().wait_for(std::chrono::seconds(30));
    ASSERT_TRUE(exit.has_value()) << "the server did not stop";
    EXPECT_TRUE(exit->exited && exit->code == 0) << "signal " << exit->signal;
    answers = load.answers();
  }
  std::set<std::string> acknowledged;
  for (const auto& a : answers) {
    if (!a.complete) continue;  // refused or cut before an answer started: allowed
    if (a.status == 201) {
      ASSERT_TRUE(a.json.is_object()) << a.body;
      ASSERT_FALSE(a.str("member_id").empty()) << a.body;
      EXPECT_GE(a.num("position"), 1);
      acknowledged.insert(a.str("member_id"));
    } else {
      // Anything else must be a whole problem answer saying the server is going away.
      EXPECT_EQ(a.status, 503u) << a.body << "\n"
                                << [&a] {
                                     std::string h;
                                     for (const auto& [k, v] : a.headers) h += k + ": " + v + "\n";
                                     return h;
                                   }();
      EXPECT_TRUE(a.json.is_object()) << a.body;
    }
  }
  EXPECT_GE(acknowledged.size(), 64u);
  auto server = E2eServer::start(data);
  ASSERT_TRUE(server);
  const auto present = member_ids(*server, "shutdown");
  for (const auto& id : acknowledged)
    EXPECT_EQ(present.count(id), 1u) << id << " was acknowledged but is lost";
}

TEST(Durability, KillNineLosesNoAcknowledgedCommand) {
  TempDir dir;
  const std::string data = dir.sub("data");
  std::vector<Answer> answers;
  {
    auto server = E2eServer::start(data);
    ASSERT_TRUE(server);
    ASSERT_EQ(server->call("POST", "/v1/networks", network_body("crash")).status, 201u);
    JoinLoad load(server->port(), "crash", 32, 40);
    load.wait_for_acknowledged(200);
    const auto exit = server->kill();
    EXPECT_EQ(exit.signal, SIGKILL);
    load.join();
    answers = load.answers();
  }
  std::set<std::string> acknowledged;
  std::int64_t highest = 0;
  for (const auto& a : answers) {
    if (a.complete && a.status == 201) {
      acknowledged.insert(a.str("member_id"));
      highest = std::max(highest, a.num("position"));
    }
  }
  ASSERT_GE(acknowledged.size(), 200u);
  auto server = E2eServer::start(data);
  ASSERT_TRUE(server);
  EXPECT_GE(server->log_position(), highest);
  const auto present = member_ids(*server, "crash");
  for (const auto& id : acknowledged)
    EXPECT_EQ(present.count(id), 1u) << id << " was acknowledged but is lost";
  if (has_route("GET", "/v1/audit/verify")) {
    Answer v = server->call("GET", "/v1/audit/verify");
    EXPECT_EQ(v.json.at("ok"), json::value(true)) << v.body;
  }
}

}  // namespace
}  // namespace ikv::e2e
