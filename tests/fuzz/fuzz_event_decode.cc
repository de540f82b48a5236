// fuzz_event_decode: the stored forms of events, read back.
//
// Input layout: byte 0 chooses what is read.
//   0x00-0x7f  codec: byte 1 picks the type (index into event_type_names(),
//              modulo their number; 0xff: the type name is the text up to the
//              first '\n' of the rest), byte 2 is the schema version, the rest
//              is the payload: release-1 JSON for versions up to the type's
//              last JSON version (with upcasting, MemberJoined v1 -> v2), a
//              FlatBuffers buffer of codec/events.fbs at its current version
//              (read at an address that is rarely aligned, as fuzzing hands
//              it). codec::decode runs with a FakeVault that holds keys for the
//              seeded subjects ("m-anna", "m-bert").
//   0x80-0xff  event store: the rest is a record (eventstore/record_codec.h)
//              for decode_record, decode_record_into and recompute_hash.
//
// Checks (a failure aborts): a payload that decodes encodes again, and that
// encoding decodes to the same event; a record that decodes encodes to bytes
// that decode to the same envelope, with the hash recompute_hash finds.
//
// With IKV_FUZZ_WRITE_SEEDS=<dir> the target writes its seed inputs (every
// sample event in the binary form and in release 1's JSON, a MemberJoined v1,
// and records of the binary ones) to <dir> and exits.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json.hpp>

#include "codec/event_codec.h"
#include "codec/release1.h"
#include "eventstore/record_codec.h"
#include "tests/codec/fake_vault.h"
#include "tests/codec/sample_events.h"

