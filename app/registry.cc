#include "app/registry.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <limits>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <variant>

#include "app/auth_cache.h"
#include "app/erasure_list.h"
#include "app/free_memory.h"
#include "app/sequencer.h"
#include "app/snapshot_codec.h"
#include "app/snapshot_files.h"
#include "app/snapshot_fork.h"
#include "codec/event_codec.h"
#include "codec/event_json.h"
#include "codec/personal_data.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/key_vault.h"
#include "crypto/master_key.h"
#include "crypto/random.h"
#include "domain/event.h"
#include "domain/national.h"
#include "domain/network_decider.h"
#include "domain/network_state.h"
#include "domain/streams.h"
#include "eventstore/memory_event_store.h"
#include "eventstore/rocks_event_store.h"
#include "projections/join_requests.h"
#include "projections/json_render.h"

namespace ikv::app {
namespace {

// A stream's decider state, of whichever aggregate.
using TailState = std::variant<domain::NetworkState, domain::MeetingState, domain::TaxonomyState,
                               domain::TokenState, domain::NationalState>;

CommandFailure failure(CommandFailure::Kind kind, std::string message) {
  CommandFailure f;
  f.kind = kind;
  f.message = std::move(message);
  return f;
}

CommandFailure rejected(domain::Rejection r) {
  CommandFailure f;
  f.kind = CommandFailure::Kind::kRejected;
  f.message = r.message;
  f.rejection = std::move(r);
  return f;
}

CommandFailure from_store_error(const Error& e) {
  return failure(e.code == ErrorCode::kUnavailable ? CommandFailure::Kind::kUnavailable
                                                   : CommandFailure::Kind::kInternal,
                 e.message);
}

}  // namespace

bool PersonalDataScope::covers_network(std::string_view network_id) const {
  if (every_network) return true;
  return std::find(networks.begin(), networks.end(), network_id) != networks.end();
}

bool PersonalDataScope::covers_stream(std::string_view stream) const {
  if (every_network) return true;
  const std::string prefix = domain::network_stream("");
  if (!stream.starts_with(prefix)) return false;
  return covers_network(stream.substr(prefix.size()));
}

PersonalDataScope Principal::personal_data_scope() const {
  switch (role) {
    case domain::Role::kAdmin:
      return {.every_network = true, .networks = {}};
    case domain::Role::kCoordinator:
      if (networks.empty()) return {.every_network = true, .networks = {}};
      return {.every_network = false, .networks = networks};
    case domain::Role::kAnalyst:
    case domain::Role::kAuditor:
      break;
  }
  return {};
}

bool Principal::may_command(std::string_view network_id) const {
  if (role == domain::Role::kAdmin) return true;
  if (role != domain::Role::kCoordinator) return false;
  if (networks.empty()) return true;
  return std::ranges::any_of(networks, [&](const auto& n) { return n == network_id; });
}

// The tail state of a stream: its decider state with every event the
// sequencer appended to it, committed or still in flight. Folded from the
// stream's own events on first use, kept in a bounded LRU cache; an entry
// with appends in flight is pinned (never evicted). `valid` is false once
// an append of the stream failed: the entry is then dropped when nothing of
// it is in flight any more, and folded again from the log.
struct Registry::Tail {
  TailState state;
  std::uint64_t version = 0;   // the stream's version with the in-flight events
  std::uint64_t position = 0;  // global position of its last committed event
  int in_flight = 0;
  bool valid = true;
  std::list<std::string>::iterator lru;
};

// Everything the registry keeps.
struct Registry::Impl {
  RegistryOptions options;
  std::unique_ptr<eventstore::EventStore> store;
  std::unique_ptr<crypto::PersonalDataVault> vault;
  // The view keeps members' personal fields sealed with the vault.
  std::unique_ptr<projections::VaultSeal> seal;
  projections::ReadModels models;  // guarded by Registry::mu_
  const projections::RegistryView& view() const { return models.view(); }
  std::atomic<std::uint64_t> applied{0};
  OpenReport report;  // constant after open
  // Set once an event could not be decoded or applied: nothing is applied
  // after it and no command is taken (fail-stop). Guarded by Registry::mu_;
  // `stopped` mirrors it for lock-free checks.
  std::optional<ApplyFailure> stopped_at;
  std::atomic<bool> stopped{false};
  // Bumped after every token event applied: stamps the authentication
  // cache's entries (auth_cache.h), so that any token change ends them.
  std::atomic<std::uint64_t> token_epoch{0};
  SecretCache<Principal> auth_cache;

  // Folds the committed event `e` into the states and read models: the
  // writer's own decided event when the commit carries it, else the event
  // decoded from its bytes. On a failure records it, applies nothing and
  // returns false. REQUIRES: mu_ held exclusively; e.position == applied + 1.
  bool apply_committed(const eventstore::RecordedEvent& e) {
    if (stopped.load()) return false;
    std::string reason;
    try {
      if (e.decided) {
        apply(e, *static_cast<const domain::Event*>(e.decided.get()));
      } else {
        auto decoded = codec::decode(e.type, e.schema_version, e.payload, *vault);
        if (decoded) {
          apply(e, *decoded);
        } else {
          reason = "the event does not decode: " + decoded.error().message;
        }
      }
    } catch (const std::exception& ex) {
      reason = std::string("the event cannot be applied: ") + ex.what();
    }
    if (reason.empty()) {
      if (eventstore::stream_category(e.stream) == domain::kTokenCategory) {
        token_epoch.fetch_add(1, std::memory_order_release);
      }
      applied.store(e.position);
      return true;
    }
    stopped_at = ApplyFailure{
        e.position, e.type + " at position " + std::to_string(e.position) + ": " + reason};
    stopped.store(true);
    if (options.on_warning) {
      options.on_warning("registry: stopped applying the log; " + stopped_at->reason);
    }
    return false;
  }

