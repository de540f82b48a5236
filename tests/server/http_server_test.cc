// HttpServer over real loopback sockets.
#include "server/http/http_server.h"

#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "server/http/problem.h"
#include "server/http/router.h"
#include "tests/http/harness/http_connection.h"

namespace ikv::server {
namespace {
namespace http = boost::beast::http;
using harness::HttpConnection;
using namespace std::chrono_literals;

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    router_.add(
        http::verb::get, "/hello",
        [](RequestContext&, Respond respond) {
          respond(json_response(http::status::ok, {{"hello", "world"}}));
        },
        "hello");
    router_.add(
        http::verb::post, "/echo",
        [](RequestContext& ctx, Respond respond) {
          respond(json_response(http::status::ok, {{"size", ctx.request.body().size()}}));
        },
        "echo");
    router_.add(
        http::verb::get, "/later",
        [](RequestContext&, Respond respond) {
          std::thread([respond = std::move(respond)] {
            std::this_thread::sleep_for(50ms);
            respond(json_response(http::status::ok, {{"from", "another thread"}}));
          }).detach();
        },
        "later");
    router_.add(
        http::verb::get, "/slow",
        [this](RequestContext&, Respond respond) {
          entered_.set_value();
          std::thread([released = released_, respond = std::move(respond)] {
            released.wait();
            respond(json_response(http::status::ok, {{"slow", true}}));
          }).detach();
        },
        "slow");
    router_.add(
        http::verb::get, "/forgets", [](RequestContext&, Respond) {}, "forgets");
    router_.add(
        http::verb::get, "/stream",
        [](RequestContext& ctx, Respond respond) {
          if (!ctx.respond_stream) return respond(problem_500("no streaming"));
          Response head{http::status::ok, 11};
          head.set(http::field::content_type, "text/event-stream");
          ctx.respond_stream(
              {.head = std::move(head), .on_open = [](std::shared_ptr<ChunkStream> s) {
                 s->write("data: 1\n\n", [](bool) {});
                 s->write("data: 2\n\n", [](bool) {});
                 s->finish();
               }});
        },
        "stream");
  }
  ~HttpServerTest() override {
    if (server_) server_->stop(5s);
  }

  void start(HttpOptions options = {}) {
    options.port = 0;
    options.threads = 2;
    server_ = std::make_unique<HttpServer>(options, router_.handler());
    ASSERT_TRUE(server_->start().ok());
  }
  std::unique_ptr<HttpConnection> connect() {
    auto c = HttpConnection::connect(server_->port());
    EXPECT_TRUE(c.ok());
    return c ? std::move(*c) : nullptr;
  }

  Router router_;
  std::promise<void> entered_;
  std::promise<void> release_;
  std::shared_future<void> released_ = release_.get_future().share();
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  auto c = connect();
  for (int i = 0; i < 3; ++i) {
    auto r = c->request("GET", "/hello");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->status, 200u);
    EXPECT_EQ(r->body, R"({"hello":"world"})");
    EXPECT_TRUE(r->keep_alive);
    EXPECT_EQ(r->header("Server"), "ikv-registry");
  }
  auto post = c->request("POST", "/echo", R"({"a":1})");
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->body, R"({"size":7})");
  EXPECT_EQ(server_->connection_count(), 1u);
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                          "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                  .ok());
  auto first = c->read_reply();
  auto second = c->read_reply();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->body, R"({"size":3})");
  EXPECT_EQ(second->body, R"({"hello":"world"})");
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  start();
  auto c = connect();
  auto r = c->request("GET", "/hello", {}, {{"Connection", "close"}});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(HttpServerTest, OversizeBodyGets413ProblemAndServerKeepsServing) {
  start();
  auto c = connect();
  const std::string big(2 * 1024 * 1024, 'x');
  auto r = c->request("POST", "/echo", big, {{"X-Request-Id", "big-1"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 413u);
  EXPECT_EQ(r->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(boost::json::parse(r->body).at("status"), 413);
  EXPECT_EQ(r->header("X-Request-Id"), "big-1");
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(c->wait_closed());

  auto again = connect();
  auto ok = again->request("GET", "/hello");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200u);
}

TEST_F(HttpServerTest, OversizeChunkedBodyGets413) {
  start({.body_limit = 1000});
  auto c = connect();
  std::string req = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) req += "200\r\n" + std::string(512, 'y') + "\r\n";
  req += "0\r\n\r\n";
  ASSERT_TRUE(c->send_raw(req).ok());
  auto r = c->read_reply();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 413u);
}

TEST_F(HttpServerTest, BodyAtTheLimitIsAccepted) {
  start({.body_limit = 1000});
  auto c = connect();
  auto r = c->request("POST", "/echo", std::string(1000, 'z'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, R"({"size":1000})");
}

TEST_F(HttpServerTest, HandlerMayAnswerFromAnotherThreadLater) {
  start();
  auto c = connect();
  auto r = c->request("GET", "/later");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, R"({"from":"another thread"})");
  auto next = c->request("GET", "/hello");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->status, 200u);
}

TEST_F(HttpServerTest, MalformedRequestLineGets400AndClose) {
  start();
  for (const char* raw :
       {"GET /hello\r\n\r\n", "G@T /hello HTTP/1.1\r\n\r\n",
        "GET /hello HTTP/9.9\r\nHost: x\r\n\r\n", "GET /hello HTTP/1.1\r\nBad Header\r\n\r\n"}) {
    auto c = connect();
    ASSERT_TRUE(c->send_raw(raw).ok());
    auto r = c->read_reply();
    ASSERT_TRUE(r.ok()) << raw << ": " << r.error().message;
    EXPECT_EQ(r->status, 400u) << raw;
    EXPECT_EQ(r->header("Content-Type"), "application/problem+json");
    EXPECT_FALSE(r->header("X-Request-Id").empty());
    EXPECT_TRUE(c->wait_closed());
  }
}

