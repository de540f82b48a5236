// ChainVerifier: checks an audit export (GET /v1/audit/export, NDJSON; grammar
// in docs/audit-evidence.md) line by line, offline, and whether it reaches a
// signed checkpoint. The engine of the ikv-verify tool.
//
// A line is good when it is a JSON object whose
//   position  is 1 on the first line and the previous line's + 1 after it;
//   prev_hash is 64 zero hex on the first line and the previous line's hash after it;
//   envelope  is padded base64 of bytes whose first 8 (big-endian) are `position`;
//   hash      == hex(SHA-256(bytes.fromhex(prev_hash) || b64decode(envelope))).
// So a flipped byte, a deleted, inserted or reordered line each stop the check
// at a line number. The export must start at position 1: a chain that starts
// later has no anchor an outsider can check.
//
// Thread-safety: one verifier per thread.
//
//   ChainVerifier v;
//   while (std::getline(in, line)) if (!v.feed(line)) break;
//   if (v.ok()) ok = v.reaches(checkpoint).ok();
//   else std::cerr << "line " << v.failure()->line << ": " << v.failure()->problem;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit/checkpoint.h"
#include "common/result.h"

namespace ikv::audit {

struct LineFailure {
  std::uint64_t line = 0;  // 1-based line number of the export
  std::string problem;
};

class ChainVerifier {
 public:
  // Checks the next line (without its '\n'). Returns false, and records the
  // failure, at the first bad line; after that every call returns false.
  bool feed(std::string_view line);

  bool ok() const { return !failure_; }
  const std::optional<LineFailure>& failure() const { return failure_; }
  std::uint64_t lines() const { return lines_; }
  // Position and hash of the last good line (0 and the zero hash before any).
  std::uint64_t last_position() const { return position_; }
  const std::string& last_hash() const { return hash_; }
  // Line number at which the checkpoint's position was seen (0: not yet).
  std::uint64_t checkpoint_line() const { return checkpoint_line_; }

  // Watches for `c`'s position while lines are fed: the line at that position
  // must carry c.hash. Call before the first feed().
  void expect_checkpoint(const Checkpoint& c) { checkpoint_ = c; }

  // After the last line: Ok when every line was good and the chain reached the
  // checkpoint's position with its hash. Errors (kCorruption) say why.
  Status finish() const;

 private:
  bool fail(std::string problem);

  std::optional<Checkpoint> checkpoint_;
  std::uint64_t checkpoint_line_ = 0;
  std::uint64_t lines_ = 0;
  std::uint64_t position_ = 0;
  std::string hash_ = kZeroHashHex;
  std::optional<LineFailure> failure_;
};

}  // namespace ikv::audit
