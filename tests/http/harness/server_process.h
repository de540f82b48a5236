// ServerProcess: runs a server binary as a child process for end-to-end tests:
// start it with arguments and environment, capture its stderr in a file, wait
// until it answers `GET /livez` with 200, then stop it with SIGTERM (graceful)
// or SIGKILL and collect its exit status.
//
// Thread-safety: one owner thread per ServerProcess.
//
//   auto port = free_port();
//   auto p = ServerProcess::start({.binary = server_path,
//                                  .args = {"--port", std::to_string(*port)},
//                                  .env = {{"IKV_DATA_DIR", dir}},
//                                  .stderr_path = dir + "/stderr.log"});
//   ASSERT_TRUE((*p)->wait_ready(*port).ok());
//   ... HttpConnection::connect(*port) ...
//   auto exit = (*p)->stop(std::chrono::seconds(10));
//   EXPECT_EQ(exit->code, 0);
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ikv::harness {

// A port that was free a moment ago on 127.0.0.1 (bound to port 0 and closed;
// another process may take it before the server binds it).
Result<std::uint16_t> free_port();

// The whole content of a file ("" if it cannot be read), e.g. captured stderr.
std::string read_file(const std::string& path);

struct ProcessOptions {
  std::string binary;                                      // path of the executable
  std::vector<std::string> args;                           // argv[1..]
  std::vector<std::pair<std::string, std::string>> env{};  // set (or override) these
  bool inherit_env = true;                                 // start from this process' environment
  std::string stderr_path{};                               // capture stderr here ("" = inherit)
  std::string stdout_path{};                               // capture stdout here ("" = inherit)
};

struct ExitStatus {
  bool exited = false;  // true: returned or called exit; `code` is valid
  int code = 0;
  int signal = 0;  // the signal that ended it when !exited
};

class ServerProcess {
 public:
  // Forks and execs. Errors: kUnavailable when fork fails or the binary
  // cannot be executed (the exec error is reported, not a later exit 127).
  static Result<std::unique_ptr<ServerProcess>> start(ProcessOptions options);

  // Kills (SIGKILL) and reaps the child if it is still running.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Polls `GET path` on 127.0.0.1:port until it answers 200.
  // Errors: kUnavailable when the process exits first (with its status) or the
  // timeout passes.
  Status wait_ready(std::uint16_t port,
                    std::chrono::milliseconds timeout = std::chrono::seconds(20),
                    const std::string& path = "/livez");

  // Sends `signal` without waiting.
  void signal(int signo);

  // The exit status when the child has ended; nullopt while it runs.
  std::optional<ExitStatus> poll();

  // Waits up to `timeout` for the child to end.
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);

  // SIGTERM, up to `grace` to end, then SIGKILL; reaps the child.
  ExitStatus stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  // SIGKILL and reap.
  ExitStatus kill();

 private:
  explicit ServerProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  std::optional<ExitStatus> status_;
};

}  // namespace ikv::harness
