#include "server/idempotency.h"

#include "eventstore/event_store.h"
#include "server/http/problem.h"

namespace ikv::server {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;

constexpr std::string_view kSealSubject = "idempotency-records";

// An answer that shows a secret (a token issued or rotated: "token") is kept
// sealed; every other answer holds only ids, versions and positions and is
// kept as it is.
bool holds_secret(const json::object& body) { return body.contains("token"); }

}  // namespace

Response command_answer(const StoredAnswer& answer, std::uint64_t version, std::uint64_t position) {
  json::object body = answer.body;
  body["version"] = version;
  body["position"] = position;
  Response res = json_response(answer.status, body);
  if (!answer.location.empty()) res.set(http::field::location, answer.location);
  res.set(http::field::etag, "\"" + std::to_string(version) + "\"");
  return res;
}

IdempotencyLedger::IdempotencyLedger(app::Registry& registry, std::function<std::int64_t()> clock)
    : registry_(registry), clock_(std::move(clock)) {}

std::string IdempotencyLedger::side_key(const std::string& token_id, const std::string& key) {
  return token_id + '\x1f' + key;
}

IdempotencyLedger::Begin IdempotencyLedger::begin(const std::string& token_id,
                                                  const std::string& key,
                                                  const std::string& request_hash) {
  const std::string k = side_key(token_id, key);
  {
    std::lock_guard lock(mu_);
    if (!in_flight_.insert(k).second) return {Kind::kInFlight};
  }
  const auto fail = [&](Kind kind) {
    finish(token_id, key);
    return Begin{kind};
  };
  auto stored = registry_.store().side_get(eventstore::kSideRequests, k);
  if (!stored) return fail(Kind::kError);
  if (!stored->has_value()) return {Kind::kNew};
  boost::system::error_code ec;
  json::value record = json::parse(**stored, ec);
  if (ec || !record.is_object()) return {Kind::kNew};
  const auto& r = record.as_object();
  const auto* created = r.if_contains("t");
  if (created == nullptr || !created->is_int64() || clock_() - created->as_int64() > kRetentionUs) {
    return {Kind::kNew};  // expired: the key may be used afresh
  }
  const auto* hash = r.if_contains("h");
  if (hash == nullptr || !hash->is_string() || hash->as_string() != request_hash) {
    return fail(Kind::kMismatch);
  }
  json::value body;
  if (const auto* clear = r.if_contains("c"); clear != nullptr) {
    body = *clear;
  } else {
    auto body_text = registry_.open_secret(kSealSubject, json::value_to<std::string>(r.at("b")));
    if (!body_text || !body_text->has_value()) return fail(Kind::kError);
    body = json::parse(**body_text, ec);
  }
  if (ec || !body.is_object()) return fail(Kind::kError);
  StoredAnswer answer;
  answer.status = static_cast<http::status>(r.at("s").to_number<int>());
  answer.location = json::value_to<std::string>(r.at("l"));
  answer.body = std::move(body.as_object());
  auto version = r.at("v").to_number<std::uint64_t>();
  auto position = r.at("p").to_number<std::uint64_t>();
  const auto last_event = json::value_to<std::string>(r.at("e"));
  if (!last_event.empty()) {
    auto e = registry_.store().read_event(last_event);
    if (!e || !e->has_value()) return fail(Kind::kError);
    version = (*e)->version;
    position = (*e)->position;
  }
  Begin b{Kind::kReplay, command_answer(answer, version, position)};
  b.replay.set("Idempotent-Replayed", "true");
  finish(token_id, key);
  return b;
}

eventstore::SidePut IdempotencyLedger::record_put(const std::string& token_id,
                                                  const std::string& key,
                                                  const std::string& request_hash,
                                                  const StoredAnswer& answer,
                                                  const std::string& last_event_id,
                                                  std::uint64_t version, std::uint64_t position) {
  json::object r;
  r["h"] = request_hash;
  r["s"] = static_cast<int>(answer.status);
  r["l"] = answer.location;
  if (holds_secret(answer.body)) {
    auto sealed = registry_.seal_secret(kSealSubject, json::serialize(answer.body));
    r["b"] = sealed ? *sealed : std::string();
  } else {
    r["c"] = answer.body;
  }
  r["e"] = last_event_id;
  r["v"] = version;
  r["p"] = position;
  r["t"] = clock_();
  return {std::string(eventstore::kSideRequests), side_key(token_id, key), json::serialize(r)};
}

void IdempotencyLedger::record_now(const std::string& token_id, const std::string& key,
                                   const std::string& request_hash, const StoredAnswer& answer,
                                   std::uint64_t version, std::uint64_t position) {
  auto put = record_put(token_id, key, request_hash, answer, {}, version, position);
  (void)registry_.store().side_put(put.table, put.key, put.value);
}

void IdempotencyLedger::finish(const std::string& token_id, const std::string& key) {
  std::lock_guard lock(mu_);
  in_flight_.erase(side_key(token_id, key));
}

}  // namespace ikv::server
