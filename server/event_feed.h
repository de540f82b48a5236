// EventFeed: the live feed of the global log as Server-Sent Events, for any
// number of subscribers at once.
//
// Each subscriber has a cursor (the last position it was sent) and optional
// type and category filters. It first gets the history after its cursor, then
// every new event as it is committed, in log order, with no gap and no
// duplicate: one message per event, `id:` the decimal position, `event:` the
// type, `data:` the event JSON on one line. What a chunk shows of personal
// data in clear is recorded in the access log when the chunk is queued. After `keep_alive` without
// a message it gets a comment line (": keep-alive").
//
// Two threads of the feed serve every subscriber; neither the HTTP io threads
// nor the store's writer ever wait for a subscriber:
// - a watcher waits on the store for the head to move (EventStore::wait_for)
//   and wakes the worker;
// - the worker reads the store (at most `batch` events per subscriber and
//   round), renders and queues one chunk per subscriber at a time; the next
//   chunk is made only once the previous one is written, so a slow client
//   holds back nobody but itself (and the server's write timeout ends it).
// A subscriber ends when a write fails (client gone, write timeout, server
// stopping) or when the feed is destroyed. The threads start with the first
// subscriber.
//
// Thread-safety: all methods are thread-safe. The feed must be destroyed
// before the Registry it reads.
//
//   auto feed = std::make_shared<EventFeed>(registry);
//   auto slot = feed->reserve();
//   if (!slot) return respond(problem_503("too many live subscribers", 5s));
//   ctx.respond_stream({.head = head, .on_open = [feed, slot, sub](auto stream) {
//     feed->subscribe(slot, std::move(stream), sub);
//   }});
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "app/registry.h"
#include "server/disclosure.h"
#include "server/http/http_types.h"

namespace ikv::server {

struct FeedOptions {
  // Subscribers served at once; reserve() refuses more.
  std::size_t max_subscribers = 256;
  // A comment line goes out after this long without a message.
  std::chrono::milliseconds keep_alive{15000};
  // Events per chunk (and per subscriber and round) at most.
  std::size_t batch = 256;
};

struct FeedSubscription {
  std::uint64_t after = 0;  // deliver positions > after
  std::string type;         // "" = every type
  std::string category;     // "" = every stream category
  // Renders the events in the reader's scope and records what each chunk
  // shows in clear (disclosure.h). Unset: every personal field is null.
  std::shared_ptr<Disclosure> disclosure;
};

class EventFeed {
 public:
  // A reserved place for one subscriber; the place is freed when the last
  // reference to it goes (unused, or when its subscriber ends).
  class Slot;

  explicit EventFeed(app::Registry& registry, FeedOptions options = {});
  // Stops the threads and finishes every open stream.
  ~EventFeed();
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // A place for one more subscriber, or nullptr when max_subscribers are served.
  std::shared_ptr<Slot> reserve();
  // Starts serving `stream`. REQUIRES: `slot` came from this feed's reserve().
  void subscribe(std::shared_ptr<Slot> slot, std::shared_ptr<ChunkStream> stream,
                 FeedSubscription subscription);
  // Subscribers being served now.
  std::size_t subscriber_count() const;

  // One SSE message: "id: <position>\nevent: <type>\ndata: <json>\n\n".
  static std::string message(std::uint64_t position, std::string_view type,
                             const boost::json::object& event);

 private:
  struct Core;
  std::shared_ptr<Core> core_;
};

}  // namespace ikv::server