  // Snapshots: written one at a time (snapshot_write_mu); the background
  // thread waits on snapshot_cv under snapshot_mu.
  std::mutex snapshot_write_mu;
  std::atomic<std::uint64_t> snapshot_position{0};
  std::mutex snapshot_mu;
  std::condition_variable snapshot_cv;
  bool snapshot_stop = false;    // guarded by snapshot_mu
  bool snapshot_wanted = false;  // guarded by snapshot_mu
  std::thread snapshot_thread;
  std::atomic<bool> closed{false};

  // The sequencer decides every command (sequencer.h); what follows up to
  // `tail_token_names` belongs to its tasks and needs no lock.
  Sequencer sequencer;

  std::unordered_map<std::string, Tail> tails;
  std::list<std::string> tails_lru;  // most recently used first
  // Token names of IssueToken commands in flight (names are unique across streams).
  std::set<std::string, std::less<>> tail_token_names;
  std::atomic<std::uint64_t> tail_folds{0};    // tail states folded from the log
  std::atomic<std::uint64_t> tails_warmed{0};  // tail states installed by the warm-up
  std::atomic<std::uint64_t> warm_pauses{0};   // milliseconds the warm-up gave way to requests
  std::thread warm_thread;                     // start_warming()'s

  void touch(Tail& t, const std::string& stream) {
    tails_lru.erase(t.lru);
    tails_lru.push_front(stream);
    t.lru = tails_lru.begin();
  }

  // Evicts least recently used entries with nothing in flight down to the capacity.
  void trim_tails() {
    auto it = tails_lru.end();
    while (tails.size() > options.state_cache_streams && it != tails_lru.begin()) {
      --it;
      auto e = tails.find(*it);
      if (e->second.in_flight > 0) continue;
      tails.erase(e);
      it = tails_lru.erase(it);
    }
  }

  // Puts a folded state into the cache as the most recently used entry.
  // REQUIRES: no entry for `stream`; on the sequencer.
  template <class State>
  void install_tail(const std::string& stream, State state, std::uint64_t version,
                    std::uint64_t position) {
    tails_lru.push_front(stream);
    Tail& t = tails[stream];
    t.state = std::move(state);
    t.version = version;
    t.position = position;
    t.lru = tails_lru.begin();
    trim_tails();
  }

  // Folds one event into the read models. REQUIRES: mu_ held exclusively.
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event) {
    models.apply(meta, event);
  }

  // Cross-stream facts for the deciders, from the read models. REQUIRES: mu_
  // held (shared) while the context is used.
  domain::DecisionContext context() const { return view().decision_context(); }

  // Encodes events for the store. A new person's key is staged into
  // `side_puts`, to be written in the same batch as their first event.
  Result<std::vector<eventstore::EventData>> encode(const std::vector<domain::Event>& events,
                                                    const CommandMeta& meta,
                                                    std::vector<eventstore::SidePut>& side_puts,
                                                    std::vector<std::string>& staged) const {
    for (const auto& e : events) {
      std::string subject;
      if (const auto* j = std::get_if<domain::MemberJoined>(&e); j != nullptr && j->personal) {
        subject = j->member_id;
      } else if (const auto* q = std::get_if<domain::JoinRequested>(&e);
                 q != nullptr && q->details) {
        subject = q->request_id;  // a request's details have their own key
      }
      if (!subject.empty()) {
        auto put = vault->stage(subject);
        if (!put) return put.error();
        if (put->has_value()) {
          side_puts.push_back(std::move(**put));
          staged.push_back(std::move(subject));
        }
      }
    }
    std::vector<eventstore::EventData> out;
    out.reserve(events.size());
    for (const auto& event : events) {
      auto encoded = codec::encode(event, *vault);
      if (!encoded) return encoded.error();
      eventstore::EventData d;
      d.decided = std::make_shared<const domain::Event>(event);
      d.event_id = crypto::uuid_v4();
      d.type = std::move(encoded->type);
      d.schema_version = encoded->schema_version;
      d.payload = std::move(encoded->payload);
      d.metadata.actor = meta.actor;
      d.metadata.correlation_id = meta.request_id;
      d.metadata.causation_id = meta.request_id;
      d.metadata.idempotency_key = meta.idempotency_key;
      out.push_back(std::move(d));
    }
    return out;
  }
};

Registry::Registry(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)), store_(impl_->store.get()), models_(&impl_->models) {}

Registry::~Registry() { close(); }

void Registry::close() {
  if (!impl_ || impl_->closed.exchange(true)) return;
  if (impl_->warm_thread.joinable()) impl_->warm_thread.join();  // stops at its next chunk
  {
    std::lock_guard lock(impl_->snapshot_mu);
    impl_->snapshot_stop = true;
  }
  impl_->snapshot_cv.notify_all();
  if (impl_->snapshot_thread.joinable()) impl_->snapshot_thread.join();
  if (impl_->options.snapshot_on_close && !impl_->options.data_dir.empty() &&
      impl_->applied.load() != impl_->snapshot_position.load()) {
    if (auto written = snapshot_now(); !written && impl_->options.on_warning) {
      impl_->options.on_warning("registry: the closing snapshot failed: " +
                                written.error().message);
    }
  }
  if (impl_->store) impl_->store->close();
}

