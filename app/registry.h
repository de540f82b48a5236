// Registry: the application layer. It owns the event store, the personal-data
// vault, the read models and the sequencer's tail states, and runs
// commands. Every command goes through one sequencer (sequencer.h), which
// decides commands one at a time, in submission order:
//
//   the stream's tail state (its decider state with every event appended to it,
//   committed or in flight; folded from the stream's own events on first
//   use, or ahead of it by start_warming(), and kept in a bounded cache) ->
//   If-Match -> decide (cross-stream facts from the read models) -> encode
//   (sealing personal data) -> append with the exact expected version -> the
//   tail moves on at once.
//
// The sequencer has no thread: on an idle server the request's own thread
// decides and appends its command, and when it is alone in the sequencer it
// also writes, syncs and answers its own commit group (the store's idle fast
// path, AppendRequest::may_lead): no hand-off at all; under load whichever thread
// leads decides every queued command while the others go back to their
// connections. Since nothing else appends, a version conflict can only come
// from outside the registry: it is answered (412 with If-Match, else 503),
// never retried from a completion.
//
// Every committed event is folded, in log order, on the store's commit
// listener into the read models before the appender
// is answered, so a client reads its own writes. The events this registry
// decided reach the listener as they were decided (EventData::decided), so
// nothing just written is decoded or decrypted again; only events without
// that form (the replay on open) are decoded from their bytes.
//
// Fail-stop: an event that cannot be decoded or applied stops the registry at
// its position (apply_failure()): nothing after it is applied, commands are
// refused, and readiness probes name the position and the reason. Nothing is
// ever skipped, so the read models never drift from the log.
//
// On open, the registry loads its latest snapshot (the read models as of one
// log position, see snapshot_codec.h; the deciders' states are never in it),
// a file in <data_dir>/snapshots (the store's snapshots side table for an
// in-memory registry), and replays only the events after it; without a
// usable snapshot it replays the whole log. Snapshots are written every
// RegistryOptions::snapshot_every_events applied events by a background
// thread, by snapshot_now(), and on close() when anything changed.
//
// Thread-safety: all methods are thread-safe. The read models sit under one
// shared mutex (mu_): the sequencer reads cross-stream facts under a shared
// lock while it decides, the commit listener applies under an exclusive one. Command completions
// run on the store's syncing thread, or on the appending thread (in memory, and in a group the
// appender led), and must not block.
//
//   auto reg = Registry::open({.data_dir = "./data"});
//   (*reg)->execute_network("oulu", domain::TransferStewardship{...}, meta,
//                           [](CommandResult r) { ... });
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <variant>
#include <vector>

#include <boost/json/object.hpp>

#include "common/result.h"
#include "domain/decision.h"
#include "domain/meeting.h"
#include "domain/national.h"
#include "domain/network_commands.h"
#include "domain/taxonomy.h"
#include "domain/token.h"
#include "domain/values.h"
#include "eventstore/event_store.h"
#include "projections/read_models.h"
#include "projections/registry_view.h"

namespace ikv::app {

struct RegistryOptions {
  // Data directory: the event store lives in <data_dir>/events, the master key
  // in <data_dir>/master.key. Empty: an in-memory store (tests only).
  std::string data_dir;
  // What an acknowledged command survives (see eventstore::Durability).
  eventstore::Durability durability = eventstore::Durability::kSync;
  // Streams whose tail state the sequencer keeps (LRU; entries with appends in
  // flight are never evicted). A miss folds the stream from its own events.
  // The default holds every network, token and taxonomy state and thousands of
  // meetings; a meeting's state is a few hundred bytes, a network's grows with
  // its roster.
  std::size_t state_cache_streams = 4096;
  // Source of recorded time (UTC microseconds); default: the system clock.
  std::function<std::int64_t()> clock;
  // A background thread writes a snapshot once this many events were applied
  // since the last one. 0: never (snapshot_now() and close() still write).
  std::uint64_t snapshot_every_events = 50'000;
  // close() writes a snapshot when events were applied since the last one.
  bool snapshot_on_close = true;
  // open() starts from the stored snapshot; false: replays the whole log.
  bool load_snapshot = true;
  // Told about problems that do not stop the registry (a snapshot ignored on
  // open or failing in the background). Called on the thread that hit them;
  // never given personal data. Default: nothing.
  std::function<void(const std::string&)> on_warning;
};

// What open() did to get the read models current.
struct OpenReport {
  std::uint64_t snapshot_position = 0;  // position the loaded snapshot covered (0: none)
  std::uint64_t replayed_events = 0;    // events decoded and applied after it
  double seconds = 0;                   // the whole open, store included
  double store_seconds = 0;             // of which opening the store (its index loaded)
  double snapshot_seconds = 0;          // and loading the snapshot
  std::string snapshot_problem;         // why a stored snapshot was ignored, if it was
  // "<unit>: <why>" for each read-model unit rebuilt from the log because its
  // snapshot section could not be used.
  std::vector<std::string> snapshot_rebuilt;
};

// Whose personal fields (a member's name, e-mail, phone) a reader sees in
// clear. The one rule of API.md "Who sees personal data", made by
// Principal::personal_data_scope() and applied by every route that can carry
// personal fields (rosters, history, streams, the global log and its live
// feed, the change log): an admin sees every network's; a coordinator sees the
// networks its token names (every network when it names none); an analyst or
// an auditor sees none. Everyone else gets the same rows with those fields null.
struct PersonalDataScope {
  bool every_network = false;
  std::vector<std::string> networks;  // without every_network: these only