TEST_F(HttpServerTest, OversizeHeaderGets431) {
  start({.header_limit = 1024});
  auto c = connect();
  auto r = c->request("GET", "/hello", {}, {{"X-Filler", std::string(2000, 'f')}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 431u);
}

TEST_F(HttpServerTest, HeadSendsHeadersWithoutBody) {
  start();
  auto c = connect();
  auto r = c->request("HEAD", "/hello");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->header("Content-Length"), "17");
  EXPECT_TRUE(r->body.empty());
  auto next = c->request("GET", "/hello");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->body, R"({"hello":"world"})");
}

TEST_F(HttpServerTest, DroppedRespondGets500) {
  start();
  auto c = connect();
  auto r = c->request("GET", "/forgets");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 500u);
}

TEST_F(HttpServerTest, ExpectContinueGetsInterimAnswer) {
  start();
  auto c = connect();
  ASSERT_TRUE(c->send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                          "Expect: 100-continue\r\n\r\n")
                  .ok());
  auto interim = c->read_reply();
  ASSERT_TRUE(interim.ok());
  EXPECT_EQ(interim->status, 100u);
  ASSERT_TRUE(c->send_raw("abcd").ok());
  auto r = c->read_reply();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, R"({"size":4})");
}

TEST_F(HttpServerTest, StreamedResponseIsChunked) {
  start();
  auto c = connect();
  auto r = c->request("GET", "/stream");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(r->header("Content-Type"), "text/event-stream");
  EXPECT_FALSE(r->header("X-Request-Id").empty());
  EXPECT_EQ(r->body, "data: 1\n\ndata: 2\n\n");
  EXPECT_TRUE(c->wait_closed());
}

TEST_F(HttpServerTest, GracefulStopFinishesInFlightRequestAndClosesIdleOnes) {
  start();
  auto idle = connect();
  ASSERT_TRUE(idle->request("GET", "/hello").ok());
  auto busy = connect();
  ASSERT_TRUE(busy->send_request("GET", "/slow").ok());
  entered_.get_future().wait();

  std::thread stopper([this] { server_->stop(10s); });
  EXPECT_TRUE(idle->wait_closed());  // closed by stop(), so stop() has begun
  release_.set_value();
  auto r = busy->read_reply();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, R"({"slow":true})");
  EXPECT_FALSE(r->keep_alive);
  stopper.join();
  EXPECT_EQ(server_->connection_count(), 0u);
  EXPECT_FALSE(HttpConnection::connect(server_->port()).ok());
}

TEST_F(HttpServerTest, StopAfterGraceClosesUnfinishedRequests) {
  start();
  auto busy = connect();
  ASSERT_TRUE(busy->send_request("GET", "/slow").ok());
  entered_.get_future().wait();
  server_->stop(0ms);
  EXPECT_TRUE(busy->wait_closed());
  release_.set_value();  // the late answer is dropped
}

TEST_F(HttpServerTest, OverMaxConnectionsGets503AndClose) {
  start({.max_connections = 1});
  auto first = connect();
  ASSERT_TRUE(first->request("GET", "/hello").ok());

  auto second = connect();
  auto refused = second->request("GET", "/hello");
  ASSERT_TRUE(refused.ok()) << refused.error().message;
  EXPECT_EQ(refused->status, 503u);
  EXPECT_EQ(refused->header("Content-Type"), "application/problem+json");
  EXPECT_EQ(refused->header("Retry-After"), "1");
  EXPECT_FALSE(refused->keep_alive);
  EXPECT_TRUE(second->wait_closed());
  second->close();

  auto still = first->request("GET", "/hello");
  ASSERT_TRUE(still.ok());
  EXPECT_EQ(still->status, 200u);

  first->close();
  while (server_->connection_count() != 0) std::this_thread::sleep_for(1ms);
  auto third = connect();
  auto ok = third->request("GET", "/hello");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200u);
}

TEST_F(HttpServerTest, SilentConnectionIsClosedAfterHeaderTimeout) {
  start({.header_timeout = 200ms});
  auto silent = connect();
  EXPECT_TRUE(silent->wait_closed());
  auto partial = connect();
  ASSERT_TRUE(partial->send_raw("GET /hello HTTP/1.1\r\nHost: x\r\n").ok());
  EXPECT_TRUE(partial->wait_closed());
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  start({.idle_timeout = 200ms});
  auto c = connect();
  ASSERT_TRUE(c->request("GET", "/hello").ok());
  EXPECT_TRUE(c->wait_closed());
}

TEST(HttpServer, StartFailsOnAPortInUse) {
  HttpServer first({.port = 0, .threads = 1}, [](Request&&, Respond) {});
  ASSERT_TRUE(first.start().ok());
  HttpServer second({.port = first.port(), .threads = 1}, [](Request&&, Respond) {});
  Status st = second.start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  first.stop(1s);
}

TEST(HttpServer, StartRejectsABadAddress) {
  HttpServer server({.address = "not-an-ip", .port = 0, .threads = 1}, [](Request&&, Respond) {});
  Status st = server.start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ikv::server
