// StreamEvents: the events of one stream, read back from the log for a read
// model that keeps only where they are. A meeting's record keeps the recorded
// times of its first and last events, not a copy of each event (the log has
// them): the answers that show the events (a meeting's history) or need an
// earlier state (a report as known at an instant between the two) ask a
// StreamEvents, which the caller owns. The folds stay free of I/O.
//
// LogStreamEvents reads them from an EventStore and decodes them with an
// opener of personal data (a meeting's events carry none:
// codec::WithoutPersonalData will do).
//
// Thread-safety: LogStreamEvents is as thread-safe as its store and opener;
// it keeps no state of its own.
//
//   LogStreamEvents events(store, codec::WithoutPersonalData{});
//   auto answer = view.meeting(id, events);   // with its "history"
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "codec/personal_data.h"
#include "common/result.h"
#include "domain/event.h"
#include "eventstore/event_store.h"

namespace ikv::projections {

// One stored event with its decoded form.
struct DecodedEvent {
  eventstore::RecordedEvent meta;
  domain::Event event;
};

class StreamEvents {
 public:
  virtual ~StreamEvents() = default;
  // The events of `stream` with versions 1..up_to, in order. Errors: the
  // log's; kCorruption when an event is missing or does not decode.
  virtual Result<std::vector<DecodedEvent>> read(std::string_view stream,
                                                 std::uint64_t up_to) const = 0;

 protected:
  // Implementations may be copied and moved; the interface alone may not (no slicing).
  StreamEvents() = default;
  StreamEvents(const StreamEvents&) = default;
  StreamEvents& operator=(const StreamEvents&) = default;
  StreamEvents(StreamEvents&&) = default;
  StreamEvents& operator=(StreamEvents&&) = default;
};

class LogStreamEvents final : public StreamEvents {
 public:
  LogStreamEvents(const eventstore::EventStore& store, const codec::PersonalDataOpener& opener)
      : store_(store), opener_(opener) {}

  Result<std::vector<DecodedEvent>> read(std::string_view stream,
                                         std::uint64_t up_to) const override;

 private:
  const eventstore::EventStore& store_;
  const codec::PersonalDataOpener& opener_;
};

}  // namespace ikv::projections
