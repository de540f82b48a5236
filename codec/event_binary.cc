// Each event type has a writer (domain struct -> its table in a builder) and a
// reader (verified table -> domain struct); the table of a domain type is
// named after it (FbOf below) and its union tag is its index in domain::Event
// plus one, checked at compile time.
#include "codec/event_binary.h"

#include <flatbuffers/flatbuffers.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "codec/event_schema.h"
#include "codec/events_generated.h"

namespace ikv::codec {

namespace {

using flatbuffers::FlatBufferBuilder;
using flatbuffers::Offset;
using StringList = flatbuffers::Vector<Offset<flatbuffers::String>>;

constexpr char kPersonalIdentifier[] = "IKVP";
constexpr char kJoinRequestIdentifier[] = "IKVJ";  // JoinRequestFields, sealed
constexpr std::size_t kInitialBuilderSize = 512;

Error corrupt(std::string_view what, std::string message) {
  return Error{ErrorCode::kCorruption, std::string(what) + ": " + std::move(message), std::nullopt};
}

// ---- The table of each domain type.

template <class T>
struct FbOf;
// clang-format off
template <> struct FbOf<domain::NetworkEstablished> { using type = fb::NetworkEstablished; };
template <> struct FbOf<domain::NetworkRenamed> { using type = fb::NetworkRenamed; };
template <> struct FbOf<domain::StewardshipTransferred> { using type = fb::StewardshipTransferred; };
template <> struct FbOf<domain::MemberJoined> { using type = fb::MemberJoined; };
template <> struct FbOf<domain::MemberLeft> { using type = fb::MemberLeft; };
template <> struct FbOf<domain::MemberDetailsChanged> { using type = fb::MemberDetailsChanged; };
template <> struct FbOf<domain::PersonalDataErased> { using type = fb::PersonalDataErased; };
template <> struct FbOf<domain::ObservationRecorded> { using type = fb::ObservationRecorded; };
template <> struct FbOf<domain::TrainingRequested> { using type = fb::TrainingRequested; };
template <> struct FbOf<domain::TrainingDelivered> { using type = fb::TrainingDelivered; };
template <> struct FbOf<domain::MeetingScheduled> { using type = fb::MeetingScheduled; };
template <> struct FbOf<domain::MeetingRescheduled> { using type = fb::MeetingRescheduled; };
template <> struct FbOf<domain::MeetingCancelled> { using type = fb::MeetingCancelled; };
template <> struct FbOf<domain::MeetingHeld> { using type = fb::MeetingHeld; };
template <> struct FbOf<domain::TaxonomyEntryAdded> { using type = fb::TaxonomyEntryAdded; };
template <> struct FbOf<domain::TokenIssued> { using type = fb::TokenIssued; };
template <> struct FbOf<domain::TokenRevoked> { using type = fb::TokenRevoked; };
template <> struct FbOf<domain::TokenRotated> { using type = fb::TokenRotated; };
template <> struct FbOf<domain::NetworkDetailsChanged> { using type = fb::NetworkDetailsChanged; };
template <> struct FbOf<domain::ObservationRetracted> { using type = fb::ObservationRetracted; };
template <> struct FbOf<domain::MeetingRecordAmended> { using type = fb::MeetingRecordAmended; };
template <> struct FbOf<domain::JoinRequested> { using type = fb::JoinRequested; };
template <> struct FbOf<domain::JoinRequestApproved> { using type = fb::JoinRequestApproved; };
template <> struct FbOf<domain::JoinRequestDeclined> { using type = fb::JoinRequestDeclined; };
template <> struct FbOf<domain::JoinRequestExpired> { using type = fb::JoinRequestExpired; };
template <> struct FbOf<domain::WishRecorded> { using type = fb::WishRecorded; };
// clang-format on

template <class T>
constexpr fb::Event kTag = fb::EventTraits<typename FbOf<T>::type>::enum_value;

template <std::size_t... I>
constexpr bool tags_follow_the_variant(std::index_sequence<I...>) {
  return ((static_cast<std::size_t>(kTag<std::variant_alternative_t<I, domain::Event>>) == I + 1) &&
          ...);
}
static_assert(
    tags_follow_the_variant(std::make_index_sequence<std::variant_size_v<domain::Event>>{}),
    "union Event in events.fbs must list the event types in the order of domain::Event");
static_assert(static_cast<std::size_t>(fb::Event::MAX) == std::variant_size_v<domain::Event>,
              "every event type needs a table in events.fbs");

// ---- Enums.

fb::Role to_fb(domain::Role role) {
  switch (role) {
    case domain::Role::kAdmin:
      return fb::Role::Admin;
    case domain::Role::kCoordinator:
      return fb::Role::Coordinator;
    case domain::Role::kAnalyst:
      return fb::Role::Analyst;
    case domain::Role::kAuditor:
      return fb::Role::Auditor;
  }
  return fb::Role::Analyst;
}

std::optional<domain::Role> from_fb(fb::Role role) {
  switch (role) {
    case fb::Role::Admin:
      return domain::Role::kAdmin;
    case fb::Role::Coordinator:
      return domain::Role::kCoordinator;
    case fb::Role::Analyst:
      return domain::Role::kAnalyst;
    case fb::Role::Auditor:
      return domain::Role::kAuditor;
  }
  return std::nullopt;  // a value this build does not know
}

fb::TaxonomyKind to_fb(domain::TaxonomyKind kind) {
  switch (kind) {
    case domain::TaxonomyKind::kSector:
      return fb::TaxonomyKind::Sector;
    case domain::TaxonomyKind::kTheme:
      return fb::TaxonomyKind::Theme;
    case domain::TaxonomyKind::kMeetingFormat:
      return fb::TaxonomyKind::MeetingFormat;
    case domain::TaxonomyKind::kTrainingTopic:
      return fb::TaxonomyKind::TrainingTopic;
    case domain::TaxonomyKind::kTargetGroup:
      return fb::TaxonomyKind::TargetGroup;
  }
  return fb::TaxonomyKind::Theme;
}

std::optional<domain::TaxonomyKind> from_fb(fb::TaxonomyKind kind) {
  switch (kind) {
    case fb::TaxonomyKind::Sector:
      return domain::TaxonomyKind::kSector;
    case fb::TaxonomyKind::Theme:
      return domain::TaxonomyKind::kTheme;
    case fb::TaxonomyKind::MeetingFormat:
      return domain::TaxonomyKind::kMeetingFormat;
    case fb::TaxonomyKind::TrainingTopic:
      return domain::TaxonomyKind::kTrainingTopic;
    case fb::TaxonomyKind::TargetGroup:
      return domain::TaxonomyKind::kTargetGroup;
  }
  return std::nullopt;
}

// ---- Writers.

Offset<flatbuffers::String> str(FlatBufferBuilder& b, const std::string& s) {
  return b.CreateString(s);
}
Offset<flatbuffers::String> opt_str(FlatBufferBuilder& b, const std::optional<std::string>& s) {
  return s ? b.CreateString(*s) : Offset<flatbuffers::String>();
}
Offset<StringList> strs(FlatBufferBuilder& b, const std::vector<std::string>& items) {
  std::vector<Offset<flatbuffers::String>> offsets;
  offsets.reserve(items.size());
  for (const std::string& item : items) offsets.push_back(b.CreateString(item));
  return b.CreateVector(offsets);
}
Offset<fb::LocalizedText> localized(FlatBufferBuilder& b, const domain::LocalizedText& t) {
  const auto fi = str(b, t.fi);
  const auto sv = str(b, t.sv);
  const auto en = str(b, t.en);
  return fb::CreateLocalizedText(b, fi, sv, en);
}
fb::Date date(const domain::Date& d) {
  return fb::Date(static_cast<std::int16_t>(d.year), static_cast<std::uint8_t>(d.month),
                  static_cast<std::uint8_t>(d.day));
}
fb::DatePrecision precision(const domain::Date& d) {
  return d.precision == domain::DatePrecision::kMonth ? fb::DatePrecision::Month
                                                      : fb::DatePrecision::Day;
}
// The steward as a reader of one name sees it: the single name, or the
// names of a list joined by ", ".
std::string steward_text(const std::string& steward, const std::vector<std::string>& stewards) {
  if (stewards.empty()) return steward;
  std::string out;
  for (const std::string& name : stewards) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

Offset<fb::Sealed> sealed_block(FlatBufferBuilder& b, const std::string& subject,
                                const std::string& sealed) {
  const auto s = str(b, subject);
  const auto bytes =
      b.CreateVector(reinterpret_cast<const std::uint8_t*>(sealed.data()), sealed.size());
  return fb::CreateSealed(b, s, bytes);
}

std::string finished(const FlatBufferBuilder& b) {
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

std::string personal_plaintext(const domain::PersonalData& p) {
  FlatBufferBuilder b(kInitialBuilderSize);
  const auto name = str(b, p.name);
  const auto email = str(b, p.email);
  const auto phone = opt_str(b, p.phone);
  b.Finish(fb::CreatePersonalFields(b, name, email, phone), kPersonalIdentifier);
  return finished(b);
}

// Seals the personal data of `member_id`; a null offset when there is none.
Result<Offset<fb::Sealed>> seal(FlatBufferBuilder& b, const std::string& member_id,
                                const std::optional<domain::PersonalData>& personal,
                                PersonalDataSealer& sealer) {
  if (!personal) return Offset<fb::Sealed>();
  Result<std::string> sealed = sealer.seal(member_id, personal_plaintext(*personal));
  if (!sealed) return sealed.error();
  return sealed_block(b, member_id, *sealed);
}

// Writers of the tables. `personal` is the sealed block or a null offset.
Offset<void> write(FlatBufferBuilder& b, const domain::NetworkEstablished& e) {
  const auto id = str(b, e.network_id);
  const auto name = localized(b, e.name);
  const auto region = str(b, e.region);
  const auto seat = str(b, e.seat);
  const auto steward = str(b, steward_text(e.steward, e.stewards));
  const auto stewards = e.stewards.empty() ? Offset<StringList>() : strs(b, e.stewards);
  const fb::Date on = date(e.established_on.value_or(domain::Date{}));
  return fb::CreateNetworkEstablished(
             b, id, name, region, seat, steward, e.established_on ? &on : nullptr,
             e.established_on ? precision(*e.established_on) : fb::DatePrecision::Day, stewards)
      .Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::NetworkRenamed& e) {
  const auto name = localized(b, e.name);
  return fb::CreateNetworkRenamed(b, name).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::StewardshipTransferred& e) {
  const auto steward = str(b, steward_text(e.steward, e.stewards));
  const auto stewards = e.stewards.empty() ? Offset<StringList>() : strs(b, e.stewards);
  const fb::Date on = date(e.effective_on);
  return fb::CreateStewardshipTransferred(b, steward, &on, precision(e.effective_on), stewards)
      .Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MemberJoined& e,
                   Offset<fb::Sealed> personal) {
  const auto id = str(b, e.member_id);
  const auto organisation = str(b, e.organisation);
  const auto sector = str(b, e.sector);
  const auto title = opt_str(b, e.title);
  const fb::Date on = date(e.joined_on);
  return fb::CreateMemberJoined(b, id, personal, organisation, sector, title, &on,
                                precision(e.joined_on))
      .Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MemberLeft& e) {
  const auto id = str(b, e.member_id);
  const auto reason = opt_str(b, e.reason);
  const fb::Date on = date(e.left_on);
  return fb::CreateMemberLeft(b, id, &on, reason, precision(e.left_on)).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MemberDetailsChanged& e,
                   Offset<fb::Sealed> personal) {
  const auto id = str(b, e.member_id);
  const auto organisation = opt_str(b, e.organisation);
  const auto sector = opt_str(b, e.sector);
  const auto title = opt_str(b, e.title);
  const auto reason = opt_str(b, e.reason);
  return fb::CreateMemberDetailsChanged(b, id, personal, organisation, sector, title, reason)
      .Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::PersonalDataErased& e) {
  const auto id = str(b, e.member_id);
  const auto reason = opt_str(b, e.reason);
  const auto request_ref = opt_str(b, e.request_ref);
  return fb::CreatePersonalDataErased(b, id, reason, request_ref).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::ObservationRecorded& e) {
  const auto id = str(b, e.observation_id);
  const auto theme = str(b, e.theme);
  const auto groups = strs(b, e.target_groups);
  const auto meeting = opt_str(b, e.meeting_id);
  const auto summary = opt_str(b, e.summary);
  const fb::Date on = date(e.observed_on);
  return fb::CreateObservationRecorded(b, id, theme, &on, groups, meeting, summary,
                                       precision(e.observed_on))
      .Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::TrainingRequested& e) {
  const auto id = str(b, e.request_id);
  const auto topic = str(b, e.topic);
  const auto notes = opt_str(b, e.notes);
  const fb::Date on = date(e.requested_on);
  return fb::CreateTrainingRequested(b, id, topic, &on, notes, precision(e.requested_on)).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::TrainingDelivered& e) {
  const auto id = str(b, e.training_id);
  const auto topic = str(b, e.topic);
  const auto request = opt_str(b, e.request_id);
  const fb::Date on = date(e.delivered_on);
  return fb::CreateTrainingDelivered(b, id, topic, &on, e.participants, precision(e.delivered_on),
                                     request)
      .Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MeetingScheduled& e) {
  const auto id = str(b, e.meeting_id);
  const auto network = str(b, e.network_id);
  const auto joint = strs(b, e.joint_with);
  const auto format = opt_str(b, e.format);
  const auto location = str(b, e.location);
  const auto agenda = strs(b, e.agenda);
  const fb::Date on = date(e.scheduled_for);
  return fb::CreateMeetingScheduled(b, id, network, joint, &on, format, location, agenda,
                                    precision(e.scheduled_for))
      .Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MeetingRescheduled& e) {
  const auto format = opt_str(b, e.format);
  const auto location = opt_str(b, e.location);
  const fb::Date on = date(e.scheduled_for);
  return fb::CreateMeetingRescheduled(b, &on, format, location, precision(e.scheduled_for)).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MeetingCancelled& e) {
  const auto reason = opt_str(b, e.reason);
  return fb::CreateMeetingCancelled(b, reason).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MeetingHeld& e) {
  const auto attendees = strs(b, e.attendees);
  const auto themes = strs(b, e.themes);
  const auto notes = opt_str(b, e.notes);
  const auto format = opt_str(b, e.format);
  const fb::Date on = date(e.held_on);
  fb::MeetingHeldBuilder t(b);
  t.add_held_on(&on);
  t.add_attendees(attendees);
  if (e.attendee_count) t.add_attendee_count(*e.attendee_count);
  t.add_themes(themes);
  t.add_notes(notes);
  t.add_held_on_precision(precision(e.held_on));
  t.add_format(format);
  return t.Finish().Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::TaxonomyEntryAdded& e) {
  const auto code = str(b, e.code);
  const auto labels = localized(b, e.labels);
  const auto family = opt_str(b, e.family);
  const auto aliases = e.aliases.empty() ? Offset<StringList>() : strs(b, e.aliases);
  return fb::CreateTaxonomyEntryAdded(b, to_fb(e.kind), code, labels, family, aliases).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::TokenIssued& e) {
  const auto id = str(b, e.token_id);
  const auto name = str(b, e.name);
  const auto networks = strs(b, e.networks);
  const auto hash = str(b, e.secret_hash);
  fb::TokenIssuedBuilder t(b);
  t.add_token_id(id);
  t.add_name(name);
  t.add_role(to_fb(e.role));
  t.add_networks(networks);
  t.add_secret_hash(hash);
  if (e.expires_at_us) t.add_expires_at_us(*e.expires_at_us);
  return t.Finish().Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::TokenRevoked& e) {
  const auto id = str(b, e.token_id);
  return fb::CreateTokenRevoked(b, id).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::TokenRotated& e) {
  const auto id = str(b, e.token_id);
  const auto hash = str(b, e.secret_hash);
  return fb::CreateTokenRotated(b, id, hash, e.previous_valid_until_us).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::NetworkDetailsChanged& e) {
  const auto name = e.name ? localized(b, *e.name) : Offset<fb::LocalizedText>();
  const auto region = opt_str(b, e.region);
  const auto seat = opt_str(b, e.seat);
  const auto reason = opt_str(b, e.reason);
  return fb::CreateNetworkDetailsChanged(b, name, region, seat, reason).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::ObservationRetracted& e) {
  const auto id = str(b, e.observation_id);
  const auto reason = str(b, e.reason);
  return fb::CreateObservationRetracted(b, id, reason).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::MeetingRecordAmended& e) {
  const auto attendees = strs(b, e.attendees);
  const auto themes = strs(b, e.themes);
  const auto notes = opt_str(b, e.notes);
  const auto reason = str(b, e.reason);
  const auto format = opt_str(b, e.format);
  const fb::Date on = date(e.held_on);
  fb::MeetingRecordAmendedBuilder t(b);
  t.add_held_on(&on);
  t.add_attendees(attendees);
  if (e.attendee_count) t.add_attendee_count(*e.attendee_count);
  t.add_themes(themes);
  t.add_notes(notes);
  t.add_reason(reason);
  t.add_held_on_precision(precision(e.held_on));
  t.add_format(format);
  return t.Finish().Union();
}

Offset<void> write(FlatBufferBuilder& b, const domain::JoinRequested& e,
                   Offset<fb::Sealed> details) {
  const auto id = str(b, e.request_id);
  const auto organisation = str(b, e.organisation);
  const auto sector = str(b, e.sector);
  return fb::CreateJoinRequested(b, id, details, organisation, sector, e.requested_at_us).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::JoinRequestApproved& e) {
  const auto id = str(b, e.request_id);
  const auto member = str(b, e.member_id);
  return fb::CreateJoinRequestApproved(b, id, member).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::JoinRequestDeclined& e) {
  const auto id = str(b, e.request_id);
  const auto reason = opt_str(b, e.reason);
  return fb::CreateJoinRequestDeclined(b, id, reason).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::JoinRequestExpired& e) {
  const auto id = str(b, e.request_id);
  return fb::CreateJoinRequestExpired(b, id).Union();
}
Offset<void> write(FlatBufferBuilder& b, const domain::WishRecorded& e) {
  const auto id = str(b, e.wish_id);
  const auto kind = str(b, std::string(domain::to_string(e.kind)));
  const auto text = str(b, e.text);
  const auto format = opt_str(b, e.format);
  const fb::Date on = date(e.recorded_on);
  return fb::CreateWishRecorded(b, id, kind, text, &on, precision(e.recorded_on), format).Union();
}

std::string join_request_plaintext(const domain::JoinRequestDetails& d) {
  FlatBufferBuilder b(kInitialBuilderSize);
  const auto name = str(b, d.personal.name);
  const auto email = str(b, d.personal.email);
  const auto phone = opt_str(b, d.personal.phone);
  const auto title = opt_str(b, d.title);
  const auto message = opt_str(b, d.message);
  b.Finish(fb::CreateJoinRequestFields(b, name, email, phone, title, message),
           kJoinRequestIdentifier);
  return finished(b);
}

template <class T>
Result<std::string> encode_one(const T& e, PersonalDataSealer& sealer) {
  FlatBufferBuilder b(kInitialBuilderSize);
  Offset<void> body;
  if constexpr (std::is_same_v<T, domain::JoinRequested>) {
    Offset<fb::Sealed> details;
    if (e.details) {
      Result<std::string> sealed = sealer.seal(e.request_id, join_request_plaintext(*e.details));
      if (!sealed) return sealed.error();
      details = sealed_block(b, e.request_id, *sealed);
    }
    body = write(b, e, details);
  } else if constexpr (kHasPersonalData<T>) {
    Result<Offset<fb::Sealed>> personal = seal(b, e.member_id, e.personal, sealer);
    if (!personal) return personal.error();
    body = write(b, e, *personal);
  } else {
    body = write(b, e);
  }
  fb::FinishPayloadBuffer(b, fb::CreatePayload(b, kTag<T>, body));
  return finished(b);
}

// ---- Readers.

// True for well-formed UTF-8 (no overlong forms, no surrogates, at most
// U+10FFFF), as the JSON form of release 1 required of every text.
bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) <= n) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::size_t i = 2; i <= n; ++i) {
      if (p[i] < 0x80 || p[i] > 0xbf) return false;
    }
    p += n + 1;
  }
  return true;
}

