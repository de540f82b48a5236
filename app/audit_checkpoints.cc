#include "app/audit_checkpoints.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/json/serialize.hpp>

#include "crypto/encoding.h"
#include "crypto/signing_key.h"

namespace ikv::app {
namespace {

constexpr std::string_view kCheckpointKey = "audit/checkpoint";

Error corrupt(std::string message) { return Error{ErrorCode::kCorruption, std::move(message), {}}; }

}  // namespace

struct AuditCheckpoints::Impl {
  Impl(eventstore::EventStore& s, crypto::SigningKey k, AuditCheckpointOptions o)
      : store(s), key(std::move(k)), options(std::move(o)) {}

  // Constant after construction.
  eventstore::EventStore& store;
  const crypto::SigningKey key;
  const AuditCheckpointOptions options;

  // Serialises signing; guards `latest`.
  std::mutex sign_mu;
  std::optional<audit::Checkpoint> latest;
  std::chrono::steady_clock::time_point latest_at = std::chrono::steady_clock::now();

  // Guards `stopping`; the thread rests on `cv`.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread thread;

  std::int64_t now_us() const {
    return options.clock ? options.clock() : eventstore::system_clock_us();
  }

  // Signs `position` (<= head). REQUIRES: sign_mu held.
  Result<audit::Checkpoint> sign_at_locked(std::uint64_t position) {
    std::string hash = audit::kZeroHashHex;
    if (position > 0) {
      std::uint64_t from = 1;
      if (latest && latest->position > 0 && latest->position <= position) {
        // The previous checkpoint's event must still carry the hash signed then.
        auto before = store.read_all({.after = latest->position - 1, .limit = 1});
        if (!before) return before.error();
        if (before->empty() || crypto::hex_encode(before->front().hash) != latest->hash) {
          return corrupt("the event of the previous checkpoint (position " +
                         std::to_string(latest->position) + ") no longer has its signed hash");
        }
        from = latest->position + 1;
        hash = latest->hash;
      }
      if (from <= position) {
        auto verified = store.verify(from, position);
        if (!verified) return verified.error();
        if (!verified->ok || verified->head_position != position) {
          return corrupt("the hash chain does not verify at position " +
                         std::to_string(verified->first_bad_position.value_or(0)) + ": " +
                         verified->problem);
        }
        hash = crypto::hex_encode(verified->head_hash);
      }
    }
    audit::Checkpoint c =
        audit::sign_checkpoint(key, position, std::move(hash), audit::format_signed_at(now_us()));
    if (Status s = store.side_put(eventstore::kSideMeta, kCheckpointKey,
                                  boost::json::serialize(audit::to_json(c)));
        !s) {
      return s.error();
    }
    latest = c;
    latest_at = std::chrono::steady_clock::now();
    return c;
  }

  // One look at the head: signs what is due. Returns true when it signed and
  // more may be due at once.
  bool round() {
    std::lock_guard lock(sign_mu);
    const std::uint64_t head = store.head_position();
    const std::uint64_t signed_pos = latest ? latest->position : 0;
    std::optional<std::uint64_t> due;
    if (head >= signed_pos + options.every_events) {
      due = signed_pos + options.every_events;
    } else if (head > signed_pos &&
               std::chrono::steady_clock::now() - latest_at >= options.every_interval) {
      due = head;
    }
    if (!due) return false;
    auto c = sign_at_locked(*due);
    if (!c) {
      if (options.on_warning) options.on_warning("audit checkpoint: " + c.error().message);
      return false;
    }
    return true;
  }

  void run() {
    std::unique_lock lock(mu);
    while (!stopping) {
      cv.wait_for(lock, options.tick, [&] { return stopping; });
      if (stopping) return;
      lock.unlock();
      while (round()) {
        std::lock_guard check(mu);
        if (stopping) break;
      }
      lock.lock();
    }
  }
};

Result<std::unique_ptr<AuditCheckpoints>> AuditCheckpoints::open(eventstore::EventStore& store,
                                                                 const std::string& data_dir,
                                                                 AuditCheckpointOptions options) {
  std::optional<crypto::SigningKey> key;
  if (data_dir.empty()) {
    key = crypto::SigningKey::generate();
  } else {
    auto loaded = crypto::load_or_create_signing_key(std::filesystem::path(data_dir) /
                                                     crypto::kSigningKeyFileName);
    if (!loaded) return loaded.error();
    key = std::move(*loaded);
  }
  auto impl = std::make_unique<Impl>(store, std::move(*key), std::move(options));
  auto stored = store.side_get(eventstore::kSideMeta, kCheckpointKey);
  if (!stored) return stored.error();
  if (*stored) {
    // A checkpoint this key did not sign (a restored store with a new key, a
    // damaged record) is evidence of nothing here: it is set aside and the
    // next checkpoint is signed over a chain verified from position 1.
    auto c = audit::checkpoint_from_json(**stored);
    Status checked =
        c ? audit::verify_checkpoint(impl->key.verifying_key(), *c) : Status(c.error());
    if (checked) {
      impl->latest = std::move(*c);
    } else if (impl->options.on_warning) {
      impl->options.on_warning("the stored audit checkpoint is set aside: " +
                               checked.error().message);
    }
  }
  if (impl->options.background) {
    impl->thread = std::thread([p = impl.get()] { p->run(); });
  }
  return std::unique_ptr<AuditCheckpoints>(new AuditCheckpoints(std::move(impl)));
}

AuditCheckpoints::AuditCheckpoints(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AuditCheckpoints::~AuditCheckpoints() { close(); }

void AuditCheckpoints::close() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Result<audit::Checkpoint> AuditCheckpoints::sign_now() {
  std::lock_guard lock(impl_->sign_mu);
  return impl_->sign_at_locked(impl_->store.head_position());
}

Result<audit::Checkpoint> AuditCheckpoints::latest() {
  std::lock_guard lock(impl_->sign_mu);
  if (impl_->latest) return *impl_->latest;
  return impl_->sign_at_locked(impl_->store.head_position());
}

std::optional<audit::Checkpoint> AuditCheckpoints::peek() const {
  std::lock_guard lock(impl_->sign_mu);
  return impl_->latest;
}

std::string AuditCheckpoints::public_key_pem() const { return impl_->key.public_pem(); }

const std::string& AuditCheckpoints::key_id() const { return impl_->key.key_id(); }

}  // namespace ikv::app
