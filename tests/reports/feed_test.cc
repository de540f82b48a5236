// EventFeed (the live SSE feed) against an in-memory registry, and the
// negotiation of media types.
#include "server/event_feed.h"

#include <algorithm>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "server/param_reader.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Guard against a hung test; never an assertion about how long something took.
constexpr auto kGuard = 10s;

// A ChunkStream that keeps what it is sent; `fail` makes every write fail.
class FakeStream final : public ChunkStream {
 public:
  explicit FakeStream(bool fail = false) : fail_(fail) {}
  void write(std::string data, std::function<void(bool)> done) override {
    {
      std::lock_guard lock(mu_);
      if (!fail_) text_ += data;
      ++writes_;
    }
    cv_.notify_all();
    done(!fail_);
  }
  void finish() override {
    std::lock_guard lock(mu_);
    finished_ = true;
  }
  bool is_open() const override { return true; }
  // Waits until `pred(text)` holds (or the guard passes); returns the text.
  std::string wait(const std::function<bool(const std::string&)>& pred) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kGuard, [&] { return pred(text_); });
    return text_;
  }
  int writes() const {
    std::lock_guard lock(mu_);
    return writes_;
  }

 private:
  const bool fail_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
  int writes_ = 0;
  bool finished_ = false;
};

// The positions in the "id:" lines, in order.
std::vector<std::uint64_t> ids(const std::string& text) {
  std::vector<std::uint64_t> out;
  for (std::size_t at = text.find("id: "); at != std::string::npos;
       at = text.find("\nid: ", at + 1)) {
    const std::size_t start = text[at] == '\n' ? at + 5 : at + 4;
    out.push_back(std::stoull(text.substr(start, text.find('\n', start) - start)));
  }
  return out;
}

bool has_id(const std::string& text, std::uint64_t position) {
  const auto v = ids(text);
  return std::find(v.begin(), v.end(), position) != v.end();
}

class FeedTest : public ::testing::Test {
 protected:
  FeedTest() : registry_(app::Registry::open({}).value()) {}

  // Runs a command and waits for its answer.
  void run(const std::function<void(app::CommandMeta, app::CommandDone)>& command) {
    std::promise<app::CommandResult> done;
    app::CommandMeta meta;
    meta.actor = "test";
    meta.request_id = "r";
    command(meta, [&done](app::CommandResult r) { done.set_value(std::move(r)); });
    ASSERT_TRUE(std::holds_alternative<app::CommandOk>(done.get_future().get()));
  }
  void establish(const std::string& id) {
    run([&](app::CommandMeta meta, app::CommandDone done) {
      registry_->execute_network(
          id,
          domain::EstablishNetwork{
              id, {"fi", "sv", "en"}, "Region", "Seat", "Steward", domain::Date{2020, 1, 1}},
          std::move(meta), std::move(done));
    });
  }
  void join(const std::string& network, const std::string& member) {
    run([&](app::CommandMeta meta, app::CommandDone done) {
      domain::JoinNetwork j;
      j.member_id = member;
      j.personal = {"Anna Virtanen", member + "@example.fi", std::nullopt};
      j.organisation = "Poliisi";
      j.sector = "police";
      j.joined_on = {2024, 5, 2};
      registry_->execute_network(network, j, std::move(meta), std::move(done));
    });
  }

  std::unique_ptr<app::Registry> registry_;
};