// Field access on a verified table: remembers the first problem and returns
// defaults after it, so a reader reads every field and checks ok() once.
class Reader {
 public:
  explicit Reader(std::string_view what) : what_(what) {}

  std::string str(const flatbuffers::String* s, std::string_view field) {
    if (s == nullptr) {
      fail("missing field '" + std::string(field) + "'");
      return {};
    }
    return text(s, field);
  }
  std::optional<std::string> opt_str(const flatbuffers::String* s, std::string_view field) {
    if (s == nullptr) return std::nullopt;
    return text(s, field);
  }
  std::vector<std::string> strs(const StringList* list, std::string_view field) {
    std::vector<std::string> out;
    if (list == nullptr) {
      fail("missing field '" + std::string(field) + "'");
      return out;
    }
    out.reserve(list->size());
    for (const flatbuffers::String* s : *list) out.push_back(str(s, field));
    return out;
  }
  domain::Date date(const fb::Date* d, fb::DatePrecision precision, std::string_view field) {
    if (d == nullptr) {
      fail("missing field '" + std::string(field) + "'");
      return {};
    }
    domain::Date out{d->year(), d->month(), d->day()};
    switch (precision) {
      case fb::DatePrecision::Day:
        break;
      case fb::DatePrecision::Month:
        out.precision = domain::DatePrecision::kMonth;
        break;
      default:
        fail("field '" + std::string(field) + "_precision' has an unknown value");
        return {};
    }
    if (!domain::is_valid(out)) fail("field '" + std::string(field) + "' is not a date");
    return out;
  }
  domain::LocalizedText localized(const fb::LocalizedText* t, std::string_view field) {
    if (t == nullptr) {
      fail("missing field '" + std::string(field) + "'");
      return {};
    }
    return {str(t->fi(), "fi"), str(t->sv(), "sv"), str(t->en(), "en")};
  }
  domain::Role role(fb::Role r) {
    if (std::optional<domain::Role> out = from_fb(r)) return *out;
    fail("field 'role' is not a role");
    return domain::Role::kAnalyst;
  }
  domain::TaxonomyKind taxonomy_kind(fb::TaxonomyKind k) {
    if (std::optional<domain::TaxonomyKind> out = from_fb(k)) return *out;
    fail("field 'kind' is not a taxonomy kind");
    return domain::TaxonomyKind::kTheme;
  }

  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  bool ok() const { return error_.empty(); }
  Error error() const { return corrupt(what_, error_); }

