#include "app/state_snapshot.h"

#include <iterator>
#include <type_traits>
#include <utility>
#include <variant>

namespace ikv::app {
namespace {

using projections::OpenedPieces;
using projections::PersonalPieces;
using projections::SnapshotReader;
using projections::SnapshotWriter;

// ---- networks ----

std::uint64_t member_piece(const domain::Member& m, PersonalPieces& pieces) {
  if (!m.personal && !m.email_key) return 0;
  SnapshotWriter w;
  w.boolean(m.personal.has_value());
  if (m.personal) w.personal(*m.personal);
  w.optional_string(m.email_key);
  return pieces.add(m.member_id, w.take());
}

void read_member_piece(const std::optional<std::string>& piece, domain::Member& m) {
  if (!piece) return;
  SnapshotReader r(*piece);
  std::optional<domain::PersonalData> personal;
  if (r.boolean()) personal = r.personal();
  std::optional<std::string> email_key = r.optional_string();
  if (!r.ok()) return;
  m.personal = std::move(personal);
  m.email_key = std::move(email_key);
}

void write_network(const domain::NetworkState& state, SnapshotWriter& w, PersonalPieces& pieces) {
  const auto* n = domain::established(state);
  w.varint(n == nullptr ? 0 : 1);
  if (n == nullptr) return;
  w.string(n->network_id);
  w.localized(n->name);
  w.string(n->region);
  w.string(n->seat);
  w.date(n->established_on);
  w.varint(n->stewardship.size());
  for (const auto& s : n->stewardship) {
    w.string(s.steward);
    w.date(s.from);
  }
  w.varint(n->members.size());
  for (const auto& [id, m] : n->members) {
    w.string(m.member_id);
    w.string(m.organisation);
    w.string(m.sector);
    w.optional_string(m.title);
    w.date(m.joined_on);
    w.optional_date(m.left_on);
    w.boolean(m.erased);
    w.varint(member_piece(m, pieces));
  }
  w.varint(n->current_emails.size());
  for (const auto& [key, member] : n->current_emails) w.string(member);
}

domain::NetworkState read_network(SnapshotReader& r, const OpenedPieces& opened) {
  const std::uint64_t alternative = r.varint();
  if (alternative == 0) return domain::NetworkNotEstablished{};
  if (alternative != 1) r.fail();
  domain::EstablishedNetwork n;
  n.network_id = r.string();
  n.name = r.localized();
  n.region = r.string();
  n.seat = r.string();
  n.established_on = r.date();
  n.stewardship.resize(r.count());
  for (auto& s : n.stewardship) {
    s.steward = r.string();
    s.from = r.date();
  }
  for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
    domain::Member m;
    m.member_id = r.string();
    m.organisation = r.string();
    m.sector = r.string();
    m.title = r.optional_string();
    m.joined_on = r.date();
    m.left_on = r.optional_date();
    m.erased = r.boolean();
    read_member_piece(opened.get(r.varint()), m);
    std::string id = m.member_id;
    n.members.emplace_hint(n.members.end(), std::move(id), std::move(m));
  }
  // Each current e-mail belongs to a member whose key is that e-mail's; a
  // member whose personal data could not be opened has no key and no entry.
  for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
    std::string member = r.string();
    const auto it = n.members.find(member);
    if (it == n.members.end()) {
      r.fail();
      break;
    }
    if (it->second.email_key) n.current_emails.insert_or_assign(*it->second.email_key, member);
  }
  return n;
}

// ---- meetings ----

void write_details(const domain::MeetingDetails& d, SnapshotWriter& w) {
  w.string(d.meeting_id);
  w.string(d.network_id);
  w.strings(d.joint_with);
  w.date(d.scheduled_for);
  w.string(d.format);
  w.string(d.location);
  w.strings(d.agenda);
}

domain::MeetingDetails read_details(SnapshotReader& r) {
  domain::MeetingDetails d;
  d.meeting_id = r.string();
  d.network_id = r.string();
  d.joint_with = r.strings();
  d.scheduled_for = r.date();
  d.format = r.string();
  d.location = r.string();
  d.agenda = r.strings();
  return d;
}

void write_meeting(const domain::MeetingState& state, SnapshotWriter& w) {
  w.varint(state.index());
  std::visit(
      [&w](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, domain::NoMeeting>) {
        } else if constexpr (std::is_same_v<T, domain::PlannedMeeting>) {
          write_details(s.details, w);
        } else if constexpr (std::is_same_v<T, domain::CancelledMeeting>) {
          write_details(s.details, w);
          w.optional_string(s.reason);
        } else {
          static_assert(std::is_same_v<T, domain::HeldMeeting>);
          write_details(s.details, w);
          w.meeting_held(s.record);
        }
      },
      state);
}

domain::MeetingState read_meeting(SnapshotReader& r) {
  switch (r.varint()) {
    case 0:
      return domain::NoMeeting{};
    case 1:
      return domain::PlannedMeeting{read_details(r)};
    case 2: {
      domain::CancelledMeeting c;
      c.details = read_details(r);
      c.reason = r.optional_string();
      return c;
    }
    case 3: {
      domain::HeldMeeting h;
      h.details = read_details(r);
      h.record = r.meeting_held();
      return h;
    }
    default:
      r.fail();
      return domain::NoMeeting{};
  }
}