Result<std::unique_ptr<Registry>> Registry::open(RegistryOptions options) {
  const auto started = std::chrono::steady_clock::now();
  auto impl = std::make_unique<Impl>();
  crypto::VaultOptions vault_options;
  if (options.data_dir.empty()) {
    impl->store = eventstore::make_memory_event_store(options.clock);
  } else {
    std::error_code ec;
    std::filesystem::create_directories(options.data_dir, ec);
    if (ec)
      return Error{
          ErrorCode::kIOError, "cannot create " + options.data_dir + ": " + ec.message(), {}};
    auto master =
        crypto::load_or_create_master_key(std::filesystem::path(options.data_dir) / "master.key");
    if (!master) return master.error();
    vault_options.master_key = *master;
    auto store = eventstore::open_rocks_event_store({.path = options.data_dir + "/events",
                                                     .durability = options.durability,
                                                     .clock = options.clock});
    if (!store) return store.error();
    impl->store = std::move(*store);
  }
  const auto since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  impl->report.store_seconds = since(started);
  impl->vault = std::make_unique<crypto::PersonalDataVault>(*impl->store, vault_options);
  impl->seal = std::make_unique<projections::VaultSeal>(*impl->vault, *impl->vault);
  impl->models = projections::ReadModels(*impl->seal);
  impl->options = std::move(options);

  std::unique_ptr<Registry> registry(new Registry(std::move(impl)));
  Impl& i = *registry->impl_;
  if (i.options.load_snapshot) {
    const auto loading = std::chrono::steady_clock::now();
    registry->load_snapshot();
    i.report.snapshot_seconds = since(loading);
  }
  // Catch up from the snapshot's position (or the start), then follow commits.
  // Nothing else runs yet (no commit listener, no snapshot thread): each event
  // is decoded and applied as the scan reads it, without copying it.
  std::unique_lock replay_lock(registry->mu_);
  auto scanned = i.store->scan_all(i.applied.load(), [&](const eventstore::RecordedEvent& e) {
    if (e.position <= i.applied.load()) return true;
    return i.apply_committed(e);  // fail-stop: the scan ends at an event that fails
  });
  replay_lock.unlock();
  if (!scanned) return scanned.error();
  i.report.replayed_events = *scanned;
  Registry* self = registry.get();
  i.store->set_commit_listener(
      [self](const std::vector<eventstore::RecordedEvent>& events) { self->on_commit(events); });
  if (i.options.snapshot_every_events > 0) {
    i.snapshot_thread = std::thread([self] { self->snapshot_loop(); });
  }
  i.report.seconds = since(started);
  return registry;
}

void Registry::load_snapshot() {
  Impl& i = *impl_;
  auto warn = [&i](const std::string& problem) {
    i.report.snapshot_problem = problem;
    if (i.options.on_warning) {
      i.options.on_warning("registry: ignoring the stored snapshot (" + problem +
                           "); replaying the whole log");
    }
  };
  // A data directory keeps its snapshots as files beside the log
  // (snapshot_files.h); an in-memory registry in the store's side table.
  std::optional<MappedFile> mapped;
  std::optional<std::string> kept;
  if (i.options.data_dir.empty()) {
    auto stored = i.store->side_get(eventstore::kSideSnapshots, kSnapshotKey);
    if (!stored) return warn(stored.error().message);
    kept = std::move(*stored);
  } else {
    auto stored = map_latest_snapshot_file(i.options.data_dir);
    if (!stored) return warn(stored.error().message);
    mapped = std::move(*stored);
  }
  if (!kept && !mapped) return;
  // A mapped file's pages go back as the loader is done with them.
  ReleaseBytes release;
  if (mapped) release = [&file = *mapped](std::string_view part) { file.release(part); };
  auto loaded = open_snapshot(mapped ? mapped->bytes() : std::string_view(*kept), *i.vault,
                              projections::ReadModels(*i.seal), release);
  if (!loaded) return warn(loaded.error().message);
  if (loaded->position > i.store->head_position()) {
    return warn("it covers position " + std::to_string(loaded->position) +
                " beyond the log's head " + std::to_string(i.store->head_position()));
  }
  for (const std::string& why : loaded->rebuilt) {
    if (i.options.on_warning) {
      i.options.on_warning("registry: a snapshot section is not used (" + why +
                           "); that read model is rebuilt from the log");
    }
  }
  i.report.snapshot_rebuilt = loaded->rebuilt;
  std::unique_lock lock(mu_);
  i.models = std::move(loaded->models);
  i.applied.store(i.models.position());
  // A snapshot with a section rebuilt from the log is not one to start from
  // again: the next snapshot (the background thread's, soon) replaces it.
  i.snapshot_position.store(loaded->rebuilt.empty() ? loaded->position : 0);
  i.report.snapshot_position = loaded->position;
}

