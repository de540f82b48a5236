#include "eventstore/record_codec.h"

#include <openssl/evp.h>

#include <cstring>
#include <memory>
#include <stdexcept>

namespace ikv::eventstore {
namespace {

void put_be32(std::string& out, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

std::uint32_t get_be32(std::string_view in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[i]);
  return v;
}

void put_lp(std::string& out, std::string_view s) {
  put_be32(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// A cursor over record bytes that fails softly on truncation.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool u64(std::uint64_t& v) {
    if (in_.size() < 8) return false;
    v = get_be64(in_);
    in_.remove_prefix(8);
    return true;
  }
  bool u32(std::uint32_t& v) {
    if (in_.size() < 4) return false;
    v = get_be32(in_);
    in_.remove_prefix(4);
    return true;
  }
  bool lp(std::string& s) {
    std::uint32_t n = 0;
    if (!u32(n) || in_.size() < n) return false;
    s.assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }
  bool empty() const { return in_.empty(); }

 private:
  std::string_view in_;
};

// SHA-256 of a || b with the algorithm fetched once and one context per thread.
Hash sha256_of(std::string_view a, std::string_view b) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  if (md == nullptr || ctx == nullptr) throw std::bad_alloc();
  Hash out{};
  unsigned int len = 0;
  const bool ok = EVP_DigestInit_ex(ctx.get(), md, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx.get(), a.data(), a.size()) == 1 &&
                  EVP_DigestUpdate(ctx.get(), b.data(), b.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1;
  if (!ok) throw std::runtime_error("SHA-256 failed");
  return out;
}

constexpr std::size_t kHashSize = 32;

}  // namespace

void put_be64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

std::uint64_t get_be64(std::string_view in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[i]);
  return v;
}

std::string be64(std::uint64_t v) {
  std::string s;
  s.reserve(8);
  put_be64(s, v);
  return s;
}

namespace {

std::size_t body_size(const RecordedEvent& e) {
  return 64 + e.stream.size() + e.event_id.size() + e.type.size() + e.metadata.actor.size() +
         e.metadata.correlation_id.size() + e.metadata.causation_id.size() +
         e.metadata.idempotency_key.size() + e.payload.size();
}

void put_body(std::string& out, const RecordedEvent& e) {
  put_be64(out, e.position);
  put_be64(out, e.version);
  put_be64(out, static_cast<std::uint64_t>(e.recorded_at_us));
  put_be32(out, e.schema_version);
  put_lp(out, e.stream);
  put_lp(out, e.event_id);
  put_lp(out, e.type);
  put_lp(out, e.metadata.actor);
  put_lp(out, e.metadata.correlation_id);
  put_lp(out, e.metadata.causation_id);
  put_lp(out, e.metadata.idempotency_key);
  put_lp(out, e.payload);
}

}  // namespace

std::string encode_record(RecordedEvent& e) {
  std::string out;
  out.reserve(2 * kHashSize + body_size(e));
  out.append(reinterpret_cast<const char*>(e.prev_hash.data()), kHashSize);
  put_body(out, e);
  std::string_view body(out.data() + kHashSize, out.size() - kHashSize);
  e.hash = sha256_of(std::string_view(out.data(), kHashSize), body);
  out.append(reinterpret_cast<const char*>(e.hash.data()), kHashSize);
  return out;
}

std::string encode_envelope(const RecordedEvent& e) {
  std::string out;
  out.reserve(body_size(e));
  put_body(out, e);
  return out;
}

bool decode_record_into(std::string_view bytes, RecordedEvent& e) {
  if (bytes.size() < 2 * kHashSize) return false;
  std::memcpy(e.prev_hash.data(), bytes.data(), kHashSize);
  std::memcpy(e.hash.data(), bytes.data() + bytes.size() - kHashSize, kHashSize);
  Reader r(bytes.substr(kHashSize, bytes.size() - 2 * kHashSize));
  std::uint64_t recorded = 0;
  if (!r.u64(e.position) || !r.u64(e.version) || !r.u64(recorded) || !r.u32(e.schema_version) ||
      !r.lp(e.stream) || !r.lp(e.event_id) || !r.lp(e.type) || !r.lp(e.metadata.actor) ||
      !r.lp(e.metadata.correlation_id) || !r.lp(e.metadata.causation_id) ||
      !r.lp(e.metadata.idempotency_key) || !r.lp(e.payload) || !r.empty()) {
    return false;
  }
  e.recorded_at_us = static_cast<std::int64_t>(recorded);
  return true;
}

std::optional<RecordedEvent> decode_record(std::string_view bytes) {
  RecordedEvent e;
  if (!decode_record_into(bytes, e)) return std::nullopt;
  return e;
}

std::optional<Hash> recompute_hash(std::string_view bytes) {
  if (bytes.size() < 2 * kHashSize) return std::nullopt;
  return sha256_of(bytes.substr(0, kHashSize),
                   bytes.substr(kHashSize, bytes.size() - 2 * kHashSize));
}

bool same_content(const RecordedEvent& stored, const EventData& proposed) {
  return stored.event_id == proposed.event_id && stored.type == proposed.type &&
         stored.schema_version == proposed.schema_version && stored.payload == proposed.payload;
}

std::string stream_key(std::string_view stream, std::uint64_t version) {
  std::string k;
  k.reserve(stream.size() + 9);
  k.append(stream);
  k.push_back('\0');
  put_be64(k, version);
  return k;
}

Hash sha256(std::string_view bytes) { return sha256_of(bytes, {}); }

}  // namespace ikv::eventstore