namespace {

using namespace ikv;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_event_decode: %s\n%.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// A vault holding keys for the seeded subjects; fresh for every input, so
// keys created by one input do not change how the next one decodes.
codec::testing::FakeVault seeded_vault() {
  codec::testing::FakeVault v;
  (void)v.seal("m-anna", "{}");
  (void)v.seal("m-bert", "{}");
  return v;
}

// True when decoding found personal data whose key the vault does not hold:
// the event reads as erased, a fact of the vault at read time that a
// re-encoded payload does not carry (the log itself is never re-encoded).
bool erased_on_read(const domain::Event& e) {
  return std::visit(
      [](const auto& x) {
        if constexpr (requires { x.personal_erased; }) {
          return static_cast<bool>(x.personal_erased);
        } else {
          return false;
        }
      },
      e);
}

void fuzz_codec(std::string_view type, std::uint32_t version, std::string_view payload) {
  auto vault = seeded_vault();
  auto decoded = codec::decode(type, version, payload, vault);
  if (!decoded) return;
  if (erased_on_read(*decoded)) return;
  auto encoded = codec::encode(*decoded, vault);
  if (!encoded) return;  // e.g. personal data of an erased subject is not written again
  if (encoded->type != type) fail("type changed on re-encoding", encoded->type);
  auto again = codec::decode(encoded->type, encoded->schema_version, encoded->payload, vault);
  if (!again) fail("a re-encoded event does not decode", again.error().message);
  if (!(*again == *decoded)) fail("decode(encode(e)) != e", encoded->payload);
}

bool same_envelope(const eventstore::RecordedEvent& a, const eventstore::RecordedEvent& b) {
  return a.position == b.position && a.stream == b.stream && a.version == b.version &&
         a.event_id == b.event_id && a.type == b.type && a.schema_version == b.schema_version &&
         a.payload == b.payload && a.metadata.actor == b.metadata.actor &&
         a.metadata.correlation_id == b.metadata.correlation_id &&
         a.metadata.causation_id == b.metadata.causation_id &&
         a.metadata.idempotency_key == b.metadata.idempotency_key &&
         a.recorded_at_us == b.recorded_at_us && a.prev_hash == b.prev_hash;
}

void fuzz_record(std::string_view bytes) {
  auto decoded = eventstore::decode_record(bytes);
  eventstore::RecordedEvent reused;
  reused.stream = "left over from an earlier record";
  const bool into = eventstore::decode_record_into(bytes, reused);
  const auto hash = eventstore::recompute_hash(bytes);
  if (decoded.has_value() != into) fail("decode_record and decode_record_into disagree", "");
  if (!decoded) return;
  if (!same_envelope(*decoded, reused)) fail("decode_record_into differs from decode_record", "");
  if (!hash) fail("a decodable record has no hash", "");
  eventstore::RecordedEvent copy = *decoded;
  const std::string encoded = eventstore::encode_record(copy);
  if (copy.hash != *hash) fail("encode_record and recompute_hash disagree", "");
  auto again = eventstore::decode_record(encoded);
  if (!again || !same_envelope(*again, *decoded)) fail("a record does not round-trip", "");
  if (again->hash != copy.hash) fail("the re-encoded record's hash is not the computed one", "");
}

void write_seed(const std::filesystem::path& dir, const std::string& name,
                const std::string& bytes) {
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

std::string codec_seed(std::string_view type, std::uint32_t version, std::string_view payload) {
  const auto& names = codec::event_type_names();
  std::size_t index = 0;
  while (index < names.size() && names[index] != type) ++index;
  std::string out{'\0', static_cast<char>(index), static_cast<char>(version)};
  return out.append(payload);
}

void write_seeds(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  int n = 0;
  auto vault = seeded_vault();
  eventstore::RecordedEvent record;
  for (const auto& event : codec::testing::sample_events()) {
    auto enc = codec::encode(event, vault);
    if (!enc) fail("cannot encode a sample event", enc.error().message);
    const std::string tag = std::to_string(n++) + "-" + enc->type;
    write_seed(dir, "codec-" + tag, codec_seed(enc->type, enc->schema_version, enc->payload));
    auto json = codec::encode_release1(event, vault);
    if (!json) fail("cannot write a sample event as release 1 did", json.error().message);
    const std::uint32_t json_version = enc->schema_version - 1;
    if (json_version > 0) {  // types added after release 1 have no JSON form
      write_seed(dir, "codec-" + tag + "-json", codec_seed(enc->type, json_version, *json));
    }
    record.position += 1;
    record.stream = "network-oulu";
    record.version += 1;
    record.event_id = "00000000-0000-4000-8000-" + std::string(12 - std::to_string(n).size(), '0') +
                      std::to_string(n);
    record.type = enc->type;
    record.schema_version = enc->schema_version;
    record.payload = enc->payload;
    record.metadata = {"admin", "req-1", "", n % 2 == 0 ? "key-1" : ""};
    record.recorded_at_us = 1'730'000'000'000'000 + n;
    record.prev_hash = record.hash;
    write_seed(dir, "record-" + tag, std::string(1, '\x80') + eventstore::encode_record(record));
    if (enc->type == "MemberJoined") {
      // The v1 shape: "since" instead of "joined_on", no "title".
      auto v1 = boost::json::parse(*json).as_object();
      v1["since"] = v1["joined_on"];
      v1.erase("joined_on");
      v1.erase("title");
      write_seed(dir, "codec-" + tag + "-v1",
                 codec_seed("MemberJoined", 1, boost::json::serialize(v1)));
    }
  }
  write_seed(dir, "codec-by-name", std::string{'\0', '\xff', '\x01'} + "NoSuchEvent\n{}");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("IKV_FUZZ_WRITE_SEEDS"); dir != nullptr && *dir != '\0') {
    write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (in.empty()) return 0;
  const auto mode = static_cast<std::uint8_t>(in[0]);
  in.remove_prefix(1);
  if (mode & 0x80) {
    fuzz_record(in);
    return 0;
  }
  if (in.size() < 2) return 0;
  const auto pick = static_cast<std::uint8_t>(in[0]);
  const std::uint32_t version = static_cast<std::uint8_t>(in[1]);
  in.remove_prefix(2);
  if (pick == 0xff) {
    const std::size_t nl = in.find('\n');
    const std::string_view type = in.substr(0, nl);
    fuzz_codec(type, version,
               nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1));
    return 0;
  }
  const auto& names = codec::event_type_names();
  fuzz_codec(names[pick % names.size()], version, in);
  return 0;
}
