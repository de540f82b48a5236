// The stored shape of every event: its stable type name, its schema versions,
// and the JSON writer and reader of its fields. The JSON form is what release 1
// stored (read on replay, upcast by upcast.cc) and what reads show (event_json.cc);
// new payloads are FlatBuffers (events.fbs, event_binary.h). Personal data (the
// `personal` field of MemberJoined and MemberDetailsChanged) is not handled here
// but by event_codec.cc and event_binary.cc (sealed) and event_json.cc (public view).
//
// Storage contract: type names and field names are never renamed. Schema
// versions 1..json_version of a type are JSON payloads (older ones upcast to
// json_version on read); `version` (json_version + 1 for the types of release
// 1; 1 with json_version 0 for a type added later) is the binary payload of
// events.fbs, which evolves by adding optional fields (see
// docs/storage-encoding.md). A later change of meaning adds a version here.
//
// Thread-safety: pure functions and constants; safe from any thread.
#pragma once

#include <boost/json.hpp>

#include <cstdint>
#include <string_view>

#include "codec/json_reader.h"
#include "domain/event.h"

namespace ikv::codec {

struct TypeInfo {
  std::string_view name;           // empty in the primary template: not an event
  std::uint32_t json_version = 0;  // the last version stored as JSON (release 1)
  std::uint32_t version = 0;       // the current version: the FlatBuffers payload
};

template <class T>
inline constexpr TypeInfo kTypeInfo{};

// clang-format off
template <> inline constexpr TypeInfo kTypeInfo<domain::NetworkEstablished>{"NetworkEstablished", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::NetworkRenamed>{"NetworkRenamed", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::StewardshipTransferred>{"StewardshipTransferred", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::MemberJoined>{"MemberJoined", 2, 3};
template <> inline constexpr TypeInfo kTypeInfo<domain::MemberLeft>{"MemberLeft", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::MemberDetailsChanged>{"MemberDetailsChanged", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::PersonalDataErased>{"PersonalDataErased", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::ObservationRecorded>{"ObservationRecorded", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::TrainingRequested>{"TrainingRequested", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::TrainingDelivered>{"TrainingDelivered", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::MeetingScheduled>{"MeetingScheduled", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::MeetingRescheduled>{"MeetingRescheduled", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::MeetingCancelled>{"MeetingCancelled", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::MeetingHeld>{"MeetingHeld", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::TaxonomyEntryAdded>{"TaxonomyEntryAdded", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::TokenIssued>{"TokenIssued", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::TokenRevoked>{"TokenRevoked", 1, 2};
template <> inline constexpr TypeInfo kTypeInfo<domain::TokenRotated>{"TokenRotated", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::NetworkDetailsChanged>{"NetworkDetailsChanged", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::ObservationRetracted>{"ObservationRetracted", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::MeetingRecordAmended>{"MeetingRecordAmended", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::JoinRequested>{"JoinRequested", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::JoinRequestApproved>{"JoinRequestApproved", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::JoinRequestDeclined>{"JoinRequestDeclined", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::JoinRequestExpired>{"JoinRequestExpired", 0, 1};
template <> inline constexpr TypeInfo kTypeInfo<domain::WishRecorded>{"WishRecorded", 0, 1};
// clang-format on

// Events whose `personal` field holds personal data.
template <class T>
inline constexpr bool kHasPersonalData =
    std::is_same_v<T, domain::MemberJoined> || std::is_same_v<T, domain::MemberDetailsChanged>;

// Writes every field but `personal` as JSON (the shape of json_version).
void write_fields(const domain::NetworkEstablished& e, boost::json::object& o);
void write_fields(const domain::NetworkRenamed& e, boost::json::object& o);
void write_fields(const domain::StewardshipTransferred& e, boost::json::object& o);
void write_fields(const domain::MemberJoined& e, boost::json::object& o);
void write_fields(const domain::MemberLeft& e, boost::json::object& o);
void write_fields(const domain::MemberDetailsChanged& e, boost::json::object& o);
void write_fields(const domain::PersonalDataErased& e, boost::json::object& o);
void write_fields(const domain::ObservationRecorded& e, boost::json::object& o);
void write_fields(const domain::TrainingRequested& e, boost::json::object& o);
void write_fields(const domain::TrainingDelivered& e, boost::json::object& o);
void write_fields(const domain::MeetingScheduled& e, boost::json::object& o);
void write_fields(const domain::MeetingRescheduled& e, boost::json::object& o);
void write_fields(const domain::MeetingCancelled& e, boost::json::object& o);
void write_fields(const domain::MeetingHeld& e, boost::json::object& o);
void write_fields(const domain::TaxonomyEntryAdded& e, boost::json::object& o);
void write_fields(const domain::TokenIssued& e, boost::json::object& o);
void write_fields(const domain::TokenRevoked& e, boost::json::object& o);
void write_fields(const domain::TokenRotated& e, boost::json::object& o);
void write_fields(const domain::NetworkDetailsChanged& e, boost::json::object& o);
void write_fields(const domain::ObservationRetracted& e, boost::json::object& o);
void write_fields(const domain::MeetingRecordAmended& e, boost::json::object& o);
void write_fields(const domain::JoinRequested& e, boost::json::object& o);
void write_fields(const domain::JoinRequestApproved& e, boost::json::object& o);
void write_fields(const domain::JoinRequestDeclined& e, boost::json::object& o);
void write_fields(const domain::JoinRequestExpired& e, boost::json::object& o);
void write_fields(const domain::WishRecorded& e, boost::json::object& o);

// Reads every field but `personal` from a JSON payload of json_version;
// problems are recorded in `r`.
void read_fields(JsonReader& r, domain::NetworkEstablished& e);
void read_fields(JsonReader& r, domain::NetworkRenamed& e);
void read_fields(JsonReader& r, domain::StewardshipTransferred& e);
void read_fields(JsonReader& r, domain::MemberJoined& e);
void read_fields(JsonReader& r, domain::MemberLeft& e);
void read_fields(JsonReader& r, domain::MemberDetailsChanged& e);
void read_fields(JsonReader& r, domain::PersonalDataErased& e);
void read_fields(JsonReader& r, domain::ObservationRecorded& e);
void read_fields(JsonReader& r, domain::TrainingRequested& e);
void read_fields(JsonReader& r, domain::TrainingDelivered& e);
void read_fields(JsonReader& r, domain::MeetingScheduled& e);
void read_fields(JsonReader& r, domain::MeetingRescheduled& e);
void read_fields(JsonReader& r, domain::MeetingCancelled& e);
void read_fields(JsonReader& r, domain::MeetingHeld& e);
void read_fields(JsonReader& r, domain::TaxonomyEntryAdded& e);
void read_fields(JsonReader& r, domain::TokenIssued& e);
void read_fields(JsonReader& r, domain::TokenRevoked& e);
void read_fields(JsonReader& r, domain::TokenRotated& e);
void read_fields(JsonReader& r, domain::NetworkDetailsChanged& e);
void read_fields(JsonReader& r, domain::ObservationRetracted& e);
void read_fields(JsonReader& r, domain::MeetingRecordAmended& e);
void read_fields(JsonReader& r, domain::JoinRequested& e);
void read_fields(JsonReader& r, domain::JoinRequestApproved& e);
void read_fields(JsonReader& r, domain::JoinRequestDeclined& e);
void read_fields(JsonReader& r, domain::JoinRequestExpired& e);
void read_fields(JsonReader& r, domain::WishRecorded& e);

}  // namespace ikv::codec