  bool covers_network(std::string_view network_id) const;
  // Personal fields travel only in a network's own stream ("network-<id>");
  // for any other stream only an every-network scope is said to cover it.
  bool covers_stream(std::string_view stream) const;
};

// The event at which the registry stopped applying its log (fail-stop): it
// could not be decoded or applied. Nothing after it is applied and no command
// is taken until the cause is repaired and the server restarted.
struct ApplyFailure {
  std::uint64_t position = 0;
  std::string reason;  // "<type> at position <p>: <why>"; never personal data
};

// Who is asking: the token behind a request.
struct Principal {
  std::string token_id;
  std::string name;
  domain::Role role = domain::Role::kAnalyst;
  std::vector<std::string> networks;  // coordinator limit; empty = every network

  // May this principal run commands on `network_id`?
  bool may_command(std::string_view network_id) const;
  // Whose personal fields this principal sees in clear (PersonalDataScope).
  PersonalDataScope personal_data_scope() const;
};

// How the sequencer worked (tests and diagnostics).
struct SequencerStats {
  std::uint64_t led_by_submitter = 0;  // commands decided on the thread that submitted them
  std::uint64_t tail_folds = 0;        // tail states folded from the log (cache misses)
  std::uint64_t tails_warmed = 0;      // tail states installed by warm_tail_states()
  std::uint64_t warm_pauses = 0;       // milliseconds it waited for requests to stop
};

// Metadata of one command.
struct CommandMeta {
  std::string actor;                      // the token's name
  std::string request_id;                 // correlation id
  std::string idempotency_key;            // the client's Idempotency-Key, if any
  std::string token_id;                   // with idempotency_key: scopes deterministic event ids
  std::optional<std::uint64_t> if_match;  // the client's If-Match version
  // Called with the events about to be appended; what it returns is written in
  // the same atomic batch (idempotency records).
  std::function<std::vector<eventstore::SidePut>(const std::vector<eventstore::EventData>&)>
      side_puts;
};

struct CommandOk {
  std::string stream;
  std::uint64_t version = 0;   // the stream's version after the command
  std::uint64_t position = 0;  // global position of the stream's last event
  std::string last_event_id;   // empty when the command changed nothing
  bool changed = false;        // false: accepted, nothing to record
};

struct CommandFailure {
  enum class Kind {
    kRejected,            // a domain rejection (422/409/404)
    kPreconditionFailed,  // If-Match did not match (412)
    kUnavailable,         // the store refuses writes (503)
    kInternal,            // a bug or an unexpected store error (500)
  };
  Kind kind = Kind::kInternal;
  domain::Rejection rejection;  // for kRejected
  std::string message;
  std::uint64_t actual_version = 0;  // for kPreconditionFailed
};

using CommandResult = std::variant<CommandOk, CommandFailure>;
using CommandDone = std::function<void(CommandResult)>;

class Registry {
 public:
  static Result<std::unique_ptr<Registry>> open(RegistryOptions options);
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Commands. `done` is called exactly once, possibly on another thread.
  void execute_network(std::string network_id, domain::NetworkCommand command, CommandMeta meta,
                       CommandDone done);
  void execute_meeting(std::string meeting_id, domain::MeetingCommand command, CommandMeta meta,
                       CommandDone done);
  void execute_taxonomy(domain::TaxonomyCommand command, CommandMeta meta, CommandDone done);
  void execute_token(std::string token_id, domain::TokenCommand command, CommandMeta meta,
                     CommandDone done);
  // The national findings (stream "national", domain/national.h).
  void execute_national(domain::NationalCommand command, CommandMeta meta, CommandDone done);
  // Erases a member's personal data: checks the command, adds the member to
  // the data directory's erasure list (erasure_list.h), deletes the person's
  // key (compacted away), then records PersonalDataErased with the command's
  // reason and request reference.
  void erase_personal_data(domain::ErasePersonalData erase, CommandMeta meta, CommandDone done);
  void erase_personal_data(std::string member_id, CommandMeta meta, CommandDone done);
  // Answers or expires a join request (ApproveJoinRequest, DeclineJoinRequest,
  // ExpireJoinRequest) on the network that holds it: checks the command on the
  // network's tail state, adds the request id to the erasure list, destroys
  // the request's key (its details are crypto-shredded: an approval's
  // MemberJoined is sealed under the new member's key), then records the
  // events. As with an erasure, should the append fail the details are
  // unreadable all the same (a retry of an approval is then refused as
  // personal_data_erased; a decline or the expiry still records it).
  // Rejections: join_request_not_found (404) for an unknown request id, and
  // the decider's.
  void close_join_request(std::string request_id, domain::NetworkCommand command, CommandMeta meta,
                          CommandDone done);
  // The network a join request was made to, if the request exists.
  std::optional<std::string> network_of_join_request(std::string_view request_id) const;

