// The vocabulary shared by the HTTP server, the router and every handler:
// the request and response types, the asynchronous `Respond` callback, and the
// extension point for responses written in pieces (Server-Sent Events).
//
// Thread-safety: `Respond` may be called from any thread, exactly once. A
// `ChunkStream` may be used from any thread; its completions run on the
// connection's strand and must not block.
//
//   void handle(Request&& req, Respond respond) {
//     store.append(..., [respond](auto r) { respond(json_response(...)); });
//   }
//
//   // Streaming (only when the request came through HttpServer):
//   if (RespondStream open = stream_channel(respond)) {
//     open({.head = std::move(head), .on_open = [](std::shared_ptr<ChunkStream> s) {
//       s->write("data: hello\n\n", [](bool ok) {});
//     }});
//   }
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace ikv::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// Completes a request. Call exactly once, from any thread; later calls are
// ignored. A server-provided Respond that is destroyed without being called
// answers 500.
using Respond = std::function<void(Response)>;

// The server's entry point into the application.
// REQUIRES: does not block; completes through `respond`, now or later.
using Handler = std::function<void(Request&&, Respond)>;

// An open streamed response (chunked transfer coding).
class ChunkStream {
 public:
  ChunkStream() = default;
  ChunkStream(const ChunkStream&) = delete;
  ChunkStream& operator=(const ChunkStream&) = delete;
  virtual ~ChunkStream() = default;
  // Queues `data` as one chunk. `done(true)` runs on the connection's strand
  // once it is written; `done(false)` when the client is gone, a write timed
  // out or the server is stopping (the stream is then closed).
  virtual void write(std::string data, std::function<void(bool ok)> done) = 0;
  // Writes the last chunk and closes the connection. Idempotent.
  virtual void finish() = 0;
  // False once the stream can no longer deliver chunks.
  virtual bool is_open() const = 0;
};

// A response whose body is produced over time.
struct StreamingResponse {
  // Status and headers. The body is ignored; the header is sent with
  // `Transfer-Encoding: chunked` and the connection closes when it ends.
  Response head{};
  // Called once on the connection's strand when the header has been written.
  std::function<void(std::shared_ptr<ChunkStream>)> on_open{};
};

// Answers with a stream instead of a Response. Counts as the one call of the
// request's Respond.
using RespondStream = std::function<void(StreamingResponse)>;

// Where a server-provided Respond delivers; implemented by the server.
class ResponseSink {
 public:
  ResponseSink() = default;
  ResponseSink(const ResponseSink&) = delete;
  ResponseSink& operator=(const ResponseSink&) = delete;
  virtual ~ResponseSink() = default;
  virtual void deliver(Response res) = 0;
  virtual void deliver_stream(StreamingResponse res) = 0;
  // The client's address, "ip:port" ("" when unknown).
  virtual std::string remote_address() const { return {}; }
};

// The callable inside every Respond that HttpServer hands out.
struct ServerRespond {
  std::shared_ptr<ResponseSink> sink;
  void operator()(Response res) const { sink->deliver(std::move(res)); }
};

// The stream channel of a server-provided Respond; empty for any other
// Respond (as in handler tests without sockets).
RespondStream stream_channel(const Respond& respond);

// The client's address ("ip:port") behind a server-provided Respond; "" for
// any other Respond.
std::string remote_address(const Respond& respond);

}  // namespace ikv::server
