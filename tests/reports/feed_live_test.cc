// The live feed end to end on loopback: the real HttpServer, the route table
// and an in-memory registry; a raw socket as the SSE client.
#include <future>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "server/api.h"
#include "server/http/http_server.h"

namespace ikv::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// Guard against a hung test; never an assertion about how long something took.
constexpr auto kGuard = std::chrono::seconds(10);

class LiveFeedTest : public ::testing::Test {
 protected:
  LiveFeedTest()
      : registry_(app::Registry::open({}).value()),
        ledger_(*registry_, [] { return std::int64_t{1}; }),
        api_{*registry_, ledger_, {}, nullptr} {
    register_routes(router_, api_);
    admin_ = **registry_->bootstrap_admin(std::nullopt);
    HttpOptions options;
    options.port = 0;
    options.threads = 2;
    server_ = std::make_unique<HttpServer>(options, router_.handler());
    EXPECT_TRUE(server_->start().ok());
  }
  ~LiveFeedTest() override {
    server_->stop(std::chrono::milliseconds(500));
    registry_->close();
  }
  void establish(const std::string& id) {
    std::promise<app::CommandResult> done;
    app::CommandMeta meta;
    meta.actor = "test";
    registry_->execute_network(
        id,
        domain::EstablishNetwork{
            id, {"fi", "sv", "en"}, "Region", "Seat", "Steward", domain::Date{2020, 1, 1}},
        meta, [&done](app::CommandResult r) { done.set_value(std::move(r)); });
    ASSERT_TRUE(std::holds_alternative<app::CommandOk>(done.get_future().get()));
  }

  std::unique_ptr<app::Registry> registry_;
  IdempotencyLedger ledger_;
  ApiContext api_;
  Router router_;
  std::string admin_;
  std::unique_ptr<HttpServer> server_;
};

// Reads from `socket` until `text` holds `until` or the connection ends.
void read_until(tcp::socket& socket, std::string& text, const std::string& until) {
  char buf[4096];
  boost::system::error_code ec;
  while (text.find(until) == std::string::npos) {
    const std::size_t n = socket.read_some(net::buffer(buf), ec);
    if (ec) return;
    text.append(buf, n);
  }
}

TEST_F(LiveFeedTest, DeliversEventsCommittedAfterTheStreamOpened) {
  establish("oulu");  // 2, after the admin token (1)
  net::io_context io;
  tcp::socket socket(io);
  net::connect(socket, tcp::resolver(io).resolve("127.0.0.1", std::to_string(server_->port())));
  const std::string request =
      "GET /v1/events?after=1 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
      "Authorization: Bearer " +
      admin_ + "\r\n\r\n";
  net::write(socket, net::buffer(request));
  std::string text;
  auto reader = std::async(std::launch::async, [&] { read_until(socket, text, "id: 2\n"); });
  ASSERT_EQ(reader.wait_for(kGuard), std::future_status::ready);
  EXPECT_NE(text.find("HTTP/1.1 200"), std::string::npos) << text;
  EXPECT_NE(text.find("text/event-stream"), std::string::npos) << text;
  // The stream stays open for what comes next.
  establish("turku");  // 3
  reader = std::async(std::launch::async, [&] { read_until(socket, text, "id: 3\n"); });
  if (reader.wait_for(kGuard) != std::future_status::ready) {
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    reader.wait();
  }
  EXPECT_NE(text.find("id: 3\nevent: NetworkEstablished\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace ikv::server