Result<std::uint64_t> Registry::snapshot_now() {
  std::lock_guard writing(impl_->snapshot_write_mu);
  // The lock is held only while the state is frozen: by fork() (the child
  // drafts from its copy while commits go on here), or, where a child cannot
  // be used, for the whole in-process draft.
  std::optional<SnapshotDraft> draft;
  std::optional<ForkedDraft> child;
  std::uint64_t position = 0;
  {
    std::shared_lock lock(mu_);
    position = impl_->applied.load();
    if (position <= impl_->snapshot_position.load() && position != 0) return position;
    if (fork_available()) {
      auto forked = ForkedDraft::begin(impl_->models, position);
      if (forked) {
        child.emplace(std::move(*forked));
      } else if (impl_->options.on_warning) {
        impl_->options.on_warning("registry: " + forked.error().message +
                                  "; the snapshot is drafted under the lock");
      }
    }
    if (!child) draft = draft_snapshot(impl_->models, position);
  }
  // Encoded as the child's draft comes, straight into the file being written
  // (or into memory, for a registry without a data directory): the draft is
  // never whole in this process.
  StringOutput in_memory;
  std::unique_ptr<SnapshotFileWriter> file;
  if (!impl_->options.data_dir.empty()) {
    auto created = SnapshotFileWriter::create(impl_->options.data_dir, position);
    if (!created) return created.error();
    file = std::move(*created);
  }
  SnapshotOutput& out = file ? static_cast<SnapshotOutput&>(*file) : in_memory;
  SnapshotEncoder encoder(out, position);
  projections::PersonalPieces pieces;
  if (child) {
    auto got = child->finish(encoder);
    if (!got) return got.error();
    pieces = std::move(*got);
  } else {
    if (Status fed = feed_draft(*draft, encoder); !fed) return fed.error();
    pieces = std::move(draft->pieces);
    draft.reset();
  }
  if (Status sealed = encoder.finish(pieces, *impl_->vault); !sealed) return sealed.error();
  const Status put =
      file ? file->commit()
           : impl_->store->side_put(eventstore::kSideSnapshots, kSnapshotKey, in_memory.take());
  if (!put) return put.error();
  impl_->snapshot_position.store(position);
  return position;
}

void Registry::snapshot_loop() {
  Impl& i = *impl_;
  const std::uint64_t every = i.options.snapshot_every_events;
  std::unique_lock lock(i.snapshot_mu);
  while (!i.snapshot_stop) {
    i.snapshot_cv.wait(lock, [&] {
      return i.snapshot_stop || i.snapshot_wanted ||
             i.applied.load() - i.snapshot_position.load() >= every;
    });
    if (i.snapshot_stop) break;
    i.snapshot_wanted = false;
    lock.unlock();
    auto written = snapshot_now();
    if (!written && i.options.on_warning) {
      i.options.on_warning("registry: a background snapshot failed: " + written.error().message);
    }
    lock.lock();
    // After a failure, wait for as many events again before retrying.
    if (!written) {
      i.snapshot_cv.wait_for(lock, std::chrono::seconds(5), [&] { return i.snapshot_stop; });
    }
  }
}

const OpenReport& Registry::open_report() const { return impl_->report; }

std::uint64_t Registry::snapshot_position() const { return impl_->snapshot_position.load(); }

void Registry::on_commit(const std::vector<eventstore::RecordedEvent>& events) {
  {
    std::unique_lock lock(mu_);
    for (const auto& e : events) {
      if (e.position <= impl_->applied.load()) continue;
      if (!impl_->apply_committed(e)) break;  // fail-stop: nothing moves past it
    }
  }
  const std::uint64_t every = impl_->options.snapshot_every_events;
  if (every > 0 && impl_->applied.load() - impl_->snapshot_position.load() >= every) {
    {
      std::lock_guard lock(impl_->snapshot_mu);
      impl_->snapshot_wanted = true;
    }
    impl_->snapshot_cv.notify_one();
  }
}

std::uint64_t Registry::applied_position() const { return impl_->applied.load(); }

SequencerStats Registry::sequencer_stats() const {
  return {impl_->sequencer.led_by_submitter(), impl_->tail_folds.load(), impl_->tails_warmed.load(),
          impl_->warm_pauses.load()};
}

std::optional<ApplyFailure> Registry::apply_failure() const {
  if (!impl_->stopped.load()) return std::nullopt;
  std::shared_lock lock(mu_);
  return impl_->stopped_at;
}

const std::string& Registry::data_dir() const { return impl_->options.data_dir; }

Result<boost::json::object> Registry::event_json(const eventstore::RecordedEvent& e,
                                                 bool include_personal) const {
  auto decoded = codec::decode(e.type, e.schema_version, e.payload, *impl_->vault);
  if (!decoded) return decoded.error();
  boost::json::object payload = codec::event_payload_json(*decoded);
  // A token's secret hash stays inside the registry (the token list hides it too).
  if (std::holds_alternative<domain::TokenIssued>(*decoded) ||
      std::holds_alternative<domain::TokenRotated>(*decoded)) {
    payload.erase("secret_hash");
  }
  if (!include_personal && payload.contains("erased")) {
    for (const char* field : {"name", "email", "phone"}) payload[field] = nullptr;
  }
  boost::json::object o = projections::render::event_envelope(e, std::move(payload));
  o["prev_hash"] = crypto::hex_encode(e.prev_hash);
  o["hash"] = crypto::hex_encode(e.hash);
  return o;
}

