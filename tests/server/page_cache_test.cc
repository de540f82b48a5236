// The page cache: an answer is reused only for the same key and the same
// read-model version; a new version replaces it; failures are not kept; the
// key separates readers who see personal data from those who do not; the
// cache stays within its capacity.
#include <gtest/gtest.h>

#include "server/page_cache.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;

Response answer(http::status status, std::string body) {
  Response res{status, 11};
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

RequestContext request(std::string target, std::string accept = "application/json") {
  RequestContext ctx;
  ctx.request.target(target);
  ctx.request.set(http::field::accept, accept);
  ctx.operation_id = "listMembers";
  return ctx;
}

TEST(PageCache, ReusesAnAnswerOnlyForTheVersionItWasMadeFrom) {
  PageCache cache;
  const std::string key = PageCache::key_of(request("/v1/networks/oulu/members?limit=50"), false);
  EXPECT_FALSE(cache.find(key, 7));
  cache.put(key, 7, answer(http::status::ok, "seven"));
  auto hit = cache.find(key, 7);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->body(), "seven");
  EXPECT_FALSE(cache.find(key, 8));  // the network moved on
  cache.put(key, 8, answer(http::status::ok, "eight"));
  EXPECT_FALSE(cache.find(key, 7));
  EXPECT_EQ(cache.find(key, 8)->body(), "eight");
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 3u);
}

TEST(PageCache, KeepsNoFailedAnswer) {
  PageCache cache;
  const std::string key = PageCache::key_of(request("/v1/networks/atlantis/members"), false);
  cache.put(key, 0, answer(http::status::not_found, "{}"));
  cache.put(key, 0, answer(http::status::unprocessable_entity, "{}"));
  EXPECT_FALSE(cache.find(key, 0));
}

TEST(PageCache, TheKeySeparatesTargetsAcceptPersonalDataAndExtras) {
  const auto base = PageCache::key_of(request("/v1/networks/oulu/members?limit=50"), false);
  EXPECT_NE(base, PageCache::key_of(request("/v1/networks/oulu/members?limit=50"), true));
  EXPECT_NE(base, PageCache::key_of(request("/v1/networks/oulu/members?limit=5"), false));
  EXPECT_NE(base,
            PageCache::key_of(request("/v1/networks/oulu/members?limit=50", "text/csv"), false));
  EXPECT_NE(base,
            PageCache::key_of(request("/v1/networks/oulu/members?limit=50"), false, "2024-05-01"));
  EXPECT_EQ(base, PageCache::key_of(request("/v1/networks/oulu/members?limit=50"), false));
}

TEST(PageCache, StaysWithinItsCapacity) {
  PageCache cache(64);
  for (int i = 0; i < 10'000; ++i) {
    cache.put(PageCache::key_of(request("/v1/x?i=" + std::to_string(i)), false), 1,
              answer(http::status::ok, "x"));
  }
  int kept = 0;
  for (int i = 0; i < 10'000; ++i) {
    kept +=
        cache.find(PageCache::key_of(request("/v1/x?i=" + std::to_string(i)), false), 1) ? 1 : 0;
  }
  EXPECT_GT(kept, 0);
  EXPECT_LE(kept, 64);
}

}  // namespace
}  // namespace ikv::server
