// Test support for the projections: a hand-built log of domain events with
// their envelopes (positions, stream versions, recorded times, actors), and
// short constructors of the events the tests use most.
//
// Thread-safety: none; one test at a time.
//
//   TestLog log;
//   log.add(network_stream("oulu"), established("oulu"));
//   log.at(instant("2024-05-01T10:00:00Z")).add(network_stream("oulu"), joined("m1", ...));
//   RegistryView view = log.replay();
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "domain/event.h"
#include "domain/streams.h"
#include "eventstore/event_store.h"
#include "projections/read_models.h"
#include "projections/registry_view.h"
#include "projections/stream_events.h"

namespace ikv::projections::testing {

// The type name of an event as the codec stores it.
std::string type_name(const domain::Event& event);

// A date from "YYYY-MM-DD" (the test fails on a bad literal).
domain::Date day(const char* text);
// An instant from RFC 3339 text (the test fails on a bad literal).
std::int64_t instant(const char* text);

// A log of events in memory. It is also the StreamEvents of the read models
// replayed from it (a meeting's history is read back from it).
class TestLog : public StreamEvents {
 public:
  using Entry = DecodedEvent;

  // The next event is recorded at `recorded_at_us`; later ones one second
  // apart after it, unless set again.
  TestLog& at(std::int64_t recorded_at_us);
  TestLog& as(std::string actor);
  // Appends an event to `stream`, with the next position and stream version.
  TestLog& add(const std::string& stream, domain::Event event);

  const std::vector<Entry>& entries() const { return entries_; }
  Result<std::vector<DecodedEvent>> read(std::string_view stream,
                                         std::uint64_t up_to) const override;
  // Applies entries [from, to) to `unit` (the view or another read-model unit).
  void apply_to(Projection& unit, std::size_t from = 0, std::size_t to = SIZE_MAX) const;
  // A fresh view of every entry.
  RegistryView replay() const;
  // Every read-model unit, fed every entry.
  ReadModels replay_models() const;

 private:
  std::vector<Entry> entries_;
  std::int64_t next_recorded_at_us_ = 1'704'067'200'000'000;  // 2024-01-01T00:00:00Z
  std::string actor_ = "demo-loader";
};

// ---- event constructors ----
domain::NetworkEstablished established(const std::string& id, const char* on = "2020-01-01",
                                       const std::string& steward = "Victim Support Finland");
domain::MemberJoined joined(const std::string& member_id, const std::string& sector, const char* on,
                            const std::string& name = "Anna Virtanen");
domain::MemberLeft left(const std::string& member_id, const char* on,
                        std::optional<std::string> reason = std::nullopt);
domain::MeetingScheduled scheduled(const std::string& meeting_id, const std::string& network,
                                   const char* on, std::vector<std::string> joint_with = {},
                                   const std::string& format = "in_person");
domain::MeetingHeld held(const char* on, std::vector<std::string> attendees = {},
                         std::optional<int> count = 10);
domain::ObservationRecorded observed(const std::string& id, const std::string& theme,
                                     const char* on, std::vector<std::string> target_groups = {});

// The "items" of a list answer.
const boost::json::array& items(const boost::json::object& answer);
// The values of `field` in the items of a list answer, as strings.
std::vector<std::string> item_field(const boost::json::object& answer, const char* field);

}  // namespace ikv::projections::testing
