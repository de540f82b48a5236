#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/http/harness/http_connection.h"
#include "tests/http/harness/server_process.h"

namespace ikv::harness {
namespace {

std::string temp_file(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("ikv_harness_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

struct Fake {
  std::uint16_t port = 0;
  std::string stderr_path;
  std::unique_ptr<ServerProcess> process;
};

Fake start_fake(const std::string& name) {
  Fake f;
  auto port = free_port();
  EXPECT_TRUE(port.ok());
  f.port = *port;
  f.stderr_path = temp_file(name);
  auto p = ServerProcess::start({.binary = IKV_FAKE_SERVER,
                                 .args = {"--port", std::to_string(f.port)},
                                 .stderr_path = f.stderr_path});
  EXPECT_TRUE(p.ok()) << p.error().message;
  if (p) f.process = std::move(*p);
  return f;
}

TEST(ServerProcess, FreePortIsNonZero) {
  auto port = free_port();
  ASSERT_TRUE(port.ok());
  EXPECT_NE(*port, 0);
}

TEST(ServerProcess, StartReportsABinaryThatCannotRun) {
  auto p = ServerProcess::start({.binary = "/nonexistent/ikv-server", .args = {}});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("cannot execute"), std::string::npos);
}

TEST(ServerProcess, WaitReadyReportsAnEarlyExit) {
  auto p = ServerProcess::start({.binary = "/bin/false", .args = {}});
  ASSERT_TRUE(p.ok());
  auto port = free_port();
  ASSERT_TRUE(port.ok());
  Status st = (*p)->wait_ready(*port);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("exited with code 1"), std::string::npos);
}

TEST(ServerProcess, ServerAnswersOverKeepAliveAndStopsOnSigterm) {
  Fake f = start_fake("ready.log");
  ASSERT_TRUE(f.process);
  ASSERT_TRUE(f.process->wait_ready(f.port).ok()) << read_file(f.stderr_path);
  auto c = HttpConnection::connect(f.port);
  ASSERT_TRUE(c.ok());
  for (int i = 0; i < 3; ++i) {
    auto r = (*c)->request("GET", "/livez", {}, {{"X-Request-Id", "abc-" + std::to_string(i)}});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->header("X-Request-Id"), "abc-" + std::to_string(i));
    EXPECT_TRUE(r->keep_alive);
  }
  ExitStatus exit = f.process->stop(std::chrono::seconds(10));
  EXPECT_TRUE(exit.exited);
  EXPECT_EQ(exit.code, 0);
  EXPECT_TRUE((*c)->wait_closed());
  EXPECT_NE(read_file(f.stderr_path).find("stopped"), std::string::npos);
  std::filesystem::remove(f.stderr_path);
}

TEST(ServerProcess, SigtermLetsARequestInFlightFinish) {
  Fake f = start_fake("inflight.log");
  ASSERT_TRUE(f.process);
  ASSERT_TRUE(f.process->wait_ready(f.port).ok()) << read_file(f.stderr_path);
  auto c = HttpConnection::connect(f.port);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE((*c)->send_request("GET", "/slow?ms=300").ok());
  while (read_file(f.stderr_path).find("slow request started") == std::string::npos) {
    ASSERT_FALSE(f.process->poll().has_value());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  f.process->signal(SIGTERM);
  auto r = (*c)->read_reply();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, R"({"slept_ms":300})");
  EXPECT_FALSE(r->keep_alive);
  auto exit = f.process->wait_for(std::chrono::seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->code, 0);
  std::filesystem::remove(f.stderr_path);
}

TEST(ServerProcess, KillEndsTheProcessWithSigkill) {
  Fake f = start_fake("kill.log");
  ASSERT_TRUE(f.process);
  ASSERT_TRUE(f.process->wait_ready(f.port).ok());
  ExitStatus exit = f.process->kill();
  EXPECT_FALSE(exit.exited);
  EXPECT_EQ(exit.signal, SIGKILL);
  std::filesystem::remove(f.stderr_path);
}

}  // namespace
}  // namespace ikv::harness