 private:
  std::string text(const flatbuffers::String* s, std::string_view field) {
    const std::string_view view(s->data(), s->size());
    if (!valid_utf8(view)) fail("field '" + std::string(field) + "' is not UTF-8");
    return std::string(view);
  }

  std::string_view what_;
  std::string error_;
};

// A steward as written: the list when the payload has one (release 2), else
// the one name.
template <class Table, class Event>
void read_steward(Reader& r, const Table& t, Event& e) {
  if (t.stewards() == nullptr) {
    e.steward = r.str(t.steward(), "steward");
    return;
  }
  e.stewards = r.strs(t.stewards(), "stewards");
  if (e.stewards.empty()) r.fail("field 'stewards' is empty");
}
void read(Reader& r, const fb::NetworkEstablished& t, domain::NetworkEstablished& e) {
  e.network_id = r.str(t.network_id(), "network_id");
  e.name = r.localized(t.name(), "name");
  e.region = r.str(t.region(), "region");
  e.seat = r.str(t.seat(), "seat");
  read_steward(r, t, e);
  if (t.established_on() != nullptr) {
    e.established_on = r.date(t.established_on(), t.established_on_precision(), "established_on");
  }
}
void read(Reader& r, const fb::NetworkRenamed& t, domain::NetworkRenamed& e) {
  e.name = r.localized(t.name(), "name");
}
void read(Reader& r, const fb::StewardshipTransferred& t, domain::StewardshipTransferred& e) {
  read_steward(r, t, e);
  e.effective_on = r.date(t.effective_on(), t.effective_on_precision(), "effective_on");
}
void read(Reader& r, const fb::MemberJoined& t, domain::MemberJoined& e) {
  e.member_id = r.str(t.member_id(), "member_id");
  e.organisation = r.str(t.organisation(), "organisation");
  e.sector = r.str(t.sector(), "sector");
  e.title = r.opt_str(t.title(), "title");
  e.joined_on = r.date(t.joined_on(), t.joined_on_precision(), "joined_on");
}
void read(Reader& r, const fb::MemberLeft& t, domain::MemberLeft& e) {
  e.member_id = r.str(t.member_id(), "member_id");
  e.left_on = r.date(t.left_on(), t.left_on_precision(), "left_on");
  e.reason = r.opt_str(t.reason(), "reason");
}
void read(Reader& r, const fb::MemberDetailsChanged& t, domain::MemberDetailsChanged& e) {
  e.member_id = r.str(t.member_id(), "member_id");
  e.organisation = r.opt_str(t.organisation(), "organisation");
  e.sector = r.opt_str(t.sector(), "sector");
  e.title = r.opt_str(t.title(), "title");
  e.reason = r.opt_str(t.reason(), "reason");
}
void read(Reader& r, const fb::PersonalDataErased& t, domain::PersonalDataErased& e) {
  e.member_id = r.str(t.member_id(), "member_id");
  e.reason = r.opt_str(t.reason(), "reason");
  e.request_ref = r.opt_str(t.request_ref(), "request_ref");
}
void read(Reader& r, const fb::ObservationRecorded& t, domain::ObservationRecorded& e) {
  e.observation_id = r.str(t.observation_id(), "observation_id");
  e.theme = r.str(t.theme(), "theme");
  e.observed_on = r.date(t.observed_on(), t.observed_on_precision(), "observed_on");
  e.target_groups = r.strs(t.target_groups(), "target_groups");
  e.meeting_id = r.opt_str(t.meeting_id(), "meeting_id");
  e.summary = r.opt_str(t.summary(), "summary");
}
void read(Reader& r, const fb::TrainingRequested& t, domain::TrainingRequested& e) {
  e.request_id = r.str(t.request_id(), "request_id");
  e.topic = r.str(t.topic(), "topic");
  e.requested_on = r.date(t.requested_on(), t.requested_on_precision(), "requested_on");
  e.notes = r.opt_str(t.notes(), "notes");
}
void read(Reader& r, const fb::TrainingDelivered& t, domain::TrainingDelivered& e) {
  e.training_id = r.str(t.training_id(), "training_id");
  e.topic = r.str(t.topic(), "topic");
  e.delivered_on = r.date(t.delivered_on(), t.delivered_on_precision(), "delivered_on");
  e.participants = t.participants();
  e.request_id = r.opt_str(t.request_id(), "request_id");
}
void read(Reader& r, const fb::MeetingScheduled& t, domain::MeetingScheduled& e) {
  e.meeting_id = r.str(t.meeting_id(), "meeting_id");
  e.network_id = r.str(t.network_id(), "network_id");
  e.joint_with = r.strs(t.joint_with(), "joint_with");
  e.scheduled_for = r.date(t.scheduled_for(), t.scheduled_for_precision(), "scheduled_for");
  e.format = r.opt_str(t.format(), "format");
  e.location = r.str(t.location(), "location");
  e.agenda = r.strs(t.agenda(), "agenda");
}
void read(Reader& r, const fb::MeetingRescheduled& t, domain::MeetingRescheduled& e) {
  e.scheduled_for = r.date(t.scheduled_for(), t.scheduled_for_precision(), "scheduled_for");
  e.format = r.opt_str(t.format(), "format");
  e.location = r.opt_str(t.location(), "location");
}
void read(Reader& r, const fb::MeetingCancelled& t, domain::MeetingCancelled& e) {
  e.reason = r.opt_str(t.reason(), "reason");
}
void read(Reader& r, const fb::MeetingHeld& t, domain::MeetingHeld& e) {
  e.held_on = r.date(t.held_on(), t.held_on_precision(), "held_on");
  e.attendees = r.strs(t.attendees(), "attendees");
  if (const flatbuffers::Optional<std::int32_t> n = t.attendee_count()) e.attendee_count = *n;
  e.themes = r.strs(t.themes(), "themes");
  e.notes = r.opt_str(t.notes(), "notes");
  e.format = r.opt_str(t.format(), "format");
}
void read(Reader& r, const fb::TaxonomyEntryAdded& t, domain::TaxonomyEntryAdded& e) {
  e.kind = r.taxonomy_kind(t.kind());
  e.code = r.str(t.code(), "code");
  e.labels = r.localized(t.labels(), "labels");
  e.family = r.opt_str(t.family(), "family");
  if (t.aliases() != nullptr) e.aliases = r.strs(t.aliases(), "aliases");
}
void read(Reader& r, const fb::TokenIssued& t, domain::TokenIssued& e) {
  e.token_id = r.str(t.token_id(), "token_id");
  e.name = r.str(t.name(), "name");
  e.role = r.role(t.role());
  e.networks = r.strs(t.networks(), "networks");
  e.secret_hash = r.str(t.secret_hash(), "secret_hash");
  if (const flatbuffers::Optional<std::int64_t> at = t.expires_at_us()) e.expires_at_us = *at;
}
void read(Reader& r, const fb::TokenRevoked& t, domain::TokenRevoked& e) {
  e.token_id = r.str(t.token_id(), "token_id");
}
void read(Reader& r, const fb::TokenRotated& t, domain::TokenRotated& e) {
  e.token_id = r.str(t.token_id(), "token_id");
  e.secret_hash = r.str(t.secret_hash(), "secret_hash");
  e.previous_valid_until_us = t.previous_valid_until_us();
}
void read(Reader& r, const fb::NetworkDetailsChanged& t, domain::NetworkDetailsChanged& e) {
  if (t.name() != nullptr) e.name = r.localized(t.name(), "name");
  e.region = r.opt_str(t.region(), "region");
  e.seat = r.opt_str(t.seat(), "seat");
  e.reason = r.opt_str(t.reason(), "reason");
}
void read(Reader& r, const fb::ObservationRetracted& t, domain::ObservationRetracted& e) {
  e.observation_id = r.str(t.observation_id(), "observation_id");
  e.reason = r.str(t.reason(), "reason");
}
void read(Reader& r, const fb::JoinRequested& t, domain::JoinRequested& e) {
  e.request_id = r.str(t.request_id(), "request_id");
  e.organisation = r.str(t.organisation(), "organisation");
  e.sector = r.str(t.sector(), "sector");
  e.requested_at_us = t.requested_at_us();
}
void read(Reader& r, const fb::JoinRequestApproved& t, domain::JoinRequestApproved& e) {
  e.request_id = r.str(t.request_id(), "request_id");
  e.member_id = r.str(t.member_id(), "member_id");
}
void read(Reader& r, const fb::JoinRequestDeclined& t, domain::JoinRequestDeclined& e) {
  e.request_id = r.str(t.request_id(), "request_id");
  e.reason = r.opt_str(t.reason(), "reason");
}
void read(Reader& r, const fb::JoinRequestExpired& t, domain::JoinRequestExpired& e) {
  e.request_id = r.str(t.request_id(), "request_id");
}
void read(Reader& r, const fb::WishRecorded& t, domain::WishRecorded& e) {
  e.wish_id = r.str(t.wish_id(), "wish_id");
  if (auto kind = domain::parse_wish_kind(r.str(t.kind(), "kind"))) {
    e.kind = *kind;
  } else {
    r.fail("field 'kind' is not a wish kind");
  }
  e.text = r.str(t.text(), "text");
  e.recorded_on = r.date(t.recorded_on(), t.recorded_on_precision(), "recorded_on");
  e.format = r.opt_str(t.format(), "format");
}
void read(Reader& r, const fb::MeetingRecordAmended& t, domain::MeetingRecordAmended& e) {
  e.held_on = r.date(t.held_on(), t.held_on_precision(), "held_on");
  e.attendees = r.strs(t.attendees(), "attendees");
  if (const flatbuffers::Optional<std::int32_t> n = t.attendee_count()) e.attendee_count = *n;
  e.themes = r.strs(t.themes(), "themes");
  e.notes = r.opt_str(t.notes(), "notes");
  e.reason = r.str(t.reason(), "reason");
  e.format = r.opt_str(t.format(), "format");
}

