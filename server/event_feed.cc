#include "server/event_feed.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/json/serialize.hpp>

namespace ikv::server {

using Clock = std::chrono::steady_clock;

namespace {

// How long the watcher waits on the store per round (it checks for stop between).
constexpr int kWatchMs = 250;

}  // namespace

class EventFeed::Slot {
 public:
  explicit Slot(std::shared_ptr<std::atomic<std::size_t>> used) : used_(std::move(used)) {}
  ~Slot() { used_->fetch_sub(1); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  std::shared_ptr<std::atomic<std::size_t>> used_;
};

struct EventFeed::Core : std::enable_shared_from_this<EventFeed::Core> {
  struct Subscriber {
    std::shared_ptr<Slot> slot;
    std::shared_ptr<ChunkStream> stream;
    FeedSubscription sub;
    // Used by the worker thread only.
    std::uint64_t cursor = 0;
    Clock::time_point last_write;
    // Guarded by Core::mu.
    bool in_flight = false;
    bool dead = false;
  };
  using SubscriberPtr = std::shared_ptr<Subscriber>;

  Core(app::Registry& r, FeedOptions o) : registry(r), options(o) {}

  // Constant after construction.
  app::Registry& registry;
  const FeedOptions options;
  const std::shared_ptr<std::atomic<std::size_t>> used =
      std::make_shared<std::atomic<std::size_t>>(0);

  mutable std::mutex mu;
  std::condition_variable work_cv;   // the worker waits here
  std::condition_variable watch_cv;  // the watcher rests here when the store has stopped
  // Guarded by mu.
  std::vector<SubscriberPtr> subscribers;
  std::uint64_t head = 0;  // the newest head the watcher has seen
  bool stopping = false;
  bool started = false;
  std::thread worker;
  std::thread watcher;

  void start_locked() {
    if (started) return;
    started = true;
    head = registry.store().head_position();
    worker = std::thread([self = this] { self->run_worker(); });
    watcher = std::thread([self = this] { self->run_watcher(); });
  }

  void stop() {
    {
      std::lock_guard lock(mu);
      stopping = true;
    }
    work_cv.notify_all();
    watch_cv.notify_all();
    if (worker.joinable()) worker.join();
    if (watcher.joinable()) watcher.join();
    std::vector<SubscriberPtr> left;
    {
      std::lock_guard lock(mu);
      left.swap(subscribers);
    }
    for (auto& s : left) s->stream->finish();
  }

  void run_watcher() {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(mu);
      seen = head;
    }
    for (;;) {
      const auto began = Clock::now();
      const std::uint64_t now_head = registry.store().wait_for(seen + 1, kWatchMs);
      std::unique_lock lock(mu);
      if (stopping) return;
      if (now_head > seen) {
        seen = now_head;
        head = std::max(head, now_head);
        work_cv.notify_one();
      } else if (Clock::now() - began < std::chrono::milliseconds(kWatchMs / 2)) {
        // The store answered at once without news: it has closed. Rest.
        watch_cv.wait_for(lock, std::chrono::milliseconds(kWatchMs), [&] { return stopping; });
      }
    }
  }

  void run_worker() {
    std::unique_lock lock(mu);
    while (!stopping) {
      std::vector<SubscriberPtr> due;
      std::vector<SubscriberPtr> gone;
      const auto now = Clock::now();
      auto wake = now + std::chrono::seconds(1);
      for (auto it = subscribers.begin(); it != subscribers.end();) {
        Subscriber& s = **it;
        if (s.dead) {
          s.slot.reset();  // its place is free as soon as it leaves the list
          gone.push_back(std::move(*it));
          it = subscribers.erase(it);
          continue;
        }
        if (!s.in_flight) {
          if (s.cursor < head || now - s.last_write >= options.keep_alive) {
            s.in_flight = true;
            due.push_back(*it);
          } else {
            wake = std::min(wake, s.last_write + options.keep_alive);
          }
        }
        ++it;
      }
      if (due.empty() && gone.empty()) {
        work_cv.wait_until(lock, wake);
        continue;
      }
      lock.unlock();
      for (auto& s : gone) s->stream->finish();
      gone.clear();
      for (auto& s : due) serve(s);
      due.clear();
      lock.lock();
    }
  }

