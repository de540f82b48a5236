// The export verifier (ikv-verify's engine) against tampered exports: every
// kind of tampering stops it at the first bad line, by number; an intact
// export reaches its checkpoint. The export lines are made as the server makes
// them: the record codec's envelope and hash, base64 and hex.
#include "audit/export_verifier.h"

#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "eventstore/record_codec.h"

namespace ikv::audit {
namespace {

namespace json = boost::json;

// An export of `n` chained events, one line each.
std::vector<std::string> export_of(int n) {
  std::vector<std::string> lines;
  eventstore::Hash prev{};
  for (int i = 1; i <= n; ++i) {
    eventstore::RecordedEvent e;
    e.position = static_cast<std::uint64_t>(i);
    e.stream = "network-oulu";
    e.version = e.position;
    e.event_id = "00000000-0000-4000-8000-" + std::string(11, '0') + std::to_string(i % 10);
    e.type = "MemberJoined";
    e.payload = std::string("\x01\x02sealed", 8);
    e.metadata.actor = "admin";
    e.recorded_at_us = 1'715'767'200'000'000 + i;
    e.prev_hash = prev;
    (void)eventstore::encode_record(e);
    prev = e.hash;
    json::object o;
    o["position"] = e.position;
    o["prev_hash"] = crypto::hex_encode(e.prev_hash);
    o["hash"] = crypto::hex_encode(e.hash);
    o["envelope"] = crypto::base64_encode(eventstore::encode_envelope(e));
    o["type"] = e.type;
    lines.push_back(json::serialize(o));
  }
  return lines;
}

Checkpoint checkpoint_at(const std::vector<std::string>& lines, std::uint64_t position) {
  Checkpoint c;
  c.position = position;
  c.hash = position == 0 ? kZeroHashHex
                         : std::string(json::parse(lines[position - 1]).at("hash").as_string());
  return c;
}

// The verifier's verdict over `lines` against a checkpoint at `position`.
Status verify(const std::vector<std::string>& lines, const Checkpoint& c) {
  ChainVerifier v;
  v.expect_checkpoint(c);
  for (const auto& l : lines) {
    if (!v.feed(l)) break;
  }
  return v.finish();
}

std::string field(const std::string& line, const char* key) {
  return std::string(json::parse(line).at(key).as_string());
}

std::string with_field(const std::string& line, const char* key, std::string value) {
  json::object o = json::parse(line).as_object();
  o[key] = std::move(value);
  return json::serialize(o);
}

void expect_bad_line(const Status& s, int line) {
  ASSERT_FALSE(s.ok()) << "the tampered export verified";
  EXPECT_TRUE(s.error().message.starts_with("line " + std::to_string(line) + ":"))
      << s.error().message;
}

TEST(ChainVerifier, IntactExportReachesItsCheckpoint) {
  const auto lines = export_of(5);
  EXPECT_TRUE(verify(lines, checkpoint_at(lines, 5)).ok());
  EXPECT_TRUE(verify(lines, checkpoint_at(lines, 3)).ok());  // lines past the checkpoint are fine
  EXPECT_TRUE(verify({}, checkpoint_at(lines, 0)).ok());
}

TEST(ChainVerifier, FlippedEnvelopeByteNamesItsLine) {
  auto lines = export_of(5);
  std::string bytes = *crypto::base64_decode(field(lines[2], "envelope"));
  bytes[bytes.size() - 1] = static_cast<char>(bytes.back() ^ 0x01);
  lines[2] = with_field(lines[2], "envelope", crypto::base64_encode(bytes));
  expect_bad_line(verify(lines, checkpoint_at(export_of(5), 5)), 3);
}

TEST(ChainVerifier, FlippedHashNamesItsLine) {
  auto lines = export_of(5);
  std::string hash = field(lines[1], "hash");
  hash[5] = hash[5] == '0' ? '1' : '0';
  lines[1] = with_field(lines[1], "hash", hash);
  expect_bad_line(verify(lines, checkpoint_at(export_of(5), 5)), 2);
}

TEST(ChainVerifier, DeletedLineNamesTheLineThatTookItsPlace) {
  auto lines = export_of(5);
  lines.erase(lines.begin() + 1);
  expect_bad_line(verify(lines, checkpoint_at(export_of(5), 5)), 2);
}

TEST(ChainVerifier, DeletedFirstLineIsNoticed) {
  auto lines = export_of(3);
  lines.erase(lines.begin());
  expect_bad_line(verify(lines, checkpoint_at(export_of(3), 3)), 1);
}

TEST(ChainVerifier, ReorderedLinesNameTheFirstOutOfPlace) {
  auto lines = export_of(5);
  std::swap(lines[2], lines[3]);
  expect_bad_line(verify(lines, checkpoint_at(export_of(5), 5)), 3);
}

TEST(ChainVerifier, InsertedLineIsNamed) {
  auto lines = export_of(5);
  lines.insert(lines.begin() + 4, lines[3]);
  expect_bad_line(verify(lines, checkpoint_at(export_of(5), 5)), 5);
}

TEST(ChainVerifier, RenumberedLineWithItsOwnEnvelopeIsNamed) {
  // Moving an event to another position needs a new envelope: its position is inside.
  auto lines = export_of(3);
  json::object o = json::parse(lines[1]).as_object();
  o["position"] = 7;
  lines[1] = json::serialize(o);
  expect_bad_line(verify(lines, checkpoint_at(export_of(3), 3)), 2);
}

TEST(ChainVerifier, ExportShorterThanTheCheckpointIsRefused) {
  const auto full = export_of(5);
  const std::vector<std::string> cut(full.begin(), full.begin() + 3);
  const Status s = verify(cut, checkpoint_at(full, 5));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("before the checkpoint's position 5"), std::string::npos)
      << s.error().message;
}

TEST(ChainVerifier, ChainOtherThanTheCheckpointsIsNamedAtItsPosition) {
  // A whole log rewritten consistently from line 2 on: the chain is intact but
  // not the one that was signed.
  const auto signed_log = export_of(4);
  Checkpoint c = checkpoint_at(signed_log, 4);
  c.hash[0] = c.hash[0] == 'a' ? 'b' : 'a';
  expect_bad_line(verify(signed_log, c), 4);
}

TEST(ChainVerifier, LineThatIsNotJsonIsNamed) {
  auto lines = export_of(3);
  lines[1] = "{\"position\": 2,";
  expect_bad_line(verify(lines, checkpoint_at(export_of(3), 3)), 2);
}

}  // namespace
}  // namespace ikv::audit