// `bytes` at an address fit for reading the buffer in place: the bytes
// themselves when 8-aligned (FlatBuffers reads scalars through typed pointers,
// and its verifier checks alignment relative to the buffer's start), otherwise
// a copy held by this object.
class Aligned {
 public:
  explicit Aligned(std::string_view bytes) : view_(bytes) {
    if (reinterpret_cast<std::uintptr_t>(bytes.data()) % alignof(std::uint64_t) == 0) return;
    copy_ = std::make_unique<std::uint64_t[]>(bytes.size() / sizeof(std::uint64_t) + 1);
    std::memcpy(copy_.get(), bytes.data(), bytes.size());
    view_ = std::string_view(reinterpret_cast<const char*>(copy_.get()), bytes.size());
  }
  Aligned(const Aligned&) = delete;
  Aligned& operator=(const Aligned&) = delete;
  ~Aligned() = default;

  const std::uint8_t* data() const { return reinterpret_cast<const std::uint8_t*>(view_.data()); }
  std::size_t size() const { return view_.size(); }

 private:
  std::unique_ptr<std::uint64_t[]> copy_;
  std::string_view view_;
};

struct OpenedPersonal {
  std::optional<domain::PersonalData> data;
  bool erased = false;
};

Result<OpenedPersonal> open_personal(const fb::Sealed* block, const std::string& member_id,
                                     const PersonalDataOpener& opener) {
  if (block == nullptr) return OpenedPersonal{};
  const std::string_view subject(block->subject()->data(), block->subject()->size());
  if (subject != member_id) return corrupt("personal", "subject is not the member");
  const std::string_view sealed(reinterpret_cast<const char*>(block->sealed()->data()),
                                block->sealed()->size());
  Result<std::optional<std::string>> plain = opener.open(subject, sealed);
  if (!plain) return plain.error();
  if (!plain->has_value()) return OpenedPersonal{std::nullopt, true};
  const Aligned bytes(**plain);
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!verifier.VerifyBuffer<fb::PersonalFields>(kPersonalIdentifier)) {
    return corrupt("personal data", "not a PersonalFields buffer");
  }
  const auto* fields = flatbuffers::GetRoot<fb::PersonalFields>(bytes.data());
  Reader r("personal data");
  domain::PersonalData data{r.str(fields->name(), "name"), r.str(fields->email(), "email"),
                            r.opt_str(fields->phone(), "phone")};
  if (!r.ok()) return r.error();
  return OpenedPersonal{std::move(data), false};
}

