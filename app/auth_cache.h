// SecretCache: what checking a bearer secret answered, kept per secret, so
// that a request with a known token costs neither the SHA-256 of its secret
// nor the registry's lock (Registry::check_secret).
//
// An entry holds while two things hold:
// - the tokens have not changed since it was made: the owner stamps it with
//   its token epoch, a counter it bumps after applying any token event, and a
//   lookup with another epoch is a miss (so a revocation, a rotation or a new
//   token takes effect with the next request);
// - its own deadline has not come: the token's expiry, or the end of a
//   rotated-away secret's grace (past it the owner checks again, and answers
//   the refusal on time).
// Only acceptances are kept, never refusals. Bounded: at most kShards x
// kPerShard entries; a full shard is emptied before it takes a new one.
//
// The secrets are kept in memory as requests bring them (never logged, dumped
// or stored); an entry dies with the next token change or the process.
//
// Thread-safety: thread-safe; a mutex per shard.
//
//   SecretCache<Principal> cache;
//   const std::uint64_t epoch = token_epoch.load();   // before checking
//   if (auto hit = cache.find(secret, epoch, now)) return *hit;
//   Principal p = check(secret);                      // under the owner's lock
//   cache.put(secret, epoch, deadline, p);
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/string_hash.h"

namespace ikv::app {

template <class Value>
class SecretCache {
 public:
  static constexpr std::size_t kShards = 8;
  static constexpr std::size_t kPerShard = 512;

  // The value kept for `secret`, if it was put with `epoch` and `now_us` is
  // before its deadline.
  std::optional<Value> find(std::string_view secret, std::uint64_t epoch,
                            std::int64_t now_us) const {
    const Shard& s = shard(secret);
    std::lock_guard lock(s.mu);
    const auto it = s.entries.find(secret);
    if (it == s.entries.end() || it->second.epoch != epoch || now_us >= it->second.until_us) {
      return std::nullopt;
    }
    hits_.fetch_add(1, std::memory_order_relaxed);
    return it->second.value;
  }

  // Keeps `value` for `secret`, made at `epoch`, good until `until_us`.
  void put(std::string_view secret, std::uint64_t epoch, std::int64_t until_us, Value value) {
    Shard& s = shard(secret);
    std::lock_guard lock(s.mu);
    if (s.entries.size() >= kPerShard && !s.entries.contains(secret)) s.entries.clear();
    s.entries.insert_or_assign(std::string(secret), Entry{epoch, until_us, std::move(value)});
  }

  // Lookups answered from the cache since it was made.
  std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }

  std::size_t size() const {
    std::size_t n = 0;
    for (const Shard& s : shards_) {
      std::lock_guard lock(s.mu);
      n += s.entries.size();
    }
    return n;
  }

 private:
  struct Entry {
    std::uint64_t epoch = 0;
    std::int64_t until_us = 0;
    Value value;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> entries;
  };

  Shard& shard(std::string_view secret) { return shards_[StringHash{}(secret) % kShards]; }
  const Shard& shard(std::string_view secret) const {
    return shards_[StringHash{}(secret) % kShards];
  }

  std::array<Shard, kShards> shards_;
  mutable std::atomic<std::uint64_t> hits_{0};
};

}  // namespace ikv::app
