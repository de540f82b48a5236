#include "server/page_cache.h"

#include <algorithm>
#include <functional>

namespace ikv::server {

namespace http = boost::beast::http;

PageCache::PageCache(std::size_t capacity)
    : per_shard_(std::max<std::size_t>(capacity / kShards, 1)) {}

std::string PageCache::key_of(const RequestContext& ctx, bool personal, std::string_view extra) {
  const std::string_view target = ctx.request.target();
  const std::string_view accept = ctx.request[http::field::accept];
  std::string key;
  key.reserve(ctx.operation_id.size() + target.size() + accept.size() + extra.size() + 8);
  key.append(ctx.operation_id).push_back('\n');
  key.append(target).push_back('\n');
  key.append(accept).push_back('\n');
  key.push_back(personal ? 'P' : '-');
  key.push_back('\n');
  key.append(extra);
  return key;
}

PageCache::Shard& PageCache::shard_of(const std::string& key) const {
  return shards_[std::hash<std::string>{}(key) % kShards];
}

std::optional<Response> PageCache::find(const std::string& key, std::uint64_t version) const {
  Shard& s = shard_of(key);
  std::lock_guard lock(s.mu);
  const auto it = s.entries.find(key);
  if (it == s.entries.end() || it->second.version != version) {
    ++s.misses;
    return std::nullopt;
  }
  ++s.hits;
  return *it->second.answer;
}

void PageCache::put(const std::string& key, std::uint64_t version, const Response& answer) {
  if (http::to_status_class(answer.result()) != http::status_class::successful) return;
  Shard& s = shard_of(key);
  std::lock_guard lock(s.mu);
  if (s.entries.size() >= per_shard_ && !s.entries.contains(key)) s.entries.clear();
  s.entries.insert_or_assign(key, Entry{version, std::make_shared<const Response>(answer)});
}

std::uint64_t PageCache::hits() const {
  std::uint64_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.hits;
  }
  return n;
}

std::uint64_t PageCache::misses() const {
  std::uint64_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.misses;
  }
  return n;
}

}  // namespace ikv::server