// The details of a join request sealed for `request_id`; nullopt when absent
// or erased.
Result<std::optional<domain::JoinRequestDetails>> open_join_request(
    const fb::Sealed* block, const std::string& request_id, const PersonalDataOpener& opener) {
  if (block == nullptr) return std::optional<domain::JoinRequestDetails>();
  const std::string_view subject(block->subject()->data(), block->subject()->size());
  if (subject != request_id) return corrupt("details", "subject is not the request");
  const std::string_view sealed(reinterpret_cast<const char*>(block->sealed()->data()),
                                block->sealed()->size());
  Result<std::optional<std::string>> plain = opener.open(subject, sealed);
  if (!plain) return plain.error();
  if (!plain->has_value()) return std::optional<domain::JoinRequestDetails>();
  const Aligned bytes(**plain);
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!verifier.VerifyBuffer<fb::JoinRequestFields>(kJoinRequestIdentifier)) {
    return corrupt("details", "not a JoinRequestFields buffer");
  }
  const auto* fields = flatbuffers::GetRoot<fb::JoinRequestFields>(bytes.data());
  Reader r("join request details");
  domain::JoinRequestDetails d{{r.str(fields->name(), "name"), r.str(fields->email(), "email"),
                                r.opt_str(fields->phone(), "phone")},
                               r.opt_str(fields->title(), "title"),
                               r.opt_str(fields->message(), "message")};
  if (!r.ok()) return r.error();
  return std::optional<domain::JoinRequestDetails>(std::move(d));
}

