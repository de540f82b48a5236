#include "projections/registry_view.h"

#include <algorithm>
#include <stdexcept>
#include <variant>

#include "domain/streams.h"

namespace ikv::projections {

namespace {

// The id part of "<category>-<id>", or "" when the stream is not of `category`.
std::string_view stream_id(std::string_view stream, std::string_view category) {
  if (stream.size() <= category.size() + 1 || stream.substr(0, category.size()) != category ||
      stream[category.size()] != '-') {
    return {};
  }
  return stream.substr(category.size() + 1);
}

// A meeting as RegistryView keeps it (encode_meeting's bytes, checked when
// they were made or read from a snapshot): bytes that do not decode are a bug.
MeetingRecord decode_kept_meeting(std::string_view bytes) {
  std::optional<MeetingRecord> m = decode_meeting(bytes);
  if (!m) throw std::logic_error("a kept meeting record does not decode");
  return std::move(*m);
}

}  // namespace

// The visitor of RegistryView::apply: one overload per event type and no
// generic fallback, so a new event type breaks the build until it is handled.
struct RegistryFold {
  RegistryView& v;
  const eventstore::RecordedEvent& meta;

  // ---- network-<id> ----
  void operator()(const domain::NetworkEstablished& e) const {
    if (stream_id(meta.stream, domain::kNetworkCategory) != e.network_id) return;
    if (v.networks_.contains(e.network_id)) return;
    v.networks_.emplace(e.network_id, establish_network(meta, e));
  }
  void operator()(const domain::NetworkRenamed& e) const { network(e); }
  void operator()(const domain::StewardshipTransferred& e) const { network(e); }
  void operator()(const domain::MemberJoined& e) const {
    NetworkRecord* n = v.network_of_stream(meta.stream);
    if (n == nullptr) return;
    apply_event(*n, meta, e, *v.seal_.seal);
    if (e.personal) v.emails_.note(e.personal->email, e.member_id);
    v.member_network_.note(e.member_id, n->network_id);
  }
  void operator()(const domain::MemberLeft& e) const { network(e); }
  void operator()(const domain::MemberDetailsChanged& e) const {
    NetworkRecord* n = v.network_of_stream(meta.stream);
    if (n == nullptr) return;
    apply_event(*n, meta, e, *v.seal_.seal);
    if (e.personal) v.emails_.note(e.personal->email, e.member_id);
  }
  void operator()(const domain::PersonalDataErased& e) const { network(e); }
  void operator()(const domain::ObservationRecorded& e) const {
    if (meta.stream == domain::kNationalStream) {
      if (v.national_.observations.find(e.observation_id)) return;
      apply_event(v.national_, meta, e);
      return;
    }
    network(e);
  }
  void operator()(const domain::TrainingRequested& e) const { network(e); }
  void operator()(const domain::TrainingDelivered& e) const { network(e); }
  void operator()(const domain::NetworkDetailsChanged& e) const { network(e); }
  void operator()(const domain::ObservationRetracted& e) const {
    if (meta.stream == domain::kNationalStream) {
      apply_event(v.national_, meta, e);
      return;
    }
    network(e);
  }
  void operator()(const domain::WishRecorded& e) const { network(e); }
  // Join requests are the JoinRequests unit's (join_requests.h); an approval's
  // MemberJoined comes as its own event.
  void operator()(const domain::JoinRequested& /*e*/) const {}
  void operator()(const domain::JoinRequestApproved& /*e*/) const {}
  void operator()(const domain::JoinRequestDeclined& /*e*/) const {}
  void operator()(const domain::JoinRequestExpired& /*e*/) const {}

  // ---- meeting-<uuid> ----
  void operator()(const domain::MeetingScheduled& e) const {
    if (v.meetings_.contains(stream_id(meta.stream, domain::kMeetingCategory))) {
      meeting(e);
      return;
    }
    if (stream_id(meta.stream, domain::kMeetingCategory) != e.meeting_id) return;
    const MeetingRecord m = schedule_meeting(meta, e);
    v.index_meeting(m);
    v.meetings_.put(e.meeting_id, encode_meeting(m));
  }
  void operator()(const domain::MeetingRescheduled& e) const { meeting(e); }
  void operator()(const domain::MeetingCancelled& e) const { meeting(e); }
  void operator()(const domain::MeetingHeld& e) const { meeting(e); }
  void operator()(const domain::MeetingRecordAmended& e) const { meeting(e); }

  // ---- taxonomy ----
  void operator()(const domain::TaxonomyEntryAdded& e) const {
    v.taxonomy_.put(e.kind, e.code, e.labels, e.family, e.aliases);
  }

