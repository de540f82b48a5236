// AuditCheckpoints: the server's Ed25519 signing key and its signed
// checkpoints of the hash chain (audit/checkpoint.h), kept durably outside the
// event log.
//
// The key lives in <data_dir>/audit-signing.key (crypto/signing_key.h),
// created on first open; an in-memory registry (no data directory) gets a key
// that lives as long as the object. The latest checkpoint is stored as its
// JSON in the store's `meta` side table (key "audit/checkpoint", one synced
// put), so it survives a restart and never enters the log.
//
// Before signing position p the chain from the previous checkpoint to p is
// verified (EventStore::verify): a log that does not verify is never signed.
// A background thread signs at least every `every_events` positions (at
// exactly previous + every_events, so checkpoints are never further apart)
// and, when there are new events, every `every_interval`.
//
// Thread-safety: all methods are thread-safe; signing is serialised.
// close() (or the destructor) must run before the store closes.
//
//   auto cps = AuditCheckpoints::open(registry.store(), registry.data_dir(), {});
//   auto c = (*cps)->sign_now();          // on demand, at the head
//   std::string pem = (*cps)->public_key_pem();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "audit/checkpoint.h"
#include "common/result.h"
#include "eventstore/event_store.h"

namespace ikv::app {

struct AuditCheckpointOptions {
  // A checkpoint is signed at least every this many log positions.
  std::uint64_t every_events = 10'000;
  // ... and after this long when the log has grown since the last one.
  std::chrono::milliseconds every_interval = std::chrono::minutes(10);
  // How often the background thread looks at the log's head.
  std::chrono::milliseconds tick = std::chrono::seconds(1);
  // Run the background thread at all (false: only on demand).
  bool background = true;
  // signed_at's clock (UTC microseconds); default: the system clock.
  std::function<std::int64_t()> clock;
  // Told about a background signing that failed; never given secrets.
  std::function<void(const std::string&)> on_warning;
};

class AuditCheckpoints {
 public:
  // Loads or creates the key, loads the latest checkpoint, starts the thread.
  // A stored checkpoint that does not parse or that the key did not sign is
  // set aside (on_warning). Errors: the key file's
  // (crypto::load_or_create_signing_key); the store's.
  static Result<std::unique_ptr<AuditCheckpoints>> open(eventstore::EventStore& store,
                                                        const std::string& data_dir,
                                                        AuditCheckpointOptions options = {});
  ~AuditCheckpoints();
  AuditCheckpoints(const AuditCheckpoints&) = delete;
  AuditCheckpoints& operator=(const AuditCheckpoints&) = delete;

  // Signs and stores a checkpoint at the log's head (position 0 and the zero
  // hash for an empty log). Errors: kCorruption when the chain since the last
  // checkpoint does not verify; the store's errors.
  Result<audit::Checkpoint> sign_now();
  // The latest checkpoint; when none was ever signed, signs the first one now.
  Result<audit::Checkpoint> latest();
  // The latest checkpoint signed, if any; signs nothing.
  std::optional<audit::Checkpoint> peek() const;
  // The public key as PEM, and its id.
  std::string public_key_pem() const;
  const std::string& key_id() const;

  // Stops the background thread. Idempotent.
  void close();

 private:
  struct Impl;
  explicit AuditCheckpoints(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ikv::app
