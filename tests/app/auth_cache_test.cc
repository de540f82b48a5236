// The authentication cache (app/auth_cache.h): the cache itself (epoch,
// deadline, bound), and the registry's answers with it, which must stay those
// of a fresh check: a revocation, a rotation's grace and an expiry take effect
// at once, on the registry clock, though the secret was answered from memory.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "app/auth_cache.h"
#include "app/registry.h"

namespace ikv::app {
namespace {

TEST(SecretCache, AnswersOnlyTheSameSecretAtTheSameEpochBeforeItsDeadline) {
  SecretCache<std::string> cache;
  cache.put("secret-a", 3, 1000, "alice");
  EXPECT_EQ(cache.find("secret-a", 3, 999), "alice");
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_FALSE(cache.find("secret-a", 4, 999).has_value());   // the tokens changed
  EXPECT_FALSE(cache.find("secret-a", 3, 1000).has_value());  // its deadline came
  EXPECT_FALSE(cache.find("secret-b", 3, 999).has_value());
  EXPECT_FALSE(cache.find("secret-", 3, 999).has_value());
  EXPECT_EQ(cache.hits(), 1u);
  cache.put("secret-a", 4, 2000, "alice again");
  EXPECT_EQ(cache.find("secret-a", 4, 1500), "alice again");
}

TEST(SecretCache, StaysWithinItsBound) {
  SecretCache<int> cache;
  const std::size_t bound = SecretCache<int>::kShards * SecretCache<int>::kPerShard;
  for (std::size_t i = 0; i < 3 * bound; ++i) cache.put("s" + std::to_string(i), 1, 10, 1);
  EXPECT_LE(cache.size(), bound);
  EXPECT_GT(cache.size(), 0u);
}

TEST(SecretCache, ManyThreadsFindAndPut) {
  SecretCache<int> cache;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string secret = "s" + std::to_string((i * 7 + t) % 300);
        const int value = static_cast<int>(secret.size());
        if (auto hit = cache.find(secret, 1, 0); hit && *hit != value) ++wrong;
        cache.put(secret, 1, 10, value);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(cache.hits(), 0u);
}

constexpr std::int64_t kStart = 1'800'000'000'000'000;  // 2027-01-15, UTC microseconds
constexpr std::int64_t kSecond = 1'000'000;

class AuthCacheRegistry : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = Registry::open({.clock = [this] { return now_.load(); }}).value();
  }

  CommandResult run(std::string token_id, domain::TokenCommand command) {
    CommandResult out;
    registry_->execute_token(std::move(token_id), std::move(command),
                             {.actor = "admin", .request_id = "r"},
                             [&](CommandResult r) { out = std::move(r); });
    return out;
  }

  // Issues token `id` and returns its secret.
  std::string issue(const std::string& id, std::optional<std::int64_t> expires_at_us = {}) {
    auto [secret, hash] = Registry::new_token_secret();
    auto r = run(
        id, domain::IssueToken{id, "app-" + id, "analyst", {}, hash, expires_at_us, now_.load()});
    EXPECT_TRUE(std::holds_alternative<CommandOk>(r));
    return secret;
  }

  bool accepted(const std::string& secret) {
    return std::holds_alternative<Principal>(registry_->check_secret(secret));
  }

  std::atomic<std::int64_t> now_{kStart};
  std::unique_ptr<Registry> registry_;
};

TEST_F(AuthCacheRegistry, AKnownSecretIsAnsweredFromMemoryWithTheSamePrincipal) {
  const std::string secret = issue("t1");
  const auto first = registry_->check_secret(secret);
  const std::uint64_t hits = registry_->auth_cache_hits();
  const auto second = registry_->check_secret(secret);
  EXPECT_EQ(registry_->auth_cache_hits(), hits + 1);
  ASSERT_TRUE(std::holds_alternative<Principal>(first));
  ASSERT_TRUE(std::holds_alternative<Principal>(second));
  const auto& a = std::get<Principal>(first);
  const auto& b = std::get<Principal>(second);
  EXPECT_EQ(a.token_id, "t1");
  EXPECT_EQ(b.token_id, a.token_id);
  EXPECT_EQ(b.name, a.name);
  EXPECT_EQ(b.role, a.role);
  EXPECT_EQ(b.networks, a.networks);
  // A wrong secret is never answered from memory.
  EXPECT_FALSE(accepted(secret + "x"));
  EXPECT_FALSE(accepted(secret.substr(0, secret.size() - 1)));
}

TEST_F(AuthCacheRegistry, ARevocationTakesEffectWithTheNextCheck) {
  const std::string secret = issue("t1");
  const std::string other = issue("t2");
  ASSERT_TRUE(accepted(secret));
  ASSERT_TRUE(accepted(secret));  // from memory
  ASSERT_TRUE(std::holds_alternative<CommandOk>(run("t1", domain::RevokeToken{"t1"})));
  EXPECT_FALSE(accepted(secret));
  EXPECT_TRUE(accepted(other));
}

TEST_F(AuthCacheRegistry, AnExpiryTakesEffectOnTimeThoughTheSecretWasRemembered) {
  const std::string secret = issue("t1", kStart + 60 * kSecond);
  ASSERT_TRUE(accepted(secret));
  now_ = kStart + 60 * kSecond - 1;
  ASSERT_TRUE(accepted(secret));  // from memory, still before the expiry
  now_ = kStart + 60 * kSecond;
  const auto refused = registry_->check_secret(secret);
  ASSERT_TRUE(std::holds_alternative<Registry::AuthRefusal>(refused));
  EXPECT_EQ(std::get<Registry::AuthRefusal>(refused), Registry::AuthRefusal::kExpired);
}

TEST_F(AuthCacheRegistry, ARotatedSecretWorksUntilItsGraceEndsAndTheNewOneAtOnce) {
  const std::string old_secret = issue("t1");
  ASSERT_TRUE(accepted(old_secret));
  auto [new_secret, new_hash] = Registry::new_token_secret();
  ASSERT_TRUE(std::holds_alternative<CommandOk>(
      run("t1", domain::RotateToken{"t1", new_hash, 30, now_.load()})));
  EXPECT_TRUE(accepted(new_secret));
  EXPECT_TRUE(accepted(old_secret));
  now_ = kStart + 30 * kSecond - 1;
  EXPECT_TRUE(accepted(old_secret));  // from memory, within the grace
  EXPECT_TRUE(accepted(new_secret));
  now_ = kStart + 30 * kSecond;
  EXPECT_FALSE(accepted(old_secret));
  EXPECT_TRUE(accepted(new_secret));
}

}  // namespace
}  // namespace ikv::app