  // ---- token-<id> ----
  void operator()(const domain::TokenIssued& e) const {
    if (v.tokens_.contains(e.token_id)) return;
    v.tokens_.emplace(e.token_id, TokenRecord{e.token_id,
                                              e.name,
                                              e.role,
                                              e.networks,
                                              meta.recorded_at_us,
                                              std::nullopt,
                                              e.secret_hash,
                                              e.expires_at_us,
                                              {}});
    v.token_by_hash_.emplace(e.secret_hash, e.token_id);
    v.token_by_name_.emplace(e.name, e.token_id);
  }
  void operator()(const domain::TokenRevoked& e) const {
    const auto it = v.tokens_.find(e.token_id);
    if (it == v.tokens_.end() || it->second.revoked_at_us) return;
    it->second.revoked_at_us = meta.recorded_at_us;
  }
  void operator()(const domain::TokenRotated& e) const {
    const auto it = v.tokens_.find(e.token_id);
    if (it == v.tokens_.end() || it->second.revoked_at_us) return;
    TokenRecord& t = it->second;
    t.previous_secrets.push_back({t.secret_hash, e.previous_valid_until_us});
    t.secret_hash = e.secret_hash;
    v.token_by_hash_.emplace(e.secret_hash, e.token_id);
  }

 private:
  template <class E>
  void network(const E& e) const {
    if (NetworkRecord* n = v.network_of_stream(meta.stream)) apply_event(*n, meta, e);
  }
  // A meeting is kept encoded (RegistryView::meetings_): decoded, folded,
  // filed again and encoded again.
  template <class E>
  void meeting(const E& e) const {
    const std::string_view id = stream_id(meta.stream, domain::kMeetingCategory);
    const auto kept = v.meetings_.find(id);
    if (!kept) return;
    MeetingRecord m = decode_kept_meeting(kept->bytes);
    apply_event(m, meta, e);
    v.index_meeting(m);
    v.meetings_.put(id, encode_meeting(m));
  }
};

bool TokenRecord::accepts(std::string_view hash, std::int64_t now_us) const {
  // Constant time per candidate: the hashes compared are of equal length.
  const auto same = [hash](std::string_view stored) {
    if (stored.size() != hash.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; const char c : stored) {
      diff |= static_cast<unsigned char>(c ^ hash[i++]);
    }
    return diff == 0;
  };
  if (same(secret_hash)) return true;
  return std::ranges::any_of(previous_secrets, [&](const PreviousSecret& p) {
    return now_us < p.valid_until_us && same(p.secret_hash);
  });
}

RegistryView::RegistryView() : taxonomy_(domain::builtin_taxonomy()) {}

void RegistryView::apply(const eventstore::RecordedEvent& meta, const domain::Event& event) {
  if (meta.position != 0 && meta.position <= position_) return;
  if (meta.position != 0) position_ = meta.position;
  std::visit(RegistryFold{*this, meta}, event);
  // After the fold: a MeetingScheduled has just made the meeting's entry.
  raise_version(meta.stream, meta.version);
}

void RegistryView::raise_version(std::string_view stream, std::uint64_t version) {
  if (const std::string_view meeting = stream_id(stream, domain::kMeetingCategory);
      !meeting.empty() && meetings_.raise_version(meeting, version)) {
    return;
  }
  const auto it = stream_versions_.find(stream);
  if (it == stream_versions_.end()) {
    stream_versions_.emplace(stream, version);
  } else if (it->second < version) {
    it->second = version;
  }
}

std::uint64_t RegistryView::meeting_version(std::string_view meeting_id) const {
  const auto m = meetings_.find(meeting_id);
  return m ? m->version : 0;
}

std::uint64_t RegistryView::version_of(std::string_view stream) const {
  if (const std::string_view meeting = stream_id(stream, domain::kMeetingCategory);
      !meeting.empty()) {
    if (const auto m = meetings_.find(meeting)) return m->version;
  }
  const auto it = stream_versions_.find(stream);
  return it == stream_versions_.end() ? 0 : it->second;
}

NetworkRecord* RegistryView::network_of_stream(std::string_view stream) {
  const std::string_view id = stream_id(stream, domain::kNetworkCategory);
  const auto it = networks_.find(id);
  return it == networks_.end() ? nullptr : &it->second;
}

const NetworkRecord* RegistryView::find_network(std::string_view network_id) const {
  const auto it = networks_.find(network_id);
  return it == networks_.end() ? nullptr : &it->second;
}

const std::vector<WishRecord>& RegistryView::wishes_of(std::string_view network_id) const {
  static const std::vector<WishRecord> kNone;
  const NetworkRecord* n = find_network(network_id);
  return n == nullptr ? kNone : n->wishes;
}

std::optional<MeetingRecord> RegistryView::find_meeting(std::string_view meeting_id) const {
  const auto kept = meetings_.find(meeting_id);
  if (!kept) return std::nullopt;
  return decode_kept_meeting(kept->bytes);
}

void RegistryView::for_each_meeting(const std::function<void(const MeetingRecord&)>& f) const {
  for (const auto& [id, kept] : meetings_.sorted()) f(decode_kept_meeting(kept.bytes));
}

std::vector<MeetingRecord> RegistryView::meetings_attended_by(
    const std::set<std::string, std::less<>>& member_ids) const {
  std::vector<MeetingRecord> out;
  if (member_ids.empty()) return out;
  meetings_.for_each([&](std::string_view /*id*/, const MeetingStore::Entry& kept) {
    const std::string_view bytes = kept.bytes;
    // An attendee's id is in the bytes as written: only those meetings are decoded.
    const bool may = std::any_of(member_ids.begin(), member_ids.end(), [&](const std::string& id) {
      return bytes.find(id) != std::string_view::npos;
    });
    if (!may) return;
    MeetingRecord m = decode_kept_meeting(bytes);
    if (std::any_of(m.attendees.begin(), m.attendees.end(),
                    [&](const std::string& a) { return member_ids.contains(a); })) {
      out.push_back(std::move(m));
    }
  });
  std::sort(out.begin(), out.end(), [](const MeetingRecord& a, const MeetingRecord& b) {
    return a.meeting_id < b.meeting_id;
  });
  return out;
}

const TokenRecord* RegistryView::find_token(std::string_view token_id) const {
  const auto it = tokens_.find(token_id);
  return it == tokens_.end() ? nullptr : &it->second;
}

const TokenRecord* RegistryView::find_token_by_hash(std::string_view secret_hash) const {
  const auto it = token_by_hash_.find(secret_hash);
  return it == token_by_hash_.end() ? nullptr : find_token(it->second);
}

bool RegistryView::token_name_taken(std::string_view name) const {
  return token_by_name_.contains(name);
}

std::vector<std::string> RegistryView::email_candidates(std::string_view email) const {
  return emails_.candidates(email, [this](const EmailIndex::Add& add) {
    for (const auto& [network_id, n] : networks_) {
      n.members.for_each([&](std::string_view member_id, const MemberRecord& m) {
        if (m.personal_gone()) return;
        if (auto fields = seal_.seal->open_fields(member_id, m.sealed_personal.text))
          add(fields->email, member_id);
      });
    }
  });
}

const NetworkRecord* RegistryView::network_of_member(std::string_view member_id) const {
  const std::string* network_id = member_network_.find(member_id);
  return network_id == nullptr ? nullptr : find_network(*network_id);
}

void RegistryView::MemberNetworks::note(std::string_view member_id, std::string_view network_id) {
  if (by_member.contains(member_id)) return;
  auto it = std::find(ids.begin(), ids.end(), network_id);
  if (it == ids.end()) {
    ids.emplace_back(network_id);
    it = ids.end() - 1;
  }
  by_member.try_emplace(member_id, static_cast<std::uint32_t>(it - ids.begin()));
}

const std::string* RegistryView::MemberNetworks::find(std::string_view member_id) const {
  const std::uint32_t* n = by_member.find(member_id);
  return n == nullptr ? nullptr : &ids[*n];
}

bool RegistryView::MemberNetworks::operator==(const MemberNetworks& other) const {
  if (by_member.size() != other.by_member.size()) return false;
  bool equal = true;
  by_member.for_each([&](std::string_view member_id, std::uint32_t n) {
    const std::string* theirs = other.find(member_id);
    equal = equal && theirs != nullptr && *theirs == ids[n];
  });
  return equal;
}

domain::DecisionContext RegistryView::decision_context() const {
  domain::DecisionContext ctx;
  ctx.taxonomy = &taxonomy_;
  ctx.network_exists = [this](std::string_view id) { return find_network(id) != nullptr; };
  ctx.is_current_member = [this](std::string_view network, std::string_view member) {
    const auto* n = find_network(network);
    if (n == nullptr) return false;
    const MemberRecord* m = n->members.find(member);
    return m != nullptr && m->is_current();
  };
  ctx.meeting_involves = [this](std::string_view meeting, std::string_view network) {
    const auto m = find_meeting(meeting);
    return m && m->involves(network);
  };
  ctx.token_name_taken = [this](std::string_view name) { return token_name_taken(name); };
  return ctx;
}

}  // namespace ikv::projections
