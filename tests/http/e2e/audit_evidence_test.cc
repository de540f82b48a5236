// Audit evidence an outsider can check (API.md; docs/audit-evidence.md), end
// to end against the real server: the export's lines recompute their hashes
// from the envelope as an outsider would (SHA-256(prev_hash || envelope)),
// every read shows the same hash and prev_hash, personal data stays sealed in
// the envelope and null outside the reader's scope, checkpoints are signed on
// demand and survive a restart, and the ikv-verify binary accepts a good
// export and names the first bad line of tampered ones. The Python example of
// the docs is run against a real export too.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/signing_key.h"
#include "tests/http/e2e/e2e_server.h"

namespace ikv::e2e {
namespace {

namespace json = boost::json;
namespace net = boost::asio;
using tcp = net::ip::tcp;

const std::string kPlantedName = "Aino K9Auditoinen";
const std::string kPlantedEmail = "aino.k9.auditoinen@example.org";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.sub(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct ToolRun {
  int code = -1;
  std::string out;
  std::string err;
};

// Runs `binary args...` to its end, capturing stdout and stderr.
ToolRun run_tool(const TempDir& dir, const std::string& binary, std::vector<std::string> args) {
  ToolRun r;
  auto p = harness::ServerProcess::start({.binary = binary,
                                          .args = std::move(args),
                                          .stderr_path = dir.sub("run.err"),
                                          .stdout_path = dir.sub("run.out")});
  if (!p) {
    ADD_FAILURE() << p.error().message;
    return r;
  }
  auto status = (*p)->wait_for(std::chrono::seconds(60));
  if (!status || !status->exited) {
    ADD_FAILURE() << binary << " did not exit";
    return r;
  }
  r.code = status->code;
  r.out = harness::read_file(dir.sub("run.out"));
  r.err = harness::read_file(dir.sub("run.err"));
  return r;
}

class AuditEvidence : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = E2eServer::start(dir_.sub("data"));
    ASSERT_NE(server_, nullptr);
    ASSERT_EQ(server_->call("POST", "/v1/networks", network_body("kemi")).status, 201u);
    Answer m = server_->call("POST", "/v1/networks/kemi/members",
                             member_body(kPlantedName, kPlantedEmail));
    ASSERT_EQ(m.status, 201u) << m.body;
    auditor_ = issue_token(*server_, "auditor-1", "auditor");
    analyst_ = issue_token(*server_, "analyst-1", "analyst");
  }
  void TearDown() override {
    if (server_) server_->stop();
  }

  std::string export_text(const std::string& query = "", const Auth& auth = {}) {
    Answer a = server_->call("GET", "/v1/audit/export" + query, {}, {}, auth);
    EXPECT_EQ(a.status, 200u) << a.body;
    EXPECT_EQ(a.header("Content-Type"), "application/x-ndjson");
    return a.body;
  }

