#include "eventstore/memory_event_store.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "eventstore/append_planner.h"
#include "eventstore/record_codec.h"

namespace ikv::eventstore {
namespace {

bool known_table(std::string_view t) { return is_side_table(t); }

Error unknown_table(std::string_view t) {
  return {ErrorCode::kInvalidArgument, "unknown side table " + std::string(t), std::nullopt};
}

class MemoryEventStore final : public EventStore {
 public:
  explicit MemoryEventStore(std::function<std::int64_t()> clock)
      : clock_(clock ? std::move(clock) : system_clock_us) {}
  MemoryEventStore(const MemoryEventStore&) = delete;
  MemoryEventStore& operator=(const MemoryEventStore&) = delete;
  ~MemoryEventStore() override = default;

  void append(AppendRequest req, AppendCallback done) override {
    std::vector<RecordedEvent> committed;
    Result<AppendResult> result = Error{ErrorCode::kInternal, "not run", std::nullopt};
    CommitListener listener;
    // Listener calls happen in log order without holding mu_, so a listener
    // may read the store: each commit takes a ticket under mu_ and waits for
    // its turn under listener_mu_.
    std::optional<std::uint64_t> ticket;
    {
      std::lock_guard lock(mu_);
      if (closed_) {
        result = Error{ErrorCode::kUnavailable, "the store is closed", std::nullopt};
      } else {
        last_recorded_at_ = std::max(last_recorded_at_, clock_());
        AppendPlanner planner(lookups(), log_.size() + 1, chain_head(), last_recorded_at_);
        result = planner.plan(req);
        if (result && !result->replayed) {
          for (const auto& p : planner.planned()) {
            ids_[p.event.event_id] = p.event.position;
            streams_[p.event.stream].push_back(p.event.position);
            committed.push_back(p.event);
            log_.push_back(p.event);
            log_.back().decided.reset();  // what reads give has no writer's form
          }
          for (const auto& s : req.side_puts) side_[s.table][s.key] = s.value;
          ++stats_.groups;
          ++stats_.appends;
          stats_.events += committed.size();
          listener = listener_;
          ticket = next_ticket_++;
        }
      }
    }
    if (ticket) {
      std::unique_lock turn(listener_mu_);
      listener_cv_.wait(turn, [&] { return serving_ticket_ == *ticket; });
      if (listener) listener(committed);
      {
        std::lock_guard lock(observer_mu_);
        if (observer_) observer_({.appends = 1, .events = committed.size(), .sync_us = 0});
      }
      ++serving_ticket_;
      listener_cv_.notify_all();
    }
    if (!committed.empty()) cv_.notify_all();
    done(std::move(result));
  }

  Result<std::vector<RecordedEvent>> read_stream(std::string_view stream, std::uint64_t from,
                                                 std::size_t limit) const override {
    std::lock_guard lock(mu_);
    std::vector<RecordedEvent> out;
    auto it = streams_.find(std::string(stream));
    if (it == streams_.end()) return out;
    for (std::uint64_t v = std::max<std::uint64_t>(from, 1);
         v <= it->second.size() && out.size() < limit; ++v) {
      out.push_back(log_[it->second[v - 1] - 1]);
    }
    return out;
  }

  Result<std::vector<RecordedEvent>> read_stream_backward(std::string_view stream,
                                                          std::uint64_t from,
                                                          std::size_t limit) const override {
    std::lock_guard lock(mu_);
    std::vector<RecordedEvent> out;
    auto it = streams_.find(std::string(stream));
    if (it == streams_.end()) return out;
    std::uint64_t v = std::min<std::uint64_t>(from, it->second.size());
    for (; v >= 1 && out.size() < limit; --v) out.push_back(log_[it->second[v - 1] - 1]);
    return out;
  }

  Result<std::vector<RecordedEvent>> read_all(const ReadAllOptions& opts) const override {
    std::lock_guard lock(mu_);
    std::vector<RecordedEvent> out;
    for (std::uint64_t p = opts.after + 1; p <= log_.size() && out.size() < opts.limit; ++p) {
      const auto& e = log_[p - 1];
      if (!opts.category.empty() && stream_category(e.stream) != opts.category) continue;
      if (!opts.type.empty() && e.type != opts.type) continue;
      out.push_back(e);
    }
    return out;
  }

  Result<std::uint64_t> scan_all(
      std::uint64_t after, const std::function<bool(const RecordedEvent&)>& visit) const override {
    std::vector<RecordedEvent> copy;
    {
      std::lock_guard lock(mu_);
      if (after < log_.size())
        copy.assign(log_.begin() + static_cast<std::ptrdiff_t>(after), log_.end());
    }
    std::uint64_t n = 0;
    for (const auto& e : copy) {
      ++n;
      if (!visit(e)) break;
    }
    return n;
  }

  Result<std::optional<RecordedEvent>> read_event(std::string_view event_id) const override {
    std::lock_guard lock(mu_);
    return lookups().event_by_id(std::string(event_id));
  }

