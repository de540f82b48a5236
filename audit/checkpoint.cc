#include "audit/checkpoint.h"

#include <algorithm>

#include <ctime>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "crypto/encoding.h"

namespace ikv::audit {
namespace {

namespace json = boost::json;

Error corrupt(std::string message) { return Error{ErrorCode::kCorruption, std::move(message), {}}; }
Error invalid(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), {}};
}

}  // namespace

bool is_hash_hex(std::string_view s) {
  return s.size() == 64 && std::ranges::all_of(s, [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string checkpoint_message(std::uint64_t position, std::string_view hash,
                               std::string_view signed_at) {
  std::string m = "ikv-checkpoint:v1:" + std::to_string(position) + ":";
  m += hash;
  m += ":";
  m += signed_at;
  return m;
}

std::string format_signed_at(std::int64_t unix_us) {
  auto seconds = static_cast<std::time_t>(unix_us / 1'000'000);
  if (unix_us < 0 && unix_us % 1'000'000 != 0) --seconds;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Checkpoint sign_checkpoint(const crypto::SigningKey& key, std::uint64_t position, std::string hash,
                           std::string signed_at) {
  Checkpoint c;
  c.position = position;
  c.hash = std::move(hash);
  c.signed_at = std::move(signed_at);
  c.key_id = key.key_id();
  c.signature =
      crypto::base64_encode(key.sign(checkpoint_message(c.position, c.hash, c.signed_at)));
  return c;
}

Status verify_checkpoint(const crypto::VerifyingKey& key, const Checkpoint& c) {
  if (!is_hash_hex(c.hash))
    return corrupt("the checkpoint's hash is not 64 lower-case hex characters");
  if (c.position == 0 && c.hash != kZeroHashHex)
    return corrupt("a checkpoint at position 0 must have the zero hash");
  if (c.key_id != key.key_id()) {
    return corrupt("the checkpoint was signed by key " + c.key_id + ", not by the given key " +
                   key.key_id());
  }
  const auto signature = crypto::base64_decode(c.signature);
  if (!signature) return corrupt("the checkpoint's signature is not base64");
  if (!key.verify(checkpoint_message(c.position, c.hash, c.signed_at), *signature)) {
    return corrupt("the checkpoint's signature does not verify with the given public key");
  }
  return ok_status();
}

json::object to_json(const Checkpoint& c) {
  json::object o;
  o["position"] = c.position;
  o["hash"] = c.hash;
  o["signed_at"] = c.signed_at;
  o["key_id"] = c.key_id;
  o["signature"] = c.signature;
  return o;
}

Result<Checkpoint> checkpoint_from_json(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return invalid("the checkpoint is not a JSON object");
  const json::object& o = v.get_object();
  Checkpoint c;
  const json::value* position = o.if_contains("position");
  if (position == nullptr) return invalid("the checkpoint has no position");
  if (position->is_uint64()) {
    c.position = position->get_uint64();
  } else if (position->is_int64() && position->get_int64() >= 0) {
    c.position = static_cast<std::uint64_t>(position->get_int64());
  } else {
    return invalid("the checkpoint's position is not a non-negative integer");
  }
  for (auto [name, field] :
       {std::pair{"hash", &c.hash}, std::pair{"signed_at", &c.signed_at},
        std::pair{"key_id", &c.key_id}, std::pair{"signature", &c.signature}}) {
    const json::value* f = o.if_contains(name);
    if (f == nullptr || !f->is_string())
      return invalid(std::string("the checkpoint has no ") + name);
    *field = std::string(f->get_string());
  }
  return c;
}

}  // namespace ikv::audit