  // The principal owning this bearer secret, if it is a live token.
  std::optional<Principal> authenticate(std::string_view secret) const;
  // Why a secret does not authenticate.
  enum class AuthRefusal {
    kInvalid,  // no token has it, the token is revoked, or it was rotated away and its grace ended
    kExpired,  // the token's expires_at has passed
  };
  // The principal owning this bearer secret at the registry clock's now
  // (RegistryOptions::clock), or why there is none. An accepted secret is
  // remembered (app/auth_cache.h) until any token changes or the token's
  // expiry or grace ends: a known token costs no hashing and no lock.
  std::variant<Principal, AuthRefusal> check_secret(std::string_view secret) const;
  // Checks answered from that memory since open (tests, diagnostics).
  std::uint64_t auth_cache_hits() const;
  // Makes sure an admin token exists: `secret` if given (IKV_ADMIN_TOKEN), else
  // a generated one returned for the caller to hand over. Returns the new secret
  // when one was issued, std::nullopt when an admin token already existed.
  Result<std::optional<std::string>> bootstrap_admin(std::optional<std::string> secret);
  // Makes a secret and its stored form (hex SHA-256) for a new token.
  static std::pair<std::string, std::string> new_token_secret();

  // Runs `f(view)` under a shared lock; `f` must not call back into the registry.
  template <class F>
  auto read(F&& f) const {
    activity_.fetch_add(1, std::memory_order_relaxed);
    std::shared_lock lock(mu_);
    return f(static_cast<const projections::ReadModels&>(*models_).view());
  }
  // Runs `f(models)`, every read-model unit, under a shared lock; likewise.
  template <class F>
  auto read_models(F&& f) const {
    activity_.fetch_add(1, std::memory_order_relaxed);
    std::shared_lock lock(mu_);
    return f(static_cast<const projections::ReadModels&>(*models_));
  }
  // The network a member belongs to, if the member exists.
  std::optional<std::string> network_of_member(std::string_view member_id) const;
  // The store (reads, verification, the global log).
  eventstore::EventStore& store() { return *store_; }
  const eventstore::EventStore& store() const { return *store_; }
  // Position up to which the read models have applied the log.
  std::uint64_t applied_position() const;
  // How the sequencer worked since open.
  SequencerStats sequencer_stats() const;
  // Set when an event could not be decoded or applied: the registry stopped
  // there (applied_position() is the event before it) and refuses commands
  // (CommandFailure::kUnavailable).
  std::optional<ApplyFailure> apply_failure() const;
  // The data directory (empty for an in-memory registry).
  const std::string& data_dir() const;
  // A stored event as reads show it: {"position", "stream", "version",
  // "event_id", "type", "schema_version", "actor", "recorded_at", "payload",
  // "prev_hash", "hash"} (the hash chain's links, lower-case hex),
  // the payload decoded with its personal data opened. Without
  // `include_personal`, "name", "email" and "phone" are null (the "erased"
  // flag stays true to the facts). A TokenIssued never shows its secret
  // hash. Errors: kCorruption when the event does not decode. Takes no lock
  // of the registry.
  Result<boost::json::object> event_json(const eventstore::RecordedEvent& event,
                                         bool include_personal) const;
  // Encrypts/decrypts small secrets kept outside the log (idempotency records).
  Result<std::string> seal_secret(std::string_view subject, std::string_view plaintext);
  Result<std::optional<std::string>> open_secret(std::string_view subject,
                                                 std::string_view sealed) const;