// What the generic runner needs to know of each aggregate.
struct Registry::NetworkAgg {
  using Command = domain::NetworkCommand;
  using Event = domain::NetworkEvent;
  using State = domain::NetworkState;
  static std::string stream(std::string_view key) { return domain::network_stream(key); }
  static State initial() { return domain::initial_network_state(); }
};
struct Registry::MeetingAgg {
  using Command = domain::MeetingCommand;
  using Event = domain::MeetingEvent;
  using State = domain::MeetingState;
  static std::string stream(std::string_view key) { return domain::meeting_stream(key); }
  static State initial() { return domain::initial_meeting_state(); }
};
struct Registry::TaxonomyAgg {
  using Command = domain::TaxonomyCommand;
  using Event = domain::TaxonomyEvent;
  using State = domain::TaxonomyState;
  static std::string stream(std::string_view) { return domain::taxonomy_stream(); }
  static State initial() { return domain::initial_taxonomy_state(); }
};
struct Registry::TokenAgg {
  using Command = domain::TokenCommand;
  using Event = domain::TokenEvent;
  using State = domain::TokenState;
  static std::string stream(std::string_view key) { return domain::token_stream(key); }
  static State initial() { return domain::initial_token_state(); }
};

struct Registry::NationalAgg {
  using Command = domain::NationalCommand;
  using Event = domain::NationalEvent;
  using State = domain::NationalState;
  static std::string stream(std::string_view) { return domain::national_stream(); }
  static State initial() { return domain::initial_national_state(); }
};

template <class Agg>
void Registry::run(std::string key, typename Agg::Command command, CommandMeta meta,
                   CommandDone done) {
  activity_.fetch_add(1, std::memory_order_relaxed);
  if (impl_->stopped.load()) {
    done(failure(CommandFailure::Kind::kUnavailable,
                 "the registry stopped applying its log at " + apply_failure()->reason));
    return;
  }
  impl_->sequencer.submit([this, key = std::move(key), command = std::move(command),
                           meta = std::move(meta), done = std::move(done)]() mutable {
    decide_and_append<Agg>(key, command, std::move(meta), std::move(done));
  });
}

// Folds the events of `stream` after `version` into `state`; `version` and
// `position` follow the last event folded. Reads the store in chunks through
// one iterator each (read_stream; a chunk is a bulk read, kept out of the
// store's block cache). Errors: the store's; kCorruption for an event that
// does not decode.
template <class Agg>
Status fold_stream(const eventstore::EventStore& store, crypto::PersonalDataVault& vault,
                   const std::string& stream, typename Agg::State& state, std::uint64_t& version,
                   std::uint64_t& position) {
  constexpr std::size_t kChunk = eventstore::kBulkStreamRead;
  for (;;) {
    auto events = store.read_stream(stream, version + 1, kChunk);
    if (!events) return events.error();
    for (const auto& e : *events) {
      auto decoded = codec::decode(e.type, e.schema_version, e.payload, vault);
      if (!decoded) {
        return Error{
            ErrorCode::kCorruption,
            "event " + std::to_string(e.position) + " does not decode: " + decoded.error().message,
            {}};
      }
      if (auto narrowed = domain::narrow<typename Agg::Event>(*decoded)) {
        state = domain::evolve(std::move(state), *narrowed);
      }
      version = e.version;
      position = e.position;
    }
    if (events->size() < kChunk) return ok_status();
  }
}

template <class Agg>
Result<Registry::Tail*> Registry::tail_of(const std::string& stream) {
  using State = typename Agg::State;
  Impl& i = *impl_;
  std::uint64_t committed = 0;
  {
    std::shared_lock lock(mu_);
    committed = i.view().version_of(stream);
  }
  if (auto it = i.tails.find(stream); it != i.tails.end()) {
    Tail& t = it->second;
    if (t.valid && (t.in_flight > 0 || t.version == committed)) {
      i.touch(t, stream);
      return &t;
    }
    if (t.in_flight > 0) {
      return Error{ErrorCode::kUnavailable,
                   "an earlier change to this resource failed while others were in flight; retry",
                   {}};
    }
    if (t.valid && t.version < committed) {
      // Behind the log (warmed before later commits, or appended to outside
      // the sequencer): fold only what it has not seen.
      auto caught_up = fold_stream<Agg>(*i.store, *i.vault, stream, std::get<State>(t.state),
                                        t.version, t.position);
      if (caught_up && t.version == committed) {
        i.touch(t, stream);
        return &t;
      }
    }
    // A failed append left it ahead of the log, or the catch-up failed: fold it again.
    i.tails_lru.erase(t.lru);
    i.tails.erase(it);
  }
  // Fold the stream's own events. Nothing of it is in flight (an entry with
  // appends in flight is never evicted), so the store has all of it.
  State state = Agg::initial();
  std::uint64_t version = 0;
  std::uint64_t position = 0;
  if (auto folded = fold_stream<Agg>(*i.store, *i.vault, stream, state, version, position);
      !folded) {
    return folded.error();
  }
  ++i.tail_folds;
  i.install_tail(stream, std::move(state), version, position);
  return &i.tails.at(stream);
}

// Folds one event into a tail state of the aggregate `Agg`.
template <class Agg>
void fold_into(TailState& state, const domain::Event& event) {
  if (auto narrowed = domain::narrow<typename Agg::Event>(event)) {
    auto& s = std::get<typename Agg::State>(state);
    s = domain::evolve(std::move(s), *narrowed);
  }
}

