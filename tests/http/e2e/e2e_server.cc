#include "tests/http/e2e/e2e_server.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace ikv::e2e {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

constexpr auto kStartTimeout = std::chrono::seconds(30);

Headers with_auth(const Headers& headers, const Auth& auth) {
  Headers out = headers;
  if (auth.token) out.emplace_back("Authorization", "Bearer " + *auth.token);
  return out;
}

Answer to_answer(Result<harness::HttpReply> reply) {
  Answer a;
  if (!reply) {
    a.transport_error = reply.error().message;
    return a;
  }
  if (reply->headers.empty()) {
    // The connection closed before a status line: no answer at all.
    a.transport_error = "connection closed without an answer";
    return a;
  }
  a.complete = true;
  a.status = reply->status;
  a.headers = std::move(reply->headers);
  a.body = std::move(reply->body);
  boost::system::error_code ec;
  json::value v = json::parse(a.body, ec);
  if (!ec) a.json = std::move(v);
  return a;
}

// Reads the port the server wrote to `path`, waiting for a whole line.
std::optional<std::uint16_t> read_port_file(const std::string& path) {
  const std::string text = harness::read_file(path);
  if (text.empty() || text.back() != '\n') return std::nullopt;
  try {
    const int port = std::stoi(text);
    if (port > 0 && port < 65536) return static_cast<std::uint16_t>(port);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

}  // namespace

TempDir::TempDir() {
  std::string templ = (fs::temp_directory_path() / "ikv_e2e_XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string Answer::header(std::string_view name) const {
  harness::HttpReply r;
  r.headers = headers;
  return r.header(name);
}

bool Answer::has_header(std::string_view name) const {
  harness::HttpReply r;
  r.headers = headers;
  return r.has_header(name);
}

std::string Answer::str(std::string_view key) const {
  if (!json.is_object()) return {};
  const auto* v = json.as_object().if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t Answer::num(std::string_view key) const {
  if (!json.is_object()) return -1;
  const auto* v = json.as_object().if_contains(key);
  if (v == nullptr) return -1;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return -1;
}

Answer call_port(std::uint16_t port, std::string_view method, std::string_view target,
                 std::string_view body, const Headers& headers, const Auth& auth) {
  auto conn = harness::HttpConnection::connect(port, std::chrono::seconds(30));
  if (!conn) return to_answer(conn.error());
  return to_answer((*conn)->request(method, target, body, with_auth(headers, auth)));
}

std::string server_binary() { return IKV_SERVER_BINARY; }

std::unique_ptr<E2eServer> E2eServer::start(const std::string& data_dir, StartOptions options) {
  std::unique_ptr<E2eServer> s(new E2eServer());
  const std::string port_file = data_dir + ".port";
  std::error_code ec;
  fs::remove(port_file, ec);
  s->stderr_path_ = data_dir + ".stderr.log";
  s->stdout_path_ = data_dir + ".stdout.log";
  harness::ProcessOptions po;
  po.binary = server_binary();
  po.args = {"--data",  data_dir,      "--listen",        "127.0.0.1:0", "--port-file",
             port_file, "--log-level", options.log_level, "--threads",   "2"};
  if (!options.demo) po.args.insert(po.args.end(), {"--demo", "none"});
  po.args.insert(po.args.end(), options.extra_args.begin(), options.extra_args.end());
  // A clean environment: no stray IKV_* setting of the caller changes the server.
  po.inherit_env = false;
  po.env = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};
  if (options.admin_token_from_env)
    po.env.emplace_back("IKV_ADMIN_TOKEN", std::string(kAdminToken));
  po.stderr_path = s->stderr_path_;
  po.stdout_path = s->stdout_path_;
  auto process = harness::ServerProcess::start(po);
  if (!process) {
    ADD_FAILURE() << process.error().message;
    return nullptr;
  }
  s->process_ = std::move(*process);
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::optional<std::uint16_t> port;
  while (!(port = read_port_file(port_file))) {
    if (auto st = s->process_->poll()) {
      ADD_FAILURE() << "ikv-server ended before listening (code " << st->code << ", signal "
                    << st->signal << "):\n"
                    << harness::read_file(s->stderr_path_) << harness::read_file(s->stdout_path_);
      return nullptr;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "ikv-server wrote no port file:\n" << harness::read_file(s->stderr_path_);
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  s->port_ = *port;
  if (auto ready = s->process_->wait_ready(s->port_, std::chrono::seconds(20)); !ready) {
    ADD_FAILURE() << ready.error().message << "\n" << harness::read_file(s->stderr_path_);
    return nullptr;
  }
  return s;
}

E2eServer::~E2eServer() {
  conn_.reset();
  if (process_ && !process_->poll()) process_->kill();
}

Answer E2eServer::call(std::string_view method, std::string_view target, std::string_view body,
                       const Headers& headers, const Auth& auth) {
  const Headers all = with_auth(headers, auth);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!conn_) {
      auto c = harness::HttpConnection::connect(port_, std::chrono::seconds(30));
      if (!c) return to_answer(c.error());
      conn_ = std::move(*c);
    }
    auto reply = conn_->request(method, target, body, all);
    if (reply) {
      if (!reply->keep_alive) conn_.reset();
      return to_answer(std::move(reply));
    }
    // A keep-alive connection the server closed: retry once on a fresh one.
    conn_.reset();
    if (attempt == 1) return to_answer(std::move(reply));
  }
  return {};
}

std::int64_t E2eServer::log_position() {
  Answer a = call("GET", "/readyz", {}, {}, Auth::none());
  return a.status == 200 ? a.num("log_position") : -1;
}

harness::ExitStatus E2eServer::stop() {
  conn_.reset();
  return process_->stop(std::chrono::seconds(20));
}

harness::ExitStatus E2eServer::kill() {
  conn_.reset();
  return process_->kill();
}

std::vector<std::string> printed_routes() {
  static const std::vector<std::string> routes = [] {
    std::vector<std::string> out;
    const std::string cmd = server_binary() + " --print-routes";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char line[1024];
    while (std::fgets(line, sizeof line, p) != nullptr) {
      std::string l(line);
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r')) l.pop_back();
      if (!l.empty()) out.push_back(l);
    }
    ::pclose(p);
    return out;
  }();
  return routes;
}

bool has_route(std::string_view method, std::string_view path_template) {
  const std::string prefix = std::string(method) + " " + std::string(path_template) + " ";
  for (const auto& r : printed_routes()) {
    if (r.starts_with(prefix)) return true;
  }
  return false;
}

std::vector<std::string> files_containing(const std::string& dir, std::string_view needle) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string bytes = harness::read_file(it->path().string());
    if (bytes.find(needle) != std::string::npos) out.push_back(it->path().string());
  }
  return out;
}