// ---- tokens ----

void write_token(const domain::TokenState& state, SnapshotWriter& w) {
  w.varint(state.index());
  const domain::TokenInfo* info = nullptr;
  if (const auto* a = std::get_if<domain::ActiveToken>(&state)) info = &a->info;
  if (const auto* v = std::get_if<domain::RevokedToken>(&state)) info = &v->info;
  if (info == nullptr) return;
  w.string(info->token_id);
  w.string(info->name);
  w.varint(static_cast<std::uint64_t>(info->role));
  w.strings(info->networks);
  w.string(info->secret_hash);
}

domain::TokenState read_token(SnapshotReader& r) {
  const std::uint64_t alternative = r.varint();
  if (alternative == 0) return domain::NoToken{};
  domain::TokenInfo info;
  info.token_id = r.string();
  info.name = r.string();
  const std::uint64_t role = r.varint();
  if (role > static_cast<std::uint64_t>(domain::Role::kAuditor)) r.fail();
  info.role = static_cast<domain::Role>(role);
  info.networks = r.strings();
  info.secret_hash = r.string();
  if (alternative == 1) return domain::ActiveToken{std::move(info)};
  if (alternative != 2) r.fail();
  return domain::RevokedToken{std::move(info)};
}

// ---- common ----

template <class S>
void write_versioned(const Versioned<S>& v, SnapshotWriter& w) {
  w.varint(v.version);
  w.varint(v.position);
}

template <class S>
void read_versioned(SnapshotReader& r, Versioned<S>& v) {
  v.version = r.varint();
  v.position = r.varint();
}

template <class Map, class WriteState>
void write_map(const Map& map, SnapshotWriter& w, WriteState write_state) {
  w.varint(map.size());
  for (const auto& [id, v] : map) {
    w.string(id);
    write_versioned(v, w);
    write_state(v.state);
  }
}

template <class Map, class ReadState>
void read_map(SnapshotReader& r, Map& map, ReadState read_state) {
  for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
    std::string id = r.string();
    typename Map::mapped_type v;
    read_versioned(r, v);
    v.state = read_state();
    map.emplace_hint(map.end(), std::move(id), std::move(v));
  }
}

void write_pairs(const std::unordered_map<std::string, std::string>& pairs, SnapshotWriter& w) {
  w.varint(pairs.size());
  for (const auto& [key, value] : pairs) {
    w.string(key);
    w.string(value);
  }
}

void read_pairs(SnapshotReader& r, std::unordered_map<std::string, std::string>& pairs) {
  const std::size_t count = r.count();
  pairs.reserve(count);
  for (std::size_t i = 0; i < count && r.ok(); ++i) {
    std::string key = r.string();
    pairs.insert_or_assign(std::move(key), r.string());
  }
}

}  // namespace

void write_states(const RegistryState& s, SnapshotWriter& w, PersonalPieces& pieces) {
  write_map(s.networks, w, [&](const domain::NetworkState& n) { write_network(n, w, pieces); });
  write_map(s.meetings, w, [&](const domain::MeetingState& m) { write_meeting(m, w); });
  write_versioned(s.taxonomy, w);
  w.varint(std::size(domain::kAllTaxonomyKinds));
  for (domain::TaxonomyKind kind : domain::kAllTaxonomyKinds) {
    const auto& entries = s.taxonomy.state.entries(kind);
    w.varint(static_cast<std::uint64_t>(kind));
    w.varint(entries.size());
    for (const auto& [code, labels] : entries) {
      w.string(code);
      w.localized(labels);
    }
  }
  write_map(s.tokens, w, [&](const domain::TokenState& t) { write_token(t, w); });
  write_pairs(s.member_network, w);
  write_pairs(s.token_by_hash, w);
}

bool read_states(SnapshotReader& r, const OpenedPieces& opened, RegistryState& s) {
  s = RegistryState{};
  read_map(r, s.networks, [&] { return read_network(r, opened); });
  read_map(r, s.meetings, [&] { return read_meeting(r); });
  read_versioned(r, s.taxonomy);
  domain::TaxonomyState taxonomy;
  const std::size_t kinds = r.count();
  if (kinds != std::size(domain::kAllTaxonomyKinds)) r.fail();
  for (std::size_t k = 0; k < kinds && r.ok(); ++k) {
    const std::uint64_t kind = r.varint();
    if (kind > static_cast<std::uint64_t>(domain::TaxonomyKind::kTrainingTopic)) r.fail();
    for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
      std::string code = r.string();
      taxonomy.put(static_cast<domain::TaxonomyKind>(kind), std::move(code), r.localized());
    }
  }
  s.taxonomy.state = std::move(taxonomy);
  read_map(r, s.tokens, [&] { return read_token(r); });
  read_pairs(r, s.member_network);
  read_pairs(r, s.token_by_hash);
  return r.ok();
}

}  // namespace ikv::app