std::size_t Registry::warm_tail_states() {
  Impl& i = *impl_;
  if (i.stopped.load() || i.closed.load()) return 0;
  // The streams to warm. One pass over the log folds them all: a network's
  // events are spread over the whole log, so a fold per stream would read
  // (and uncompress) every block of it once per network.
  struct Warm {
    TailState state;
    void (*fold)(TailState&, const domain::Event&) = nullptr;
    std::uint64_t version = 0;
    std::uint64_t position = 0;
  };
  std::unordered_map<std::string, Warm, StringHash, std::equal_to<>> warm;
  {
    std::shared_lock lock(mu_);
    for (const auto& [id, record] : i.view().network_records()) {
      warm.emplace(domain::network_stream(id), Warm{NetworkAgg::initial(), &fold_into<NetworkAgg>});
    }
  }
  warm.emplace(NationalAgg::stream({}), Warm{NationalAgg::initial(), &fold_into<NationalAgg>});
  warm.emplace(TaxonomyAgg::stream({}), Warm{TaxonomyAgg::initial(), &fold_into<TaxonomyAgg>});
  bool failed = false;
  // Idle time only: every 4,096 events, wait until a millisecond passes
  // without a read or a command (or the registry closes).
  std::uint64_t seen = activity_.load(std::memory_order_relaxed);
  const auto wait_for_quiet = [&] {
    for (;;) {
      const std::uint64_t now = activity_.load(std::memory_order_relaxed);
      if (now == seen || i.closed.load()) return;
      seen = now;
      ++i.warm_pauses;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  auto scanned = i.store->scan_all(0, [&](const eventstore::RecordedEvent& e) {
    if ((e.position & 0xfff) == 0) {
      wait_for_quiet();
      if (i.closed.load()) return false;
    }
    auto it = warm.find(e.stream);
    if (it == warm.end()) return true;
    auto decoded = codec::decode(e.type, e.schema_version, e.payload, *i.vault);
    if (!decoded) {
      failed = true;  // the command that needs it folds it, and answers the error
      return false;
    }
    it->second.fold(it->second.state, *decoded);
    it->second.version = e.version;
    it->second.position = e.position;
    return true;
  });
  if (!scanned || failed || i.closed.load()) return 0;
  // Handed to the sequencer, which alone touches the tail states: installed
  // before its next batch unless a command folded the stream meanwhile; if
  // commits moved the stream on since, tail_of() folds only those.
  std::size_t handed = 0;
  for (auto& [stream, w] : warm) {
    if (w.version == 0) continue;
    auto state = std::make_shared<TailState>(std::move(w.state));
    i.sequencer.settle([&i, stream = stream, state, version = w.version, position = w.position] {
      if (i.tails.contains(stream)) return;
      i.install_tail(stream, std::move(*state), version, position);
      ++i.tails_warmed;
    });
    ++handed;
  }
  return handed;
}

void Registry::start_warming() {
  Impl& i = *impl_;
  if (i.warm_thread.joinable() || i.closed.load()) return;
  // At normal priority: the thread takes the vault's and RocksDB's locks,
  // which a thread of idle priority could hold for long on a busy machine.
  // A command that needs a state before it is warm folds it itself.
  i.warm_thread = std::thread([this] {
    warm_tail_states();
    release_free_memory();  // what the folds' growth freed
  });
}

template <class Agg>
void Registry::decide_and_append(const std::string& key, const typename Agg::Command& command,
                                 CommandMeta meta, CommandDone done) {
  using State = typename Agg::State;
  Impl& i = *impl_;
  std::string stream = Agg::stream(key);
  auto found = tail_of<Agg>(stream);
  if (!found) return done(from_store_error(found.error()));
  Tail& tail = **found;
  const State& state = std::get<State>(tail.state);
  const std::uint64_t version = tail.version;
  if (meta.if_match && *meta.if_match != version) {
    CommandFailure f =
        failure(CommandFailure::Kind::kPreconditionFailed,
                "If-Match does not match the current version " + std::to_string(version));
    f.actual_version = version;
    return done(std::move(f));
  }
  // A token name being issued by a command in flight is taken too.
  if constexpr (std::is_same_v<Agg, TokenAgg>) {
    if (const auto* issue = std::get_if<domain::IssueToken>(&command);
        issue != nullptr && i.tail_token_names.contains(issue->name)) {
      return done(rejected(domain::conflict(
          "token_name_taken", "a token named '" + issue->name + "' is being issued right now",
          "/name")));
    }
  }
  std::optional<domain::Decision<typename Agg::Event>> decision;
  {
    std::shared_lock lock(mu_);
    decision.emplace(domain::decide(command, state, i.context()));
  }
  if (const auto* r = domain::rejection_of(*decision)) return done(rejected(*r));
  const auto& events = domain::events_of(*decision);
  if (events.empty()) return done(CommandOk{std::move(stream), version, tail.position, {}, false});

  eventstore::AppendRequest req;
  std::vector<std::string> staged;  // people whose new key rides in this batch
  std::vector<domain::Event> wide;
  wide.reserve(events.size());
  for (const auto& e : events) wide.push_back(domain::to_event(e));
  auto encoded = i.encode(wide, meta, req.side_puts, staged);
  if (!encoded) return done(from_store_error(encoded.error()));
  req.events = std::move(*encoded);
  req.stream = stream;
  req.expected = eventstore::ExpectedVersion::exact(version);
  // Alone in the sequencer (an idle server): this thread writes, syncs and
  // answers its own commit group, with no hand-off to the store's threads.
  req.may_lead = i.sequencer.alone();
  if (meta.side_puts) {
    for (auto& put : meta.side_puts(req.events)) req.side_puts.push_back(std::move(put));
  }
  // The tail moves on now, in place (a network's state is large: never copied):
  // the next command on this stream decides on it at once.
  auto& moving = std::get<State>(tail.state);
  for (const auto& e : events) moving = domain::evolve(std::move(moving), e);
  tail.version += events.size();
  ++tail.in_flight;
  std::string issuing;
  if constexpr (std::is_same_v<Agg, TokenAgg>) {
    if (const auto* issue = std::get_if<domain::IssueToken>(&command)) {
      issuing = issue->name;
      i.tail_token_names.insert(issuing);
    }
  }
  const std::string last_id = req.events.back().event_id;
  const bool if_match = meta.if_match.has_value();
  i.store->append(std::move(req), [this, stream, done = std::move(done), last_id, if_match, issuing,
                                   staged = std::move(staged)](Result<eventstore::AppendResult> r) {
    if (r) {
      for (const auto& subject : staged) impl_->vault->confirm(subject);
    }
    const bool ok = static_cast<bool>(r);
    const std::uint64_t last_position = ok ? r->last_position : 0;
    impl_->sequencer.settle([this, stream, ok, last_position, issuing] {
      Impl& i = *impl_;
      if (!issuing.empty()) i.tail_token_names.erase(issuing);
      auto it = i.tails.find(stream);
      if (it == i.tails.end()) return;
      --it->second.in_flight;
      if (ok) {
        it->second.position = std::max(it->second.position, last_position);
      } else {
        it->second.valid = false;
      }
    });
    if (r) return done(CommandOk{r->stream, r->last_version, r->last_position, last_id, true});
    if (r.error().code == ErrorCode::kWrongExpectedVersion) {
      // Only an append made outside the sequencer can move a stream under it.
      const std::uint64_t actual = r.error().actual_version.value_or(0);
      if (if_match) {
        CommandFailure f = failure(CommandFailure::Kind::kPreconditionFailed,
                                   "the stream moved on to version " + std::to_string(actual));
        f.actual_version = actual;
        return done(std::move(f));
      }
      return done(failure(CommandFailure::Kind::kUnavailable,
                          "the resource was changed concurrently; retry"));
    }
    done(from_store_error(r.error()));
  });
}

void Registry::execute_network(std::string network_id, domain::NetworkCommand command,
                               CommandMeta meta, CommandDone done) {
  run<NetworkAgg>(std::move(network_id), std::move(command), std::move(meta), std::move(done));
}

void Registry::execute_meeting(std::string meeting_id, domain::MeetingCommand command,
                               CommandMeta meta, CommandDone done) {
  run<MeetingAgg>(std::move(meeting_id), std::move(command), std::move(meta), std::move(done));
}

void Registry::execute_taxonomy(domain::TaxonomyCommand command, CommandMeta meta,
                                CommandDone done) {
  run<TaxonomyAgg>(std::string(), std::move(command), std::move(meta), std::move(done));
}

void Registry::execute_national(domain::NationalCommand command, CommandMeta meta,
                                CommandDone done) {
  run<NationalAgg>(std::string(), std::move(command), std::move(meta), std::move(done));
}

void Registry::execute_token(std::string token_id, domain::TokenCommand command, CommandMeta meta,
                             CommandDone done) {
  run<TokenAgg>(std::move(token_id), std::move(command), std::move(meta), std::move(done));
}

void Registry::erase_personal_data(std::string member_id, CommandMeta meta, CommandDone done) {
  erase_personal_data(domain::ErasePersonalData{.member_id = std::move(member_id)}, std::move(meta),
                      std::move(done));
}

void Registry::erase_personal_data(domain::ErasePersonalData erase, CommandMeta meta,
                                   CommandDone done) {
  std::string member_id = erase.member_id;
  auto network = network_of_member(member_id);
  if (!network) {
    done(rejected(domain::not_found("member_not_found", "no member " + member_id)));
    return;
  }
  shred_then_run(std::move(*network), std::move(member_id), std::move(erase), std::move(meta),
                 std::move(done));
}

void Registry::close_join_request(std::string request_id, domain::NetworkCommand command,
                                  CommandMeta meta, CommandDone done) {
  auto network = network_of_join_request(request_id);
  if (!network) {
    done(rejected(domain::not_found("join_request_not_found", "no join request " + request_id)));
    return;
  }
  shred_then_run(std::move(*network), std::move(request_id), std::move(command), std::move(meta),
                 std::move(done));
}

std::optional<std::string> Registry::network_of_join_request(std::string_view request_id) const {
  std::shared_lock lock(mu_);
  const auto* r = impl_->models.get<projections::JoinRequests>().find(request_id);
  if (r == nullptr) return std::nullopt;
  return r->network_id;
}

void Registry::shred_then_run(std::string network, std::string subject,
                              domain::NetworkCommand command, CommandMeta meta, CommandDone done) {
  activity_.fetch_add(1, std::memory_order_relaxed);
  if (impl_->stopped.load()) {
    done(failure(CommandFailure::Kind::kUnavailable,
                 "the registry stopped applying its log at " + apply_failure()->reason));
    return;
  }
  // One sequencer task: check the command on the network's tail state (a
  // refused command deletes nothing), list the subject in the erasure list,
  // delete the key, record the fact. The list goes first, so no backup
  // restored later can miss an erasure whose key is gone; then the key:
  // should the append fail, the data is unreadable all the same and a retry
  // records it. The list's write and the key's deletion (with its compaction)
  // hold the sequencer; erasures are rare.
  impl_->sequencer.submit([this, network = std::move(network), subject = std::move(subject),
                           command = std::move(command), meta = std::move(meta),
                           done = std::move(done)]() mutable {
    auto found = tail_of<NetworkAgg>(domain::network_stream(network));
    if (!found) return done(from_store_error(found.error()));
    // If-Match first, as for every other command: a stale one destroys nothing.
    if (meta.if_match && *meta.if_match != (*found)->version) {
      CommandFailure f = failure(
          CommandFailure::Kind::kPreconditionFailed,
          "If-Match does not match the current version " + std::to_string((*found)->version));
      f.actual_version = (*found)->version;
      return done(std::move(f));
    }
    const auto& state = std::get<domain::NetworkState>((*found)->state);
    {
      std::shared_lock lock(mu_);
      auto decision = domain::decide(command, state, impl_->context());
      if (const auto* r = domain::rejection_of(decision)) {
        auto f = rejected(*r);
        lock.unlock();
        return done(std::move(f));
      }
    }
    if (!impl_->options.data_dir.empty()) {
      if (auto listed = add_erasure(impl_->options.data_dir, subject); !listed) {
        return done(from_store_error(listed.error()));
      }
    }
    if (auto erased = impl_->vault->erase(subject); !erased) {
      return done(from_store_error(erased.error()));
    }
    decide_and_append<NetworkAgg>(network, command, std::move(meta), std::move(done));
  });
}

std::optional<std::string> Registry::network_of_member(std::string_view member_id) const {
  std::shared_lock lock(mu_);
  const auto* n = impl_->view().network_of_member(member_id);
  if (n == nullptr) return std::nullopt;
  return n->network_id;
}

std::pair<std::string, std::string> Registry::new_token_secret() {
  std::string secret = crypto::random_token("ikv");
  return {secret, crypto::sha256_hex(secret)};
}

std::optional<Principal> Registry::authenticate(std::string_view secret) const {
  auto checked = check_secret(secret);
  if (auto* p = std::get_if<Principal>(&checked)) return std::move(*p);
  return std::nullopt;
}

std::variant<Principal, Registry::AuthRefusal> Registry::check_secret(
    std::string_view secret) const {
  if (secret.empty() || secret.size() > 256) return AuthRefusal::kInvalid;
  Impl& i = *impl_;
  const std::int64_t now_us = i.options.clock ? i.options.clock() : eventstore::system_clock_us();
  // The epoch is read before the tokens are: an answer made from tokens that
  // changed meanwhile carries an older epoch and is not used again.
  const std::uint64_t epoch = i.token_epoch.load(std::memory_order_acquire);
  if (auto hit = i.auth_cache.find(secret, epoch, now_us)) return std::move(*hit);
  const std::string hash = crypto::sha256_hex(secret);
  std::shared_lock lock(mu_);
  const auto* t = i.view().find_token_by_hash(hash);
  if (t == nullptr || t->revoked_at_us || !t->accepts(hash, now_us)) return AuthRefusal::kInvalid;
  if (t->expires_at_us && now_us >= *t->expires_at_us) return AuthRefusal::kExpired;
  Principal p{t->token_id, t->name, t->role, t->networks};
  // Good until the token expires, or, for a secret rotated away, until its
  // grace ends.
  std::int64_t until_us = t->expires_at_us.value_or(std::numeric_limits<std::int64_t>::max());
  for (const auto& previous : t->previous_secrets) {
    if (previous.secret_hash == hash && t->secret_hash != hash) {
      until_us = std::min(until_us, previous.valid_until_us);
    }
  }
  i.auth_cache.put(secret, epoch, until_us, p);
  return p;
}

std::uint64_t Registry::auth_cache_hits() const { return impl_->auth_cache.hits(); }

Result<std::optional<std::string>> Registry::bootstrap_admin(std::optional<std::string> secret) {
  std::string hash;
  {
    std::shared_lock lock(mu_);
    if (secret) {
      hash = crypto::sha256_hex(*secret);
      if (impl_->view().find_token_by_hash(hash) != nullptr) return std::optional<std::string>();
    } else {
      for (const auto& [id, t] : impl_->view().token_records()) {
        if (!t.revoked_at_us && t.role == domain::Role::kAdmin) return std::optional<std::string>();
      }
    }
  }
  std::string plain = secret ? *secret : std::string();
  if (!secret) std::tie(plain, hash) = new_token_secret();
  std::string name = "admin";
  {
    std::shared_lock lock(mu_);
    if (impl_->view().token_name_taken(name)) name = "admin-" + hash.substr(0, 8);
  }
  CommandMeta meta;
  meta.actor = "bootstrap";
  meta.request_id = "bootstrap";
  std::promise<CommandResult> promise;
  auto future = promise.get_future();
  std::string token_id = crypto::uuid_v4();
  execute_token(
      token_id,
      domain::IssueToken{
          .token_id = token_id, .name = name, .role = "admin", .networks = {}, .secret_hash = hash},
      std::move(meta), [&promise](CommandResult r) { promise.set_value(std::move(r)); });
  auto r = future.get();
  if (const auto* f = std::get_if<CommandFailure>(&r)) {
    return Error{ErrorCode::kInternal, "cannot issue the admin token: " + f->message, {}};
  }
  return std::optional<std::string>(plain);
}

Result<std::string> Registry::seal_secret(std::string_view subject, std::string_view plaintext) {
  return impl_->vault->seal(subject, plaintext);
}

Result<std::optional<std::string>> Registry::open_secret(std::string_view subject,
                                                         std::string_view sealed) const {
  return impl_->vault->open(subject, sealed);
}

}  // namespace ikv::app
