// HttpConnection: a small blocking HTTP/1.1 client over one TCP connection to
// a loopback server, for tests. It can send well-formed requests or raw bytes
// and read answers one at a time, so keep-alive, pipelining, malformed input
// and connection closing can all be observed.
//
// Thread-safety: one connection per thread.
//
//   auto c = HttpConnection::connect(port);
//   auto r = (*c)->request("GET", "/livez");
//   EXPECT_EQ(r->status, 200);
//   EXPECT_EQ(r->header("Content-Type"), "application/json");
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace ikv::harness {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  unsigned status = 0;
  Headers headers;
  std::string body;
  bool keep_alive = false;  // the server will keep the connection open

  // The first value of header `name` (any letter case); "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

class HttpConnection {
 public:
  // Connects to host:port, from the local IPv4 address `source` when one is
  // given (e.g. "127.0.0.2": another client address on loopback). Every later
  // read or write fails with kUnavailable after `timeout` without progress.
  static Result<std::unique_ptr<HttpConnection>> connect(
      std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10),
      std::string host = "127.0.0.1", const std::string& source = {});

  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends one request (HTTP/1.1, Host and Content-Length filled in; a body
  // gets `Content-Type: application/json` unless `headers` set one) and reads
  // its answer.
  Result<HttpReply> request(std::string_view method, std::string_view target,
                            std::string_view body = {}, const Headers& headers = {});

  // Sends one request without reading the answer.
  Status send_request(std::string_view method, std::string_view target, std::string_view body = {},
                      const Headers& headers = {});

  // Sends bytes as they are.
  Status send_raw(std::string_view bytes);

  // Reads one answer. `head`: the request was HEAD (no body follows).
  Result<HttpReply> read_reply(bool head = false);

  // Waits for the server to close the connection: true on end of stream (or
  // reset), false when data arrives or the timeout passes first.
  bool wait_closed();

  // Closes the connection now.
  void close();

 private:
  HttpConnection(int fd, std::string host);
  int fd_ = -1;
  std::string host_;
  std::string pending_;  // bytes received but not yet parsed
};

}  // namespace ikv::harness
