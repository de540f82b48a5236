#include "tests/http/harness/http_connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace ikv::harness {
namespace http = boost::beast::http;

namespace {

Error unavailable(std::string message) {
  return Error{ErrorCode::kUnavailable, std::move(message), {}};
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string HttpReply::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return {};
}

bool HttpReply::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& kv) { return iequals(kv.first, name); });
}

Result<std::unique_ptr<HttpConnection>> HttpConnection::connect(std::uint16_t port,
                                                                std::chrono::milliseconds timeout,
                                                                std::string host,
                                                                const std::string& source) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return Error{ErrorCode::kInvalidArgument, "bad IPv4 address: " + host, {}};
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return unavailable(std::string("socket: ") + std::strerror(errno));
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &local.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
      const int err = errno;
      ::close(fd);
      return unavailable("bind " + source + ": " + std::strerror(err));
    }
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    ::close(fd);
    return unavailable("connect " + host + ":" + std::to_string(port) + ": " + std::strerror(err));
  }
  return std::unique_ptr<HttpConnection>(new HttpConnection(fd, std::move(host)));
}

HttpConnection::HttpConnection(int fd, std::string host) : fd_(fd), host_(std::move(host)) {}

HttpConnection::~HttpConnection() { close(); }

void HttpConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status HttpConnection::send_raw(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return unavailable(std::string("send: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok_status();
}

Status HttpConnection::send_request(std::string_view method, std::string_view target,
                                    std::string_view body, const Headers& headers) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  bool has_host = false;
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    has_host = has_host || iequals(k, "Host");
    has_type = has_type || iequals(k, "Content-Type");
    out.append(k).append(": ").append(v).append("\r\n");
  }
  if (!has_host) out.append("Host: ").append(host_).append("\r\n");
  if (!body.empty() && !has_type) out.append("Content-Type: application/json\r\n");
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  out.append("\r\n").append(body);
  return send_raw(out);
}

Result<HttpReply> HttpConnection::request(std::string_view method, std::string_view target,
                                          std::string_view body, const Headers& headers) {
  if (auto st = send_request(method, target, body, headers); !st) return st.error();
  return read_reply(method == "HEAD");
}

Result<HttpReply> HttpConnection::read_reply(bool head) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  parser.eager(true);
  if (head) parser.skip(true);
  char buf[16 * 1024];
  while (!parser.is_done()) {
    if (!pending_.empty()) {
      boost::beast::error_code ec;
      const std::size_t used = parser.put(boost::asio::buffer(pending_), ec);
      pending_.erase(0, used);
      if (ec && ec != http::error::need_more) return unavailable("bad answer: " + ec.message());
      if (parser.is_done()) break;
      if (used > 0 && !pending_.empty()) continue;
    }
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return unavailable(std::string("recv: ") + std::strerror(errno));
    if (n == 0) {
      // Closed before the first byte of an answer: put_eof requires some.
      if (!parser.got_some()) return unavailable("connection closed before an answer");
      boost::beast::error_code ec;
      parser.put_eof(ec);
      if (ec || !parser.is_done()) return unavailable("connection closed before a full answer");
      break;
    }
    pending_.append(buf, static_cast<std::size_t>(n));
  }
  auto msg = parser.release();
  HttpReply reply;
  reply.status = msg.result_int();
  for (const auto& f : msg) reply.headers.emplace_back(f.name_string(), f.value());
  reply.keep_alive = msg.keep_alive();
  reply.body = std::move(msg.body());
  return reply;
}

bool HttpConnection::wait_closed() {
  if (!pending_.empty()) return false;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
    pending_.append(buf, static_cast<std::size_t>(n));
    return false;
  }
}

}  // namespace ikv::harness
