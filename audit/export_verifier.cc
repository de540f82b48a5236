#include "audit/export_verifier.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"

namespace ikv::audit {
namespace {

namespace json = boost::json;

const json::string* string_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? &v->get_string() : nullptr;
}

std::optional<std::uint64_t> uint_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

}  // namespace

bool ChainVerifier::fail(std::string problem) {
  failure_ = LineFailure{lines_, std::move(problem)};
  return false;
}

bool ChainVerifier::feed(std::string_view line) {
  if (failure_) return false;
  ++lines_;
  boost::system::error_code ec;
  json::value v = json::parse(line, ec);
  if (ec || !v.is_object()) return fail("not a JSON object");
  const json::object& o = v.get_object();
  const auto position = uint_field(o, "position");
  const json::string* prev_hash = string_field(o, "prev_hash");
  const json::string* hash = string_field(o, "hash");
  const json::string* envelope = string_field(o, "envelope");
  if (!position || prev_hash == nullptr || hash == nullptr || envelope == nullptr) {
    return fail("position, prev_hash, hash or envelope is missing");
  }
  const std::uint64_t expected = position_ + 1;
  if (*position != expected) {
    return fail("position " + std::to_string(*position) + " where " + std::to_string(expected) +
                " was due (a line is missing, inserted or out of order)");
  }
  if (!is_hash_hex(*prev_hash) || !is_hash_hex(*hash))
    return fail("a hash is not 64 lower-case hex characters");
  if (*prev_hash != hash_) {
    return fail("prev_hash does not link to the previous " +
                std::string(position_ == 0 ? "(zero) hash" : "line's hash"));
  }
  const auto bytes = crypto::base64_decode(*envelope);
  if (!bytes) return fail("envelope is not padded base64");
  std::uint64_t in_envelope = 0;
  if (bytes->size() < 8) return fail("envelope is too short");
  for (int i = 0; i < 8; ++i)
    in_envelope = (in_envelope << 8) | static_cast<std::uint8_t>((*bytes)[i]);
  if (in_envelope != *position)
    return fail("the envelope holds position " + std::to_string(in_envelope));
  const auto prev_bytes = crypto::hex_decode(*prev_hash);
  const std::string computed = crypto::sha256_hex(*prev_bytes + *bytes);
  if (computed != *hash) return fail("hash does not match SHA-256(prev_hash || envelope)");
  position_ = *position;
  hash_ = std::string(*hash);
  if (checkpoint_ && checkpoint_->position == position_) {
    checkpoint_line_ = lines_;
    if (checkpoint_->hash != hash_)
      return fail("the hash differs from the checkpoint's at its position");
  }
  return true;
}

Status ChainVerifier::finish() const {
  if (failure_) {
    return Error{ErrorCode::kCorruption,
                 "line " + std::to_string(failure_->line) + ": " + failure_->problem,
                 {}};
  }
  if (checkpoint_ && checkpoint_->position > position_) {
    return Error{ErrorCode::kCorruption,
                 "line " + std::to_string(lines_ + 1) + ": the export ends at position " +
                     std::to_string(position_) + ", before the checkpoint's position " +
                     std::to_string(checkpoint_->position),
                 {}};
  }
  if (checkpoint_ && checkpoint_->position == 0 && checkpoint_->hash != kZeroHashHex) {
    return Error{
        ErrorCode::kCorruption, "the checkpoint at position 0 must have the zero hash", {}};
  }
  return ok_status();
}

}  // namespace ikv::audit