template <class T>
Result<domain::Event> decode_one(const fb::Payload& payload, const PersonalDataOpener& opener) {
  constexpr std::string_view kName = kTypeInfo<T>.name;
  const auto* table = payload.event_as<typename FbOf<T>::type>();
  if (table == nullptr) return corrupt(kName, "the payload holds another event type");
  T e{};
  Reader r(kName);
  read(r, *table, e);
  if (!r.ok()) return r.error();
  if constexpr (std::is_same_v<T, domain::JoinRequested>) {
    auto opened = open_join_request(table->details(), e.request_id, opener);
    if (!opened) return opened.error();
    e.details = std::move(*opened);
  }
  if constexpr (kHasPersonalData<T>) {
    Result<OpenedPersonal> opened = open_personal(table->personal(), e.member_id, opener);
    if (!opened) return opened.error();
    e.personal = std::move(opened->data);
    if constexpr (std::is_same_v<T, domain::MemberDetailsChanged>) {
      e.personal_erased = opened->erased;
    }
  }
  return domain::Event(std::move(e));
}

using Decoder = Result<domain::Event> (*)(const fb::Payload&, const PersonalDataOpener&);

template <std::size_t... I>
constexpr std::array<Decoder, sizeof...(I)> make_decoders(std::index_sequence<I...>) {
  return {&decode_one<std::variant_alternative_t<I, domain::Event>>...};
}

constexpr auto kDecoders =
    make_decoders(std::make_index_sequence<std::variant_size_v<domain::Event>>{});

}  // namespace

Result<std::string> encode_binary(const domain::Event& event, PersonalDataSealer& sealer) {
  return std::visit([&sealer](const auto& e) { return encode_one(e, sealer); }, event);
}

Result<domain::Event> decode_binary(std::size_t type_index, std::string_view payload,
                                    const PersonalDataOpener& opener) {
  const Aligned bytes(payload);
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!fb::VerifyPayloadBuffer(verifier)) {
    return corrupt("payload", "not a verified IKV2 FlatBuffers payload");
  }
  return kDecoders[type_index](*fb::GetPayload(bytes.data()), opener);
}

}  // namespace ikv::codec