  TempDir dir_;
  std::unique_ptr<E2eServer> server_;
  std::string auditor_;
  std::string analyst_;
};

TEST_F(AuditEvidence, EveryExportLineRecomputesItsHashFromItsEnvelopeAndLinksToTheLineBefore) {
  const auto lines = lines_of(export_text());
  ASSERT_EQ(static_cast<std::int64_t>(lines.size()), server_->log_position());
  std::string prev(64, '0');
  std::uint64_t position = 0;
  for (const auto& text : lines) {
    const json::object line = json::parse(text).as_object();
    EXPECT_EQ(line.at("position").to_number<std::uint64_t>(), ++position);
    const std::string prev_hash(line.at("prev_hash").as_string());
    const std::string hash(line.at("hash").as_string());
    EXPECT_EQ(prev_hash, prev) << text;
    // hash == SHA-256(bytes.fromhex(prev_hash) + b64decode(envelope))
    const auto envelope = crypto::base64_decode(line.at("envelope").as_string());
    ASSERT_TRUE(envelope.has_value()) << text;
    EXPECT_EQ(crypto::sha256_hex(*crypto::hex_decode(prev_hash) + *envelope), hash) << text;
    EXPECT_TRUE(line.contains("type") && line.contains("payload") && line.contains("stream"))
        << text;
    prev = hash;
  }
  Answer verify = server_->call("GET", "/v1/audit/verify");
  EXPECT_EQ(verify.str("head_hash"), prev);
}

TEST_F(AuditEvidence, EveryReadShowsTheSameHashAndPrevHashAsTheExport) {
  std::map<std::uint64_t, std::pair<std::string, std::string>> chain;
  for (const auto& text : lines_of(export_text())) {
    const json::object line = json::parse(text).as_object();
    chain[line.at("position").to_number<std::uint64_t>()] = {
        std::string(line.at("prev_hash").as_string()), std::string(line.at("hash").as_string())};
  }
  for (const char* target : {"/v1/events?limit=1000", "/v1/streams/network-kemi",
                             "/v1/networks/kemi/history", "/v1/audit"}) {
    Answer a = server_->call("GET", target);
    ASSERT_EQ(a.status, 200u) << target << " " << a.body;
    const auto& items = a.json.at("items").as_array();
    ASSERT_FALSE(items.empty()) << target;
    for (const auto& item : items) {
      const auto& e = item.as_object();
      const auto& [prev_hash, hash] = chain.at(e.at("position").to_number<std::uint64_t>());
      EXPECT_EQ(e.at("prev_hash"), json::value(prev_hash)) << target;
      EXPECT_EQ(e.at("hash"), json::value(hash)) << target;
    }
  }
}

TEST_F(AuditEvidence, TheLiveFeedShowsHashAndPrevHash) {
  // The first message of the feed: the first event, whose prev_hash is zero.
  net::io_context io;
  tcp::socket socket(io);
  net::connect(socket, tcp::resolver(io).resolve("127.0.0.1", std::to_string(server_->port())));
  net::write(
      socket,
      net::buffer("GET /v1/events?after=0 HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n"
                  "Authorization: Bearer " +
                  std::string(kAdminToken) + "\r\n\r\n"));
  std::string text;
  char buf[4096];
  while (text.find("id: 1\n") == std::string::npos ||
         text.find("\n\n", text.find("id: 1\n")) == std::string::npos) {
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(net::buffer(buf), ec);
    if (ec) break;
    text.append(buf, n);
  }
  EXPECT_NE(text.find("\"prev_hash\":\"" + std::string(64, '0') + "\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"hash\":\""), std::string::npos) << text;
}

TEST_F(AuditEvidence, ExportOfARangeIsInclusive) {
  const auto lines = lines_of(export_text("?from=2&to=3"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0]).at("position"), json::value(2));
  EXPECT_EQ(json::parse(lines[1]).at("position"), json::value(3));
  EXPECT_EQ(server_->call("GET", "/v1/audit/export?from=3&to=2").status, 422u);
  EXPECT_EQ(server_->call("GET", "/v1/audit/export?from=0").status, 422u);
  EXPECT_TRUE(lines_of(export_text("?from=100000")).empty());
}

TEST_F(AuditEvidence, ExportKeepsPersonalDataSealedAndNullOutsideTheScope) {
  const std::string as_admin = export_text();
  const std::string as_auditor = export_text("", Auth::bearer(auditor_));
  EXPECT_NE(as_admin.find(kPlantedEmail), std::string::npos) << "positive control";
  EXPECT_EQ(as_auditor.find(kPlantedEmail), std::string::npos);
  EXPECT_EQ(as_auditor.find(kPlantedName), std::string::npos);
  for (const auto& text : lines_of(as_auditor)) {
    const json::object line = json::parse(text).as_object();
    const auto envelope = crypto::base64_decode(line.at("envelope").as_string());
    ASSERT_TRUE(envelope.has_value());
    EXPECT_EQ(envelope->find(kPlantedEmail), std::string::npos)
        << "clear personal data in an envelope";
    EXPECT_EQ(envelope->find(kPlantedName), std::string::npos)
        << "clear personal data in an envelope";
    if (line.at("type") == json::value("MemberJoined")) {
      EXPECT_TRUE(line.at("payload").at("name").is_null()) << text;
    }
  }
  // The same envelopes for every reader: only the readable fields differ.
  const auto a = lines_of(as_admin);
  const auto b = lines_of(as_auditor);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(json::parse(a[i]).at("envelope"), json::parse(b[i]).at("envelope"));
  }
}

