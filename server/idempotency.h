// IdempotencyLedger: the Idempotency-Key contract of API.md. For each
// (token, key) it keeps, durably and for at least 7 days, the request's hash
// and the first answer, so a retry gets that answer again and appends nothing.
//
// The record of a command that appended events is written in the same atomic
// batch as the events (record_put()), so a crash can never leave events
// without their record or the reverse. The answer's version and position are
// read back from the stored last event on replay. The rest of the body is kept
// as it is, {"h", "s", "l", "c": body, "e", "v", "p", "t"}, unless it shows a
// secret (an issued token's "token"): then it is sealed with the vault into
// "b" instead of "c". Records written before "c" existed all have "b".
//
// Thread-safety: all methods are thread-safe (in_flight_ under mu_).
//
//   auto begin = ledger.begin(token_id, key, hash);
//   switch (begin.kind) { case kReplay: return respond(begin.replay); ... }
//   meta.side_puts = [&](auto& events) { return {ledger.record_put(...)}; };
//   ... ledger.finish(token_id, key);
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <boost/beast/http/status.hpp>
#include <boost/json.hpp>

#include "app/registry.h"
#include "server/http/http_types.h"

namespace ikv::server {

// The part of a command's answer fixed before it runs.
struct StoredAnswer {
  boost::beast::http::status status = boost::beast::http::status::ok;
  std::string location;      // empty: no Location header
  boost::json::object body;  // without "version" and "position"
};

// The full answer: fixed part plus the stream's version and last position.
Response command_answer(const StoredAnswer& answer, std::uint64_t version, std::uint64_t position);

class IdempotencyLedger {
 public:
  // How long a record answers retries.
  static constexpr std::int64_t kRetentionUs = 7LL * 24 * 3600 * 1'000'000;

  IdempotencyLedger(app::Registry& registry, std::function<std::int64_t()> clock);
  IdempotencyLedger(const IdempotencyLedger&) = delete;
  IdempotencyLedger& operator=(const IdempotencyLedger&) = delete;
  ~IdempotencyLedger() = default;

  enum class Kind {
    kNew,       // run the request; call finish() when answered
    kReplay,    // answer `replay`
    kMismatch,  // same key, different request: 422
    kInFlight,  // the first request with this key is still running: 409
    kError,     // the ledger could not be read: 503
  };
  struct Begin {
    Kind kind = Kind::kNew;
    Response replay{};
  };
  Begin begin(const std::string& token_id, const std::string& key, const std::string& request_hash);

  // The side-table write that records `answer` for (token, key), to go in the
  // command's batch; `last_event_id` is the command's last event.
  eventstore::SidePut record_put(const std::string& token_id, const std::string& key,
                                 const std::string& request_hash, const StoredAnswer& answer,
                                 const std::string& last_event_id, std::uint64_t version = 0,
                                 std::uint64_t position = 0);
  // Records an answer of a command that appended nothing (not atomic: there is
  // nothing to duplicate).
  void record_now(const std::string& token_id, const std::string& key,
                  const std::string& request_hash, const StoredAnswer& answer,
                  std::uint64_t version, std::uint64_t position);
  // The request with (token, key) is answered.
  void finish(const std::string& token_id, const std::string& key);

 private:
  static std::string side_key(const std::string& token_id, const std::string& key);

  // Constant after construction.
  app::Registry& registry_;
  const std::function<std::int64_t()> clock_;

  std::mutex mu_;
  std::set<std::string> in_flight_;  // guarded by mu_
};

}  // namespace ikv::server