void copy_tree(const std::string& from, const std::string& to) {
  fs::copy(from, to, fs::copy_options::recursive);
}

std::string body(const json::value& v) { return json::serialize(v); }

std::string network_body(std::string_view id) {
  return body({{"id", id},
               {"name", {{"fi", "Lappi"}, {"sv", "Lappland"}, {"en", "Lapland"}}},
               {"region", "Lapland"},
               {"seat", "Rovaniemi"},
               {"steward", "Assistance System for Victims of Human Trafficking"},
               {"established_on", "2024-01-15"}});
}

std::string member_body(std::string_view name, std::string_view email, std::string_view sector) {
  return body({{"name", name},
               {"email", email},
               {"phone", "+358 40 765 4321"},
               {"organisation", "Lapland Police Department"},
               {"sector", sector},
               {"title", "Senior Constable"},
               {"joined_on", "2024-02-01"}});
}

std::string issue_token(E2eServer& server, std::string_view name, std::string_view role,
                        const std::vector<std::string>& networks) {
  json::object o{{"name", name}, {"role", role}};
  if (!networks.empty()) {
    json::array a;
    for (const auto& n : networks) a.emplace_back(n);
    o["networks"] = std::move(a);
  }
  Answer a = server.call("POST", "/v1/tokens", body(o));
  EXPECT_EQ(a.status, 201u) << a.body;
  return a.str("token");
}

std::unique_ptr<SuiteServer> start_suite_server(const std::vector<TokenSpec>& tokens) {
  auto suite = std::make_unique<SuiteServer>();
  suite->server = E2eServer::start(suite->dir.sub("data"));
  if (suite->server == nullptr) return nullptr;
  for (const char* id : {"north", "south"}) {
    EXPECT_EQ(suite->server->call("POST", "/v1/networks", network_body(id)).status, 201u);
  }
  for (const TokenSpec& t : tokens) {
    suite->secrets.push_back(issue_token(*suite->server, t.name, t.role, t.networks));
  }
  return suite;
}

std::string read_feed(std::uint16_t port, const std::string& secret, std::int64_t head) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  boost::asio::connect(
      socket, boost::asio::ip::tcp::resolver(io).resolve("127.0.0.1", std::to_string(port)));
  // Connection: close, so that a refusal (403) ends with the connection.
  const std::string request =
      "GET /v1/events?after=0 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
      "Connection: close\r\nAuthorization: Bearer " +
      secret + "\r\n\r\n";
  boost::asio::write(socket, boost::asio::buffer(request));
  std::string text;
  const std::string last = "id: " + std::to_string(head) + "\n";
  char buf[8192];
  for (;;) {
    const auto at = text.find(last);
    if (at != std::string::npos && text.find("\n\n", at) != std::string::npos) break;
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    text.append(buf, n);
  }
  boost::system::error_code ignored;
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  return text;
}

RunResult run_server(const std::string& scratch, std::vector<std::string> args) {
  harness::ProcessOptions po;
  po.binary = server_binary();
  po.args = std::move(args);
  po.inherit_env = false;
  po.env = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}};
  po.stdout_path = scratch + ".out";
  po.stderr_path = scratch + ".err";
  RunResult r;
  auto p = harness::ServerProcess::start(po);
  if (!p) {
    ADD_FAILURE() << p.error().message;
    return r;
  }
  auto st = (*p)->wait_for(std::chrono::seconds(120));
  if (!st) {
    ADD_FAILURE() << "ikv-server did not end";
    r.exit = (*p)->kill();
  } else {
    r.exit = *st;
  }
  r.out = harness::read_file(po.stdout_path) + harness::read_file(po.stderr_path);
  return r;
}

}  // namespace ikv::e2e