TEST_F(AuditEvidence, ExportAndCheckpointsAreForAuditorsAndAdminsAndTheKeyIsPublic) {
  EXPECT_EQ(server_->call("GET", "/v1/audit/export", {}, {}, Auth::bearer(analyst_)).status, 403u);
  EXPECT_EQ(server_->call("GET", "/v1/audit/export", {}, {}, Auth::none()).status, 401u);
  EXPECT_EQ(server_->call("POST", "/v1/audit/checkpoints", {}, {}, Auth::bearer(analyst_)).status,
            403u);
  EXPECT_EQ(
      server_->call("GET", "/v1/audit/checkpoints/latest", {}, {}, Auth::bearer(analyst_)).status,
      403u);
  EXPECT_EQ(
      server_->call("GET", "/v1/audit/checkpoints/latest", {}, {}, Auth::bearer(auditor_)).status,
      200u);
  Answer key = server_->call("GET", "/v1/audit/public-key", {}, {}, Auth::none());
  EXPECT_EQ(key.status, 200u);
  EXPECT_EQ(key.header("Content-Type"), "application/x-pem-file");
  EXPECT_TRUE(key.body.starts_with("-----BEGIN PUBLIC KEY-----")) << key.body;
}

TEST_F(AuditEvidence, ACheckpointSignedOnDemandCoversTheHeadAndVerifiesWithThePublicKey) {
  Answer signed_now =
      server_->call("POST", "/v1/audit/checkpoints", {}, {}, Auth::bearer(auditor_));
  ASSERT_EQ(signed_now.status, 200u) << signed_now.body;
  EXPECT_EQ(signed_now.num("position"), server_->log_position());
  EXPECT_EQ(signed_now.str("hash"), server_->call("GET", "/v1/audit/verify").str("head_hash"));
  Answer latest = server_->call("GET", "/v1/audit/checkpoints/latest");
  EXPECT_EQ(latest.json, signed_now.json);

  auto key = crypto::VerifyingKey::from_pem(server_->call("GET", "/v1/audit/public-key").body);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(signed_now.str("key_id"), key->key_id());
  const std::string message = "ikv-checkpoint:v1:" + std::to_string(signed_now.num("position")) +
                              ":" + signed_now.str("hash") + ":" + signed_now.str("signed_at");
  EXPECT_TRUE(key->verify(message, *crypto::base64_decode(signed_now.str("signature"))));
}

TEST_F(AuditEvidence, ARetryWithTheSameIdempotencyKeyAnswersTheSameCheckpoint) {
  const Headers key{{"Idempotency-Key", "checkpoint-retry-1"}};
  Answer first = server_->call("POST", "/v1/audit/checkpoints", {}, key);
  ASSERT_EQ(first.status, 200u) << first.body;
  ASSERT_EQ(server_->call("POST", "/v1/networks", network_body("raahe")).status, 201u);
  Answer again = server_->call("POST", "/v1/audit/checkpoints", {}, key);
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  for (const char* f : {"position", "hash", "signed_at", "key_id", "signature"}) {
    EXPECT_EQ(again.json.at(f), first.json.at(f)) << f;
  }
  EXPECT_EQ(server_->call("POST", "/v1/audit/checkpoints", {}, {{"Idempotency-Key", "with space"}})
                .status,
            400u);
}

