// HttpServer: an asynchronous HTTP/1.1 server (Boost.Beast) that hands every
// request to one Handler and writes whatever the handler answers, whenever
// and from whatever thread it answers.
//
// Per connection: keep-alive as the client asks; every request is read by a
// fresh parser with the body and header limits of HttpOptions; a body over the
// limit is answered 413 (problem+json) and the connection is closed politely
// (the rest of the body is drained so the client sees the answer). Timeouts:
// header_timeout for a new connection's first request and for every header,
// idle_timeout between keep-alive requests, body_timeout and write_timeout.
// Over max_connections a new connection is answered 503 (problem+json,
// `Retry-After: 1`) and closed; past twice the limit it is closed unanswered.
//
// stop(grace) stops accepting, closes idle keep-alive connections, lets
// requests in flight finish (their answers say `Connection: close`), and
// after `grace` closes whatever is left; it returns once every io thread has
// ended. Answers that arrive after stop() returned are dropped.
//
// Threads: HttpOptions::threads io threads, each running its own io context;
// a connection stays on the one it was accepted onto (round-robin), so its
// handlers run on that thread alone, and an answer given there is written at
// once (one from another thread is posted to it).
//
// Thread-safety: start(), stop() and the destructor are called from one
// owning thread; port() and connection_count() from any thread. The handler
// runs on io threads, one request per connection at a time, and must not block;
// it must not call stop() (stop() waits for the io threads).
//
//   HttpServer server({.port = 0, .threads = 2}, router.handler());
//   if (auto st = server.start(); !st) die(st.error().message);
//   std::uint16_t port = server.port();
//   ...
//   server.stop(std::chrono::seconds(10));
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "server/http/http_types.h"

namespace ikv::server {

struct HttpOptions {
  // Interface to listen on (an IPv4 or IPv6 literal).
  std::string address = "127.0.0.1";
  // TCP port; 0 picks a free one (read it back with HttpServer::port()).
  std::uint16_t port = 8080;
  // io threads; 0 = std::thread::hardware_concurrency().
  unsigned threads = 0;
  // Largest accepted request body in bytes; larger gets 413.
  std::uint64_t body_limit = std::uint64_t{1024} * 1024;
  // Largest accepted request line plus header fields in bytes; larger gets 431.
  std::uint32_t header_limit = 16 * 1024;
  // Time allowed for a request's header, counted from its first byte; also
  // how long a new connection may stay silent before its first request.
  std::chrono::milliseconds header_timeout{10'000};
  // Time allowed to receive a body once its header is in.
  std::chrono::milliseconds body_timeout{30'000};
  // How long an idle keep-alive connection waits for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Time allowed to write one answer (or one chunk of a stream).
  std::chrono::milliseconds write_timeout{30'000};
  // After the server closes its side, how long unread input is drained so the
  // client receives the last answer instead of a reset.
  std::chrono::milliseconds linger_timeout{1'000};
  // Connections served at once; more are answered 503 and closed.
  std::size_t max_connections = 1024;
  // The `Server` header of every answer.
  std::string server_name = "ikv-registry";
};

namespace detail {
struct ServerState;
}

class HttpServer {
 public:
  HttpServer(HttpOptions options, Handler handler);
  // Stops with no grace period if still running (only exhaustion can throw
  // there, and terminating is then the answer).
  ~HttpServer();  // NOLINT(bugprone-exception-escape)
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the io threads.
  // Errors: kInvalidArgument for a bad address; kUnavailable when binding or
  // listening fails (port in use, no permission). REQUIRES: called once.
  Status start();

  // The bound port. REQUIRES: start() succeeded.
  std::uint16_t port() const;

  // Open connections, including those being refused or drained.
  std::size_t connection_count() const;

  // Graceful shutdown within `grace` (see above). Idempotent.
  void stop(std::chrono::milliseconds grace);

 private:
  std::shared_ptr<detail::ServerState> state_;
  std::vector<std::thread> threads_;
  std::shared_ptr<void> work_;  // keeps the io threads running until stop()
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace ikv::server
