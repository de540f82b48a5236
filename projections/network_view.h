// The read model of one network (stream "network-<id>"): names, stewardship
// history, every member ever with both the effective dates and the recorded
// times of joining and leaving (and the details corrections replaced),
// observations (retracted ones marked), training and wishes; a member's
// personal fields only sealed (personal_seal.h). Plain records
// folded by apply_event(); RegistryView owns one per network and
// renders them (see registry_view.h).
//
// Recorded times are UTC microseconds (RecordedEvent::recorded_at_us).
//
// Thread-safety: plain values and pure functions; a record must not be
// folded while another thread reads it.
//
//   NetworkRecord n = establish_network(meta, established);
//   apply_event(n, meta, member_left);
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/id_map.h"
#include "domain/date.h"
#include "domain/network_events.h"
#include "domain/values.h"
#include "eventstore/event_store.h"
#include "projections/day_index.h"
#include "projections/observation_rows.h"
#include "projections/packed_list.h"
#include "projections/paging.h"
#include "projections/personal_seal.h"
#include "projections/roster_index.h"

namespace ikv::projections {

struct StewardshipEntry {
  std::string steward;               // one organisation ("" when `stewards` is set)
  std::optional<domain::Date> from;  // effective date; nullopt: an establishment of unknown date
  std::int64_t recorded_at_us = 0;
  std::vector<std::string> stewards;  // the organisations, when written as a list

  bool operator==(const StewardshipEntry&) const = default;
};

// A member's correctable details as they stood until a MemberDetailsChanged
// replaced them (recorded at `until_us`): what a read as known at an earlier
// instant shows.
struct MemberDetails {
  SealedPersonal sealed_personal;  // empty once erased (or unreadable)
  std::string organisation;
  std::string sector;
  std::optional<std::string> title;
  std::int64_t until_us = 0;

  bool operator==(const MemberDetails&) const = default;
};

// A member as the view keeps it, under its id in NetworkRecord::members
// (members.id_of(record) gives the id back; the record does not repeat it).
struct MemberRecord {
  // The personal fields (name, e-mail, phone), sealed for the member id;
  // empty once erased (or unreadable). Never held in clear.
  SealedPersonal sealed_personal;
  bool erased = false;  // PersonalDataErased was recorded
  std::string organisation;
  std::string sector;
  std::optional<std::string> title;
  domain::Date joined_on;
  std::optional<domain::Date> left_on;
  std::optional<std::string> leave_reason;
  std::int64_t joined_recorded_at_us = 0;
  std::optional<std::int64_t> left_recorded_at_us;
  std::vector<MemberDetails> earlier;  // details replaced by corrections, oldest first

  // The details as known at `known_at_us` (the current ones when absent or
  // when no correction was recorded after it).
  MemberDetails details_known(std::optional<std::int64_t> known_at_us) const;
  // Was the join recorded at or before `known_at_us` (always, when absent)?
  bool known(std::optional<std::int64_t> known_at_us) const {
    return !known_at_us || joined_recorded_at_us <= *known_at_us;
  }
  // The leave date as the registry knew it at `known_at_us` (now, when absent).
  std::optional<domain::Date> left_on_known(std::optional<std::int64_t> known_at_us) const {
    if (!left_on || (known_at_us && *left_recorded_at_us > *known_at_us)) return std::nullopt;
    return left_on;
  }
  // Joined and not left (as known at `known_at_us`).
  bool is_current(std::optional<std::int64_t> known_at_us = std::nullopt) const {
    return known(known_at_us) && !left_on_known(known_at_us);
  }
  // Counts on day `d`: joined_on <= d < left_on (as known at `known_at_us`).
  bool is_member_on(const domain::Date& d,
                    std::optional<std::int64_t> known_at_us = std::nullopt) const {
    if (!known(known_at_us) || d < joined_on) return false;
    const std::optional<domain::Date> left = left_on_known(known_at_us);
    return !left || d < *left;
  }
  // The personal fields are gone for good.
  bool personal_gone() const { return erased || sealed_personal.empty(); }

  bool operator==(const MemberRecord&) const = default;
};

// A wish or goal of the network (WishRecorded); it names no person.
struct WishRecord {
  std::string wish_id;
  domain::WishKind kind = domain::WishKind::kOther;
  std::string text;
  domain::Date recorded_on;
  std::optional<std::string> format;  // a meeting format code (kind meeting_format)
  std::int64_t recorded_at_us = 0;
  std::uint64_t position = 0;  // of its WishRecorded in the global log

  bool operator==(const WishRecord&) const = default;
};

struct TrainingRequestRecord {
  std::string request_id;
  std::string topic;
  domain::Date requested_on;
  std::optional<std::string> notes;
  std::int64_t recorded_at_us = 0;

  bool operator==(const TrainingRequestRecord&) const = default;
};

struct TrainingDeliveryRecord {
  std::string training_id;
  std::string topic;
  domain::Date delivered_on;
  int participants = 0;
  std::int64_t recorded_at_us = 0;
  std::optional<std::string> request_id;  // the request it answers