TEST_F(AuditEvidence, TheCheckpointAndTheKeySurviveARestart) {
  Answer before = server_->call("POST", "/v1/audit/checkpoints");
  ASSERT_EQ(before.status, 200u);
  const std::string pem = server_->call("GET", "/v1/audit/public-key").body;
  ASSERT_EQ(server_->stop().code, 0);
  struct stat st {};
  ASSERT_EQ(::stat(dir_.sub("data/audit-signing.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  server_ = E2eServer::start(dir_.sub("data"));
  ASSERT_NE(server_, nullptr);
  EXPECT_EQ(server_->call("GET", "/v1/audit/public-key").body, pem);
  EXPECT_EQ(server_->call("GET", "/v1/audit/checkpoints/latest").json, before.json);
}

class AuditVerifyTool : public AuditEvidence {
 protected:
  void SetUp() override {
    AuditEvidence::SetUp();
    ASSERT_EQ(server_->call("POST", "/v1/networks", network_body("tornio")).status, 201u);
    Answer c = server_->call("POST", "/v1/audit/checkpoints");
    ASSERT_EQ(c.status, 200u);
    checkpoint_ = write_file(dir_, "checkpoint.json", c.body);
    key_ = write_file(dir_, "public.pem", server_->call("GET", "/v1/audit/public-key").body);
    lines_ = lines_of(export_text("", Auth::bearer(auditor_)));
    ASSERT_GE(lines_.size(), 4u);
  }
  ToolRun verify(const std::vector<std::string>& lines, const std::string& checkpoint = "") {
    std::string text;
    for (const auto& l : lines) text += l + "\n";
    const std::string path = write_file(dir_, "export.ndjson", text);
    return run_tool(dir_, IKV_VERIFY_BINARY,
                    {path, "--checkpoint", checkpoint.empty() ? checkpoint_ : checkpoint,
                     "--public-key", key_});
  }
  void expect_refused_at(const std::vector<std::string>& lines, int line) {
    const ToolRun r = verify(lines);
    EXPECT_EQ(r.code, 1) << r.err;
    EXPECT_NE(r.err.find("line " + std::to_string(line) + ":"), std::string::npos) << r.err;
  }

  std::string checkpoint_;
  std::string key_;
  std::vector<std::string> lines_;
};

TEST_F(AuditVerifyTool, AcceptsAGoodExport) {
  const ToolRun r = verify(lines_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("ok: " + std::to_string(lines_.size()) + " lines"), std::string::npos)
      << r.out;
}

TEST_F(AuditVerifyTool, NamesAFlippedEnvelopeByte) {
  auto lines = lines_;
  json::object o = json::parse(lines[2]).as_object();
  std::string bytes = *crypto::base64_decode(o["envelope"].as_string());
  bytes[20] = static_cast<char>(bytes[20] ^ 0x01);
  o["envelope"] = crypto::base64_encode(bytes);
  lines[2] = json::serialize(o);
  expect_refused_at(lines, 3);
}

TEST_F(AuditVerifyTool, NamesADeletedReorderedOrInsertedLine) {
  auto deleted = lines_;
  deleted.erase(deleted.begin() + 1);
  expect_refused_at(deleted, 2);
  auto reordered = lines_;
  std::swap(reordered[1], reordered[2]);
  expect_refused_at(reordered, 2);
  auto inserted = lines_;
  inserted.insert(inserted.begin() + 3, lines_[1]);
  expect_refused_at(inserted, 4);
}

TEST_F(AuditVerifyTool, RefusesAnExportShorterThanTheCheckpoint) {
  const std::vector<std::string> cut(lines_.begin(), lines_.end() - 1);
  const ToolRun r = verify(cut);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("line " + std::to_string(lines_.size()) + ":"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("before the checkpoint"), std::string::npos) << r.err;
}

TEST_F(AuditVerifyTool, RefusesAWrongSignature) {
  json::object c = json::parse(harness::read_file(checkpoint_)).as_object();
  std::string sig = *crypto::base64_decode(c["signature"].as_string());
  sig[0] = static_cast<char>(sig[0] ^ 0x01);
  c["signature"] = crypto::base64_encode(sig);
  const ToolRun r = verify(lines_, write_file(dir_, "bad-checkpoint.json", json::serialize(c)));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("signature does not verify"), std::string::npos) << r.err;
}

TEST_F(AuditVerifyTool, ThePythonOfTheDocsRecomputesTheChainOfARealExport) {
  const std::string python = "/usr/bin/python3";
  struct stat st {};
  if (::stat(python.c_str(), &st) != 0) GTEST_SKIP() << "no " << python;
  const std::string doc = harness::read_file(std::string(IKV_DOCS_DIR) + "/audit-evidence.md");
  const auto begin = doc.find("```python\nimport base64, hashlib");
  ASSERT_NE(begin, std::string::npos) << "docs/audit-evidence.md has no Python example";
  const auto body = begin + std::string("```python\n").size();
  const std::string script =
      write_file(dir_, "chain.py", doc.substr(body, doc.find("```", body) - body));
  std::string text;
  for (const auto& l : lines_) text += l + "\n";
  const ToolRun good = run_tool(dir_, python, {script, write_file(dir_, "export.ndjson", text)});
  EXPECT_EQ(good.code, 0) << good.err;
  EXPECT_NE(good.out.find("ok: " + std::to_string(lines_.size()) + " events"), std::string::npos)
      << good.out;
  auto lines = lines_;
  std::swap(lines[1], lines[2]);
  text.clear();
  for (const auto& l : lines) text += l + "\n";
  const ToolRun bad = run_tool(dir_, python, {script, write_file(dir_, "export.ndjson", text)});
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("line 2:"), std::string::npos) << bad.err;
}

TEST_F(AuditVerifyTool, TheOpensslWayOfTheDocsChecksTheSignedCheckpoint) {
  struct stat st {};
  for (const char* tool : {"/usr/bin/python3", "/usr/bin/openssl", "/bin/bash"}) {
    if (::stat(tool, &st) != 0) GTEST_SKIP() << "no " << tool;
  }
  const std::string doc = harness::read_file(std::string(IKV_DOCS_DIR) + "/audit-evidence.md");
  const auto chain = doc.find("```python\nimport base64, hashlib");
  const auto shell = doc.find("```sh\npython3 chain.py export.ndjson");
  ASSERT_NE(chain, std::string::npos) << "docs/audit-evidence.md has no chain check";
  ASSERT_NE(shell, std::string::npos) << "docs/audit-evidence.md has no openssl check";
  const auto block = [&doc](std::size_t at) {
    const auto body = doc.find('\n', at) + 1;
    return doc.substr(body, doc.find("```", body) - body);
  };
  write_file(dir_, "chain.py", block(chain));
  std::string text;
  for (const auto& l : lines_) text += l + "\n";
  write_file(dir_, "export.ndjson", text);
  // Each command must succeed, as the docs say.
  const std::string script = "set -e; cd '" + dir_.sub("") + "'\n" + block(shell);
  const ToolRun good = run_tool(dir_, "/bin/bash", {"-c", script});
  EXPECT_EQ(good.code, 0) << good.out << good.err;
  EXPECT_NE(good.out.find("Signature Verified Successfully"), std::string::npos) << good.out;
  // A forged checkpoint (one bit of the signature changed) fails at openssl;
  // an export line altered at the checkpoint's position fails the chain check.
  const std::string original = harness::read_file(checkpoint_);
  json::object c = json::parse(original).as_object();
  std::string sig = *crypto::base64_decode(c["signature"].as_string());
  sig[5] = static_cast<char>(sig[5] ^ 0x20);
  c["signature"] = crypto::base64_encode(sig);
  write_file(dir_, "checkpoint.json", json::serialize(c));
  const ToolRun forged = run_tool(dir_, "/bin/bash", {"-c", script});
  EXPECT_NE(forged.code, 0) << forged.out;
  EXPECT_EQ(forged.out.find("Signature Verified Successfully"), std::string::npos) << forged.out;
  write_file(dir_, "checkpoint.json", original);
  auto lines = lines_;
  std::swap(lines[1], lines[2]);
  text.clear();
  for (const auto& l : lines) text += l + "\n";
  write_file(dir_, "export.ndjson", text);
  const ToolRun reordered = run_tool(dir_, "/bin/bash", {"-c", script});
  EXPECT_NE(reordered.code, 0) << reordered.out;
  EXPECT_NE(reordered.err.find("line 2:"), std::string::npos) << reordered.err;
}

TEST(AuditEvidenceOfOldLogs, TheExportOfARelease1LogVerifiesToItsHeadWithIkvVerify) {
  // Release 1 wrote another key layout; its records' envelopes must still be
  // the bytes its hashes cover (tests/fixtures/release1/README.md).
  TempDir dir;
  copy_tree(std::string(IKV_FIXTURES_DIR) + "/release1/data", dir.sub("data"));
  std::filesystem::permissions(
      dir.sub("data/master.key"),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace);
  auto server = E2eServer::start(dir.sub("data"));
  ASSERT_NE(server, nullptr);
  Answer exported = server->call("GET", "/v1/audit/export");
  ASSERT_EQ(exported.status, 200u);
  Answer checkpoint = server->call("GET", "/v1/audit/checkpoints/latest");
  ASSERT_EQ(checkpoint.status, 200u);
  EXPECT_EQ(checkpoint.num("position"), 115);
  EXPECT_EQ(checkpoint.str("hash"),
            "2308277168c4448b2f7b07dbd1c6bb0f971a6b02a5d85c66cc44be88be1b73f7");
  const ToolRun r =
      run_tool(dir, IKV_VERIFY_BINARY,
               {write_file(dir, "export.ndjson", exported.body), "--checkpoint",
                write_file(dir, "checkpoint.json", checkpoint.body), "--public-key",
                write_file(dir, "public.pem", server->call("GET", "/v1/audit/public-key").body)});
  EXPECT_EQ(r.code, 0) << r.err;
  server->stop();
}

}  // namespace
}  // namespace ikv::e2e