TEST_F(FeedTest, SendsTheHistoryThenLiveEventsInOrderWithoutGaps) {
  for (const char* id : {"oulu", "turku", "tampere"}) establish(id);
  FeedOptions options;
  options.batch = 2;  // history in two chunks
  EventFeed feed(*registry_, options);
  auto stream = std::make_shared<FakeStream>();
  feed.subscribe(feed.reserve(), stream, {});
  stream->wait([](const std::string& t) { return has_id(t, 3); });
  establish("north-savo");
  establish("oulu-2");
  const std::string text = stream->wait([](const std::string& t) { return has_id(t, 5); });
  EXPECT_EQ(ids(text), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_NE(text.find("id: 4\nevent: NetworkEstablished\ndata: {\"position\":4,"),
            std::string::npos)
      << text;
}

TEST_F(FeedTest, StartsStrictlyAfterItsPositionAndAppliesTheFilters) {
  establish("oulu");
  establish("turku");
  join("oulu", "m1");
  EventFeed feed(*registry_);
  auto after = std::make_shared<FakeStream>();
  feed.subscribe(feed.reserve(), after, {.after = 2});
  auto joins = std::make_shared<FakeStream>();
  feed.subscribe(feed.reserve(), joins, {.type = "MemberJoined"});
  establish("tampere");  // 4
  join("turku", "m2");   // 5
  EXPECT_EQ(ids(after->wait([](const std::string& t) { return has_id(t, 5); })),
            (std::vector<std::uint64_t>{3, 4, 5}));
  EXPECT_EQ(ids(joins->wait([](const std::string& t) { return has_id(t, 5); })),
            (std::vector<std::uint64_t>{3, 5}));
}

TEST_F(FeedTest, ShowsPersonalDataOnlyForTheNetworksOfTheScope) {
  establish("oulu");
  join("oulu", "m1");
  EventFeed feed(*registry_);
  auto nobody = std::make_shared<FakeStream>();
  auto other = std::make_shared<FakeStream>();
  auto oulu = std::make_shared<FakeStream>();
  auto every = std::make_shared<FakeStream>();
  auto log = PersonalAccessLog::open({}).value();
  const auto reader = [&log](std::string token, app::PersonalDataScope scope) {
    AccessEntry who;
    who.token_id = std::move(token);
    return std::make_shared<Disclosure>(std::move(scope), std::move(who), log.get());
  };
  feed.subscribe(feed.reserve(), nobody, {});
  feed.subscribe(feed.reserve(), other,
                 {.disclosure = reader("other", {.every_network = false, .networks = {"turku"}})});
  feed.subscribe(feed.reserve(), oulu,
                 {.disclosure = reader("oulu", {.every_network = false, .networks = {"oulu"}})});
  feed.subscribe(feed.reserve(), every,
                 {.disclosure = reader("every", {.every_network = true, .networks = {}})});
  for (const auto& hidden : {nobody, other}) {
    const std::string t = hidden->wait([](const std::string& x) { return has_id(x, 2); });
    EXPECT_NE(t.find("\"name\":null"), std::string::npos) << t;
    EXPECT_EQ(t.find("Anna Virtanen"), std::string::npos) << t;
  }
  for (const auto& shown : {oulu, every}) {
    const std::string t = shown->wait([](const std::string& x) { return has_id(x, 2); });
    EXPECT_NE(t.find("\"name\":\"Anna Virtanen\""), std::string::npos) << t;
  }
  // A chunk is recorded before it is written: the two that showed the member are in the log.
  auto page = log->list({});
  ASSERT_TRUE(page.ok());
  std::vector<std::string> readers;
  for (const auto& e : page->entries) {
    readers.push_back(e.token_id);
    EXPECT_EQ(e.network, "oulu");
    EXPECT_EQ(e.members, std::vector<std::string>{"m1"});
    EXPECT_EQ(e.records, 1u);
  }
  std::sort(readers.begin(), readers.end());
  EXPECT_EQ(readers, (std::vector<std::string>{"every", "oulu"}));
}

TEST_F(FeedTest, SendsKeepAliveCommentsWhenIdle) {
  FeedOptions options;
  options.keep_alive = 1ms;
  EventFeed feed(*registry_, options);
  auto stream = std::make_shared<FakeStream>();
  feed.subscribe(feed.reserve(), stream, {});
  const std::string text = stream->wait(
      [](const std::string& t) { return t.find(": keep-alive\n\n") != std::string::npos; });
  EXPECT_EQ(text.substr(0, 14), ": keep-alive\n\n");
}

TEST_F(FeedTest, RefusesSubscribersBeyondItsLimitAndFreesUnusedPlaces) {
  FeedOptions options;
  options.max_subscribers = 1;
  EventFeed feed(*registry_, options);
  auto first = feed.reserve();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(feed.reserve(), nullptr);
  first.reset();
  EXPECT_NE(feed.reserve(), nullptr);
}

TEST_F(FeedTest, DropsASubscriberWhoseClientIsGone) {
  establish("oulu");
  FeedOptions options;
  options.max_subscribers = 1;
  EventFeed feed(*registry_, options);
  auto gone = std::make_shared<FakeStream>(/*fail=*/true);
  feed.subscribe(feed.reserve(), gone, {});
  const auto deadline = std::chrono::steady_clock::now() + kGuard;
  while (feed.subscriber_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(feed.subscriber_count(), 0u);
  EXPECT_GE(gone->writes(), 1);
  EXPECT_NE(feed.reserve(), nullptr);  // its place is free again
}

Request with_accept(std::string accept) {
  Request req{http::verb::get, "/v1/events", 11};
  if (!accept.empty()) req.set(http::field::accept, accept);
  return req;
}

TEST(Negotiate, PicksTheOfferedTypeTheClientPrefers) {
  const auto pick = [](std::string accept) {
    return negotiate(with_accept(std::move(accept)), {"application/json", "text/event-stream"});
  };
  EXPECT_EQ(pick(""), "application/json");
  EXPECT_EQ(pick("*/*"), "application/json");
  EXPECT_EQ(pick("text/event-stream"), "text/event-stream");
  EXPECT_EQ(pick("Text/Event-Stream; charset=utf-8"), "text/event-stream");
  EXPECT_EQ(pick("application/json;q=0.5, text/event-stream"), "text/event-stream");
  EXPECT_EQ(pick("text/*;q=0.9, application/json;q=0.8"), "text/event-stream");
  EXPECT_EQ(pick("text/event-stream;q=0, */*"), "application/json");
  EXPECT_EQ(pick("image/png"), std::nullopt);
}

}  // namespace
}  // namespace ikv::server