  bool operator==(const TrainingDeliveryRecord&) const = default;
};

// How a network keeps its training records (packed_list.h), in the view
// snapshot's grammar (view_snapshot.h: "training request", "training delivery").
struct TrainingRequestCodec {
  using Record = TrainingRequestRecord;
  static void write(SnapshotWriter& w, const Record& r);
  static Record read(SnapshotReader& r);
  static void skip(SnapshotReader& r);
};
struct TrainingDeliveryCodec {
  using Record = TrainingDeliveryRecord;
  static void write(SnapshotWriter& w, const Record& t);
  static Record read(SnapshotReader& r);
  static void skip(SnapshotReader& r);
  // What the network's indexes take of a delivery, read in place from its
  // bytes (PackedList::bytes_of): no record built.
  struct Counted {
    std::int64_t participants = 0;
    std::optional<std::string_view> request_id;
  };
  static Counted counted(std::string_view bytes);
};

// Ordered indexes of one network's lists, kept by apply_event() next to the
// records so that a page or a count costs O(log n + page), never a walk of
// the whole history. Derived data only: snapshots do not store them, and
// NetworkRecord::rebuild_indexes() restores them from the records.
// The roster orders members as sort_key({joined_on, member id}) (roster_index.h);
// observation keys are {observed_on, log position} and wish keys
// {recorded_on, log position}, held as numbers (DayPosition, paging.h) and
// ordered as their text.
struct NetworkIndexes {
  using ByDay = DayIndex;  // sort key -> index in the record's list
  RosterIndex roster;      // every member ever, the current ones, both per sector
  ByDay observations;      // key -> index in observations
  std::map<std::string, ByDay, std::less<>> observations_by_theme;
  // request id -> index in trainings of the delivery that answered it
  std::map<std::string, std::size_t, std::less<>> delivery_by_request;
  ByDay wishes;  // key -> index in wishes

  bool operator==(const NetworkIndexes&) const = default;
};

// The keys of the observation and wish indexes.
DayPosition observation_key(const domain::Date& observed_on, std::uint64_t position);
DayPosition wish_key(const WishRecord& w);

struct NetworkRecord {
  std::string network_id;
  domain::LocalizedText name;
  std::string region;
  std::string seat;
  std::optional<domain::Date> established_on;  // nullopt: not known
  std::int64_t established_recorded_at_us = 0;
  std::vector<StewardshipEntry> stewardship;           // in log order; never empty
  IdMap<MemberRecord> members;                         // every member ever, by id
  ObservationRows observations;                        // in log order
  PackedList<TrainingRequestCodec> training_requests;  // in log order
  PackedList<TrainingDeliveryCodec> trainings;         // delivered, in log order
  std::vector<WishRecord> wishes;                      // in log order
  std::int64_t training_participants = 0;              // over every delivery
  std::size_t retracted_observations = 0;              // derived from observations
  NetworkIndexes indexes;                              // derived from the lists above

  // The steward in charge: the entry with the latest effective date (among
  // those in effect on `today`, when given; an unknown date is in effect
  // from the start); of equal dates the later recorded.
  // Falls back to the first entry when none is in effect yet.
  const StewardshipEntry& steward_on(std::optional<domain::Date> today) const;
  std::size_t current_member_count() const;
  // Current members (joined, not left) per sector code; sectors with none are absent.
  std::map<std::string, std::size_t> current_members_by_sector() const;
  // Members per sector code counted on day `d` (joined_on <= d < left_on).
  std::map<std::string, std::size_t> members_by_sector_on(const domain::Date& d) const;
  // Recomputes `indexes`, `training_participants` and `retracted_observations`
  // from the records (after a snapshot load, which stores none of them).
  void rebuild_indexes();

  bool operator==(const NetworkRecord&) const = default;
};

// The record a NetworkEstablished starts.
NetworkRecord establish_network(const eventstore::RecordedEvent& meta,
                                const domain::NetworkEstablished& event);

// Fold one later event of the network's stream into its record. Never fail:
// events that do not fit (an unknown member, a second establishment) change
// nothing. One overload per event type, so a new network event breaks the
// build until it is handled here.
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::NetworkEstablished& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::NetworkRenamed& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::StewardshipTransferred& e);
// The personal fields of a join or a correction are kept sealed with `seal`.
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberJoined& e, const PersonalSeal& seal);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberLeft& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::MemberDetailsChanged& e, const PersonalSeal& seal);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::PersonalDataErased& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::ObservationRecorded& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::TrainingRequested& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::TrainingDelivered& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::NetworkDetailsChanged& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::ObservationRetracted& e);
void apply_event(NetworkRecord& n, const eventstore::RecordedEvent& meta,
                 const domain::WishRecorded& e);

}  // namespace ikv::projections
