// PageCache: finished answers of read routes, reused while the read model
// they were made from has not changed. An entry is keyed by everything the
// answer depends on besides the read model (the route, the request target
// with its query, the Accept header, whether the reader sees personal data
// in clear, "today" where the route uses it) and stamped with the version of
// the read model it was made from (a stream's version, or the log position
// for answers drawn from many streams); a lookup with another version is a
// miss and the entry is replaced.
//
// Bounded: at most `capacity` entries in all, spread over shards by key hash;
// a full shard is emptied before it takes a new entry (answers are cheap to
// remake, and hot ones come back at once).
//
// What is cached is the whole answer (status, headers, body). Routes cache
// only answers without personal data in clear: one that shows personal data
// is made for each reader through its Disclosure (server/disclosure.h), which
// notes what it shows for the access log. The key still says whether the
// reader sees personal data, so a reader who must not never gets such an
// answer even if a route cached one.
//
// Thread-safety: thread-safe; a mutex per shard.
//
//   const std::string key = PageCache::key_of(ctx, personal);
//   if (auto hit = api.pages.find(key, version)) return respond(std::move(*hit));
//   Response res = render(...);
//   api.pages.put(key, version, res);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/http/router.h"

namespace ikv::server {

class PageCache {
 public:
  explicit PageCache(std::size_t capacity = 4096);

  // The key of this request's answer: route, target, Accept, personal flag
  // and `extra` (e.g. today's date for routes that use it).
  static std::string key_of(const RequestContext& ctx, bool personal, std::string_view extra = {});

  // A copy of the answer stored under `key` for `version`, if any.
  std::optional<Response> find(const std::string& key, std::uint64_t version) const;
  // Stores a successful (2xx) answer; others are not kept.
  void put(const std::string& key, std::uint64_t version, const Response& answer);

  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Entry {
    std::uint64_t version = 0;
    std::shared_ptr<const Response> answer;
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Entry> entries;
    mutable std::uint64_t hits = 0;
    mutable std::uint64_t misses = 0;
  };
  static constexpr std::size_t kShards = 16;
  Shard& shard_of(const std::string& key) const;

  std::size_t per_shard_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace ikv::server