  std::uint64_t stream_version(std::string_view stream) const override {
    std::lock_guard lock(mu_);
    auto it = streams_.find(std::string(stream));
    return it == streams_.end() ? 0 : it->second.size();
  }

  std::uint64_t head_position() const override {
    std::lock_guard lock(mu_);
    return log_.size();
  }

  Result<VerifyResult> verify(std::uint64_t from, std::uint64_t to) const override {
    std::lock_guard lock(mu_);
    VerifyResult r;
    if (to == 0 || to > log_.size()) to = log_.size();
    from = std::max<std::uint64_t>(from, 1);
    Hash prev = from >= 2 && from - 1 <= log_.size() ? log_[from - 2].hash : Hash{};
    for (std::uint64_t p = from; p <= to; ++p) {
      RecordedEvent e = log_[p - 1];
      const Hash stored = e.hash;
      const bool link_ok = e.prev_hash == prev;
      encode_record(e);
      ++r.events_checked;
      if (!link_ok || e.hash != stored) {
        r.ok = false;
        r.first_bad_position = p;
        r.problem =
            link_ok ? "hash does not match the event" : "link to the previous event is broken";
        return r;
      }
      prev = stored;
      r.head_position = p;
      r.head_hash = stored;
    }
    return r;
  }

  std::uint64_t wait_for(std::uint64_t position, int timeout_ms) const override {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                 [&] { return log_.size() >= position || closed_; });
    return log_.size();
  }

  Result<std::optional<std::string>> side_get(std::string_view table,
                                              std::string_view key) const override {
    if (!known_table(table)) return unknown_table(table);
    std::lock_guard lock(mu_);
    auto t = side_.find(std::string(table));
    if (t == side_.end()) return std::optional<std::string>();
    auto it = t->second.find(std::string(key));
    if (it == t->second.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  Status side_put(std::string_view table, std::string_view key, std::string_view value) override {
    if (!known_table(table)) return unknown_table(table);
    std::lock_guard lock(mu_);
    side_[std::string(table)][std::string(key)] = std::string(value);
    return ok_status();
  }

  Status side_erase(std::string_view table, std::string_view key) override {
    if (!known_table(table)) return unknown_table(table);
    std::lock_guard lock(mu_);
    side_[std::string(table)].erase(std::string(key));
    return ok_status();
  }

  Status side_scan(
      std::string_view table, std::string_view prefix,
      const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    if (!known_table(table)) return unknown_table(table);
    std::map<std::string, std::string> copy;
    {
      std::lock_guard lock(mu_);
      auto t = side_.find(std::string(table));
      if (t == side_.end()) return ok_status();
      for (auto it = t->second.lower_bound(std::string(prefix));
           it != t->second.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
        copy.insert(*it);
      }
    }
    for (const auto& [k, v] : copy) {
      if (!visit(k, v)) break;
    }
    return ok_status();
  }

  StoreStats stats() const override {
    std::lock_guard lock(mu_);
    return stats_;
  }

  void set_commit_listener(CommitListener listener) override {
    std::lock_guard lock(mu_);
    listener_ = std::move(listener);
  }

  void set_group_observer(GroupObserver observer) override {
    std::lock_guard lock(observer_mu_);
    observer_ = std::move(observer);
  }

  void close() override {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

 private:
  // REQUIRES: mu_ held.
  Hash chain_head() const { return log_.empty() ? Hash{} : log_.back().hash; }

  AppendPlanner::Lookups lookups() const {
    return {
        [this](const std::string& s) -> std::uint64_t {
          auto it = streams_.find(s);
          return it == streams_.end() ? 0 : it->second.size();
        },
        [this](const std::string& id) -> Result<std::optional<RecordedEvent>> {
          auto it = ids_.find(id);
          if (it == ids_.end()) return std::optional<RecordedEvent>();
          return std::optional<RecordedEvent>(log_[it->second - 1]);
        },
    };
  }

  // Constant after construction.
  const std::function<std::int64_t()> clock_;

  // Guarded by mu_.
  // Guarded by listener_mu_: whose turn it is to call the listener.
  std::mutex listener_mu_;
  std::condition_variable listener_cv_;
  std::uint64_t serving_ticket_ = 0;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<RecordedEvent> log_;
  std::unordered_map<std::string, std::vector<std::uint64_t>> streams_;
  std::unordered_map<std::string, std::uint64_t> ids_;
  std::map<std::string, std::map<std::string, std::string>> side_;
  CommitListener listener_;
  StoreStats stats_;
  std::uint64_t next_ticket_ = 0;
  std::int64_t last_recorded_at_ = 0;
  bool closed_ = false;

  // Guarded by observer_mu_.
  std::mutex observer_mu_;
  GroupObserver observer_;
};

}  // namespace

std::unique_ptr<EventStore> make_memory_event_store(std::function<std::int64_t()> clock) {
  return std::make_unique<MemoryEventStore>(std::move(clock));
}

}  // namespace ikv::eventstore