  // Sends the subscriber its next chunk, if it has one. Worker thread; no lock held.
  void serve(const SubscriberPtr& s) {
    std::string chunk;
    bool failed = false;
    const std::uint64_t head_now = registry.store().head_position();
    if (s->cursor < head_now) {
      eventstore::ReadAllOptions opts;
      opts.after = s->cursor;
      opts.limit = options.batch;
      opts.type = s->sub.type;
      opts.category = s->sub.category;
      auto events = registry.store().read_all(opts);
      if (!events) {
        spdlog::warn("event feed: reading the log failed: {}", events.error().message);
        failed = true;
      } else {
        for (const auto& e : *events) {
          auto json = s->sub.disclosure ? s->sub.disclosure->event(registry, e)
                                        : registry.event_json(e, false);
          if (!json) {
            spdlog::warn("event feed: event {} does not decode", e.position);
            failed = true;
            break;
          }
          chunk += message(e.position, e.type, *json);
          s->cursor = e.position;
        }
        // Fewer than a batch: nothing else matches up to the head read before.
        if (!failed && events->size() < options.batch) s->cursor = std::max(s->cursor, head_now);
        if (s->sub.disclosure) {
          if (failed) {
            s->sub.disclosure->discard();
          } else {
            s->sub.disclosure->commit();
          }
        }
      }
    }
    const auto now = Clock::now();
    if (!failed && chunk.empty() && now - s->last_write >= options.keep_alive) {
      chunk = ": keep-alive\n\n";
    }
    if (failed || chunk.empty()) {
      std::lock_guard lock(mu);
      s->in_flight = false;
      s->dead = s->dead || failed;
      work_cv.notify_one();
      return;
    }
    s->last_write = now;
    std::weak_ptr<Core> weak = shared_from_this();
    s->stream->write(std::move(chunk), [weak, s](bool ok) {
      auto core = weak.lock();
      if (!core) return;
      std::lock_guard lock(core->mu);
      s->in_flight = false;
      s->dead = s->dead || !ok;
      core->work_cv.notify_one();
    });
  }
};

EventFeed::EventFeed(app::Registry& registry, FeedOptions options)
    : core_(std::make_shared<Core>(registry, options)) {}

EventFeed::~EventFeed() { core_->stop(); }

std::shared_ptr<EventFeed::Slot> EventFeed::reserve() {
  std::size_t n = core_->used->load();
  do {
    if (n >= core_->options.max_subscribers) return nullptr;
  } while (!core_->used->compare_exchange_weak(n, n + 1));
  return std::make_shared<Slot>(core_->used);
}

void EventFeed::subscribe(std::shared_ptr<Slot> slot, std::shared_ptr<ChunkStream> stream,
                          FeedSubscription subscription) {
  auto s = std::make_shared<Core::Subscriber>();
  s->slot = std::move(slot);
  s->stream = std::move(stream);
  s->cursor = subscription.after;
  s->sub = std::move(subscription);
  s->last_write = Clock::now();
  bool added = false;
  {
    std::lock_guard lock(core_->mu);
    if (!core_->stopping) {
      core_->start_locked();
      core_->subscribers.push_back(s);
      added = true;
    }
  }
  if (!added) return s->stream->finish();  // the feed is stopping
  core_->work_cv.notify_one();
}

std::size_t EventFeed::subscriber_count() const {
  std::lock_guard lock(core_->mu);
  return core_->subscribers.size();
}

std::string EventFeed::message(std::uint64_t position, std::string_view type,
                               const boost::json::object& event) {
  std::string m = "id: " + std::to_string(position) + "\nevent: ";
  m += type;
  m += "\ndata: ";
  m += boost::json::serialize(event);
  m += "\n\n";
  return m;
}

}  // namespace ikv::server