  // Writes a snapshot of the state at applied_position() and returns that
  // position: a file beside the log for a data directory (snapshot_files.h),
  // the store's snapshots side table in memory. The shared lock is held only
  // for fork(): a child drafts the read models from its copy while commits
  // go on (snapshot_fork.h); where no child can be used, the draft is made
  // under the lock. Sealing and writing hold no lock. Snapshots are written
  // one at a time. Errors: the child's, the store's or the vault's.
  Result<std::uint64_t> snapshot_now();
  // What open() did (snapshot loaded, events replayed, time taken).
  const OpenReport& open_report() const;
  // Position covered by the latest snapshot written or loaded (0: none, or
  // the loaded one had a section rebuilt from the log).
  std::uint64_t snapshot_position() const;

  // Warming. A stream's tail state is folded from its own events when a
  // command first needs it; a network's stream holds most of the log, so the
  // first command per network after a restart would wait for that fold.
  // warm_tail_states() folds the long-lived streams (every network, the
  // national findings, the taxonomy) in one pass over the log, on the calling
  // thread, off the sequencer and under no registry lock, then hands each
  // state to the sequencer, which installs it before its next batch unless a
  // command folded the stream meanwhile; commits made since are folded in
  // when a command needs the state (tail_of()). It uses idle time only: every
  // 4,096 events it waits until a millisecond passes with no read or command
  // (under load, commands fold what they need themselves, as without
  // warming). Returns the number of states handed over. Blocking; gives up
  // when close() begins.
  std::size_t warm_tail_states();
  // warm_tail_states() on a background thread (once; close() joins it),
  // then release_free_memory() (free_memory.h).
  void start_warming();

  // Stops the snapshot thread, writes a final snapshot when anything changed
  // (snapshot_on_close), then closes the store. Idempotent.
  void close();

 private:
  struct Impl;
  struct Tail;  // a stream's decider state as the sequencer keeps it (registry.cc)
  struct NetworkAgg;
  struct MeetingAgg;
  struct TaxonomyAgg;
  struct TokenAgg;
  struct NationalAgg;
  explicit Registry(std::unique_ptr<Impl> impl);
  // The generic command runner (registry.cc): hands the command to the
  // sequencer, whose task decide_and_append() decides it on the stream's tail
  // state (tail_of(): cached, or folded from the log) and appends.
  template <class Agg>
  void run(std::string key, typename Agg::Command command, CommandMeta meta, CommandDone done);
  template <class Agg>
  void decide_and_append(const std::string& key, const typename Agg::Command& command,
                         CommandMeta meta, CommandDone done);
  template <class Agg>
  Result<Tail*> tail_of(const std::string& stream);
  void on_commit(const std::vector<eventstore::RecordedEvent>& events);
  // One sequencer task: decides `command` on the network's tail (a refusal
  // destroys nothing), lists `subject` in the erasure list, destroys its key,
  // then decides and appends the command.
  void shred_then_run(std::string network, std::string subject, domain::NetworkCommand command,
                      CommandMeta meta, CommandDone done);
  // Loads the stored snapshot into the states and view if it is usable.
  void load_snapshot();
  // The background snapshot thread's loop.
  void snapshot_loop();

  std::unique_ptr<Impl> impl_;
  eventstore::EventStore* store_ = nullptr;
  mutable std::shared_mutex mu_;
  // Reads and commands taken: warm_tail_states() works while it stands still.
  mutable std::atomic<std::uint64_t> activity_{0};
  projections::ReadModels* models_ = nullptr;  // owned by impl_, guarded by mu_
};

}  // namespace ikv::app
