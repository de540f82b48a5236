// E2eServer: the real ikv-server binary, started on a data directory with a
// free port (`--listen 127.0.0.1:0 --port-file`), and a small JSON client for
// talking to it over loopback. Also the helpers the end-to-end tests share:
// temporary directories, a binary-safe search through every file of a data
// directory, and the server's route table (`--print-routes`).
//
// Thread-safety: an E2eServer belongs to one thread; call_port() may be used
// from any number of threads at once (one connection per call).
//
//   TempDir dir;
//   auto server = E2eServer::start(dir.path());   // --demo none, admin token kAdminToken
//   Answer a = server->call("GET", "/v1/networks");
//   EXPECT_EQ(a.status, 200);
//   server->stop();                               // SIGTERM, waits for the exit
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json.hpp>

#include "tests/http/harness/http_connection.h"
#include "tests/http/harness/server_process.h"

namespace ikv::e2e {

using harness::Headers;

// The admin token every test server is started with (IKV_ADMIN_TOKEN).
inline constexpr std::string_view kAdminToken = "e2e-admin-3f1c9a7b5d2e4f60a8b1c3d5e7f9a0b2";

// A directory under the system's temporary directory, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // A path inside the directory.
  std::string sub(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// One HTTP answer; `json` is the parsed body (null when it is not JSON).
struct Answer {
  unsigned status = 0;
  Headers headers;
  std::string body;
  boost::json::value json;
  // False when the connection failed or the answer was cut short.
  bool complete = false;
  std::string transport_error;

  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // json[key] as a string ("" when absent or not a string).
  std::string str(std::string_view key) const;
  // json[key] as an integer (-1 when absent or not a number).
  std::int64_t num(std::string_view key) const;
};

// How a request authenticates: the admin token unless told otherwise.
struct Auth {
  std::optional<std::string> token = std::string(kAdminToken);  // nullopt: no header
  static Auth none() { return Auth{std::nullopt}; }
  static Auth bearer(std::string t) { return Auth{std::move(t)}; }
};

// Sends one request on a fresh connection to 127.0.0.1:port and reads the answer.
Answer call_port(std::uint16_t port, std::string_view method, std::string_view target,
                 std::string_view body = {}, const Headers& headers = {}, const Auth& auth = {});

struct StartOptions {
  bool demo = false;                 // load the demo data (--demo full unless extra_args say)
  bool admin_token_from_env = true;  // IKV_ADMIN_TOKEN=kAdminToken
  std::string log_level = "warn";    // --log-level
  std::vector<std::string> extra_args{};
};

class E2eServer {
 public:
  // Starts the server on `data_dir` and waits until it listens and answers
  // /livez. Fails the current test (ADD_FAILURE) and returns nullptr on error.
  static std::unique_ptr<E2eServer> start(const std::string& data_dir, StartOptions options = {});

  ~E2eServer();
  E2eServer(const E2eServer&) = delete;
  E2eServer& operator=(const E2eServer&) = delete;

  std::uint16_t port() const { return port_; }
  harness::ServerProcess& process() { return *process_; }
  // The server's captured output (its logs).
  const std::string& stderr_path() const { return stderr_path_; }
  const std::string& stdout_path() const { return stdout_path_; }

  // Sends one request on this server's keep-alive connection (reconnects when needed).
  Answer call(std::string_view method, std::string_view target, std::string_view body = {},
              const Headers& headers = {}, const Auth& auth = {});

  // GET /readyz's log_position.
  std::int64_t log_position();

  // SIGTERM and wait (up to 20 s) for a clean exit.
  harness::ExitStatus stop();
  // SIGKILL.
  harness::ExitStatus kill();

 private:
  E2eServer() = default;
  std::unique_ptr<harness::ServerProcess> process_;
  std::unique_ptr<harness::HttpConnection> conn_;
  std::uint16_t port_ = 0;
  std::string stderr_path_;
  std::string stdout_path_;
};

// The path of the ikv-server binary under test.
std::string server_binary();

// The end of an ikv-server run that must not serve (--restore, --help, a bad option).
struct RunResult {
  harness::ExitStatus exit;
  std::string out;  // stdout and stderr
};
// Runs ikv-server with `args` in a clean environment to its end (killed after
// 120 s, a test failure); its output goes to `scratch`.out and .err.
RunResult run_server(const std::string& scratch, std::vector<std::string> args);

// The live feed (`GET /v1/events?after=0`, SSE) as `secret` until the event at
// `head` has been delivered, or until the server ends the connection (a
// refusal); the raw text received.
std::string read_feed(std::uint16_t port, const std::string& secret, std::int64_t head);

// Every "METHOD /path operationId" line of `ikv-server --print-routes`.
std::vector<std::string> printed_routes();
// True when the server has a route for `method` and `path_template`.
bool has_route(std::string_view method, std::string_view path_template);

// Every regular file under `dir` (recursively) whose bytes contain `needle`.
std::vector<std::string> files_containing(const std::string& dir, std::string_view needle);

// Copies `from` into a new directory `to` (recursively).
void copy_tree(const std::string& from, const std::string& to);

// A JSON body from an initializer, serialised.
std::string body(const boost::json::value& v);

// A minimal valid network and member, for tests that need some data.
std::string network_body(std::string_view id);
std::string member_body(std::string_view name, std::string_view email,
                        std::string_view sector = "police");

// A token of `role` (optionally limited to `networks`); returns the secret.
std::string issue_token(E2eServer& server, std::string_view name, std::string_view role,
                        const std::vector<std::string>& networks = {});

// One server for a whole test suite (started in SetUpTestSuite, dropped in
// TearDownTestSuite): networks "north" and "south" established, and a token
// issued for each of `tokens`.
struct TokenSpec {
  std::string name;
  std::string role;
  std::vector<std::string> networks{};
};
struct SuiteServer {
  TempDir dir;
  std::unique_ptr<E2eServer> server;
  std::vector<std::string> secrets;  // one per TokenSpec, in order
};
// nullptr (and a test failure) when the server does not start.
std::unique_ptr<SuiteServer> start_suite_server(const std::vector<TokenSpec>& tokens);

}  // namespace ikv::e2e
