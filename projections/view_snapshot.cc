#include "projections/view_snapshot.h"

#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>

namespace ikv::projections {

// Reads and writes RegistryView's private parts (its friend).
struct ViewSnapshot {
  // ---- networks ----
  static void write_member(std::string_view member_id, const MemberRecord& m, SnapshotWriter& w) {
    w.string(member_id);
    w.string(m.sealed_personal.text);
    w.boolean(m.erased);
    w.string(m.organisation);
    w.string(m.sector);
    w.optional_string(m.title);
    w.date(m.joined_on);
    w.optional_date(m.left_on);
    w.optional_string(m.leave_reason);
    w.svarint(m.joined_recorded_at_us);
    w.optional_svarint(m.left_recorded_at_us);
    w.varint(m.earlier.size());
    for (const MemberDetails& d : m.earlier) {
      w.string(d.sealed_personal.text);
      w.string(d.organisation);
      w.string(d.sector);
      w.optional_string(d.title);
      w.svarint(d.until_us);
    }
  }
  // Reads the observations write_view() wrote into `rows`, through views of
  // the section's bytes (no string per field).
  static void read_observations(SnapshotReader& r, ObservationRows& rows) {
    const std::size_t count = r.count();
    rows.reserve(count);
    std::vector<std::string_view> groups;
    for (std::size_t i = 0; i < count && r.ok(); ++i) {
      ObservationFields f;
      f.observation_id = r.slice();
      f.theme = r.slice();
      f.observed_on = r.date();
      groups.resize(r.count());
      for (auto& g : groups) g = r.slice();
      f.target_groups = groups;
      if (r.boolean()) f.meeting_id = r.slice();
      if (r.boolean()) f.summary = r.slice();
      f.recorded_at_us = r.svarint();
      f.position = r.varint();
      const bool retracted = r.boolean();
      std::optional<std::string> reason = r.optional_string();
      const std::optional<std::int64_t> retracted_at = r.optional_svarint();
      if (!r.ok()) return;
      const std::size_t row = rows.push(f);
      if (retracted) rows.retract(row, std::move(reason), retracted_at);
    }
    rows.shrink_to_fit();
  }
  // The member's id and record.
  static std::pair<std::string_view, MemberRecord> read_member(SnapshotReader& r) {
    const std::string_view id = r.slice();
    MemberRecord m;
    m.sealed_personal.text = r.string();
    m.erased = r.boolean();
    m.organisation = r.string();
    m.sector = r.string();
    m.title = r.optional_string();
    m.joined_on = r.date();
    m.left_on = r.optional_date();
    m.leave_reason = r.optional_string();
    m.joined_recorded_at_us = r.svarint();
    m.left_recorded_at_us = r.optional_svarint();
    m.earlier.resize(r.count());
    for (MemberDetails& d : m.earlier) {
      d.sealed_personal.text = r.string();
      d.organisation = r.string();
      d.sector = r.string();
      d.title = r.optional_string();
      d.until_us = r.svarint();
    }
    return {id, std::move(m)};
  }

  static void write_network(const NetworkRecord& n, SnapshotWriter& w) {
    w.string(n.network_id);
    w.localized(n.name);
    w.string(n.region);
    w.string(n.seat);
    w.optional_date(n.established_on);
    w.svarint(n.established_recorded_at_us);
    w.varint(n.stewardship.size());
    for (const auto& s : n.stewardship) {
      w.string(s.steward);
      w.optional_date(s.from);
      w.svarint(s.recorded_at_us);
      w.strings(s.stewards);
    }
    w.varint(n.members.size());
    for (const auto& [id, m] : n.members.sorted()) write_member(id, *m, w);
    w.varint(n.observations.size());
    for (const ObservationRecord& o : n.observations) {
      w.string(o.observation_id);
      w.string(o.theme);
      w.date(o.observed_on);
      w.strings(o.target_groups);
      w.optional_string(o.meeting_id);
      w.optional_string(o.summary);
      w.svarint(o.recorded_at_us);
      w.varint(o.position);
      w.boolean(o.retracted);
      w.optional_string(o.retraction_reason);
      w.optional_svarint(o.retracted_at_us);
    }
    n.training_requests.save(w);
    n.trainings.save(w);
    w.varint(n.wishes.size());
    for (const auto& x : n.wishes) {
      w.string(x.wish_id);
      w.varint(static_cast<std::uint64_t>(x.kind));
      w.string(x.text);
      w.date(x.recorded_on);
      w.optional_string(x.format);
      w.svarint(x.recorded_at_us);
      w.varint(x.position);
    }
  }
  static NetworkRecord read_network(SnapshotReader& r) {
    NetworkRecord n;
    n.network_id = r.string();
    n.name = r.localized();
    n.region = r.string();
    n.seat = r.string();
    n.established_on = r.optional_date();
    n.established_recorded_at_us = r.svarint();
    n.stewardship.resize(r.count());
    for (auto& s : n.stewardship) {
      s.steward = r.string();
      s.from = r.optional_date();
      s.recorded_at_us = r.svarint();
      s.stewards = r.strings();
    }
    for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
      if (i == 0) n.members.reserve(count, count * 36);  // UUIDs, as a rule
      auto [id, m] = read_member(r);
      if (!r.ok() || !n.members.try_emplace(id, std::move(m)).second) r.fail();
    }
    read_observations(r, n.observations);
    n.training_requests.load(r);
    n.trainings.load(r);
    n.wishes.resize(r.count());
    for (auto& x : n.wishes) {
      x.wish_id = r.string();
      const std::uint64_t kind = r.varint();
      if (kind > static_cast<std::uint64_t>(domain::WishKind::kOther)) r.fail();
      x.kind = static_cast<domain::WishKind>(kind);
      x.text = r.string();
      x.recorded_on = r.date();
      x.format = r.optional_string();
      x.recorded_at_us = r.svarint();
      x.position = r.varint();
    }
    return n;
  }

  // ---- the view ----
  static void write(const RegistryView& v, SnapshotWriter& w) {
    w.string(v.seal_.seal->id());
    w.varint(v.position_);
    w.varint(v.stream_versions_.size());
    for (const auto& [stream, version] : v.stream_versions_) {
      w.string(stream);
      w.varint(version);
    }
    w.varint(v.networks_.size());
    for (const auto& [id, n] : v.networks_) write_network(n, w);
    w.varint(v.meetings_.size());
    // In calendar order (day, then id), so that the calendar's lists come out
    // of a load already sorted; by id should the calendar not list them all.
    std::vector<MeetingStore::Entry> in_order;
    in_order.reserve(v.meetings_.size());
    for (const DayIdKey& key : v.calendar_.all()) {
      const auto kept = v.meetings_.find(key.id);
      if (!kept) break;
      in_order.push_back(*kept);
    }
    if (in_order.size() != v.meetings_.size()) {
      in_order.clear();
      for (const auto& [id, kept] : v.meetings_.sorted()) in_order.push_back(kept);
    }
    for (const MeetingStore::Entry& kept : in_order) {
      w.string(kept.bytes);
      w.varint(kept.version);
    }
    w.varint(static_cast<std::uint64_t>(std::size(domain::kAllTaxonomyKinds)));
    for (domain::TaxonomyKind kind : domain::kAllTaxonomyKinds) {
      const auto& entries = v.taxonomy_.entries(kind);
      w.varint(entries.size());
      for (const auto& [code, labels] : entries) {
        w.string(code);
        w.localized(labels);
        const std::string* family =
            kind == domain::TaxonomyKind::kTheme ? v.taxonomy_.family(code) : nullptr;
        w.optional_string(family != nullptr ? std::optional<std::string>(*family) : std::nullopt);
        w.strings(v.taxonomy_.aliases(code));
      }
    }
    w.varint(v.tokens_.size());
    for (const auto& [id, t] : v.tokens_) {
      w.string(t.token_id);
      w.string(t.name);
      w.varint(static_cast<std::uint64_t>(t.role));
      w.strings(t.networks);
      w.svarint(t.issued_at_us);
      w.optional_svarint(t.revoked_at_us);
      w.string(t.secret_hash);
      w.optional_svarint(t.expires_at_us);
      w.varint(t.previous_secrets.size());
      for (const auto& p : t.previous_secrets) {
        w.string(p.secret_hash);
        w.svarint(p.valid_until_us);
      }
    }
    write_network(v.national_, w);
  }

  static Result<RegistryView> read(SnapshotReader& r, const PersonalSeal& seal) {
    if (r.string() != seal.id()) {
      return Error{
          ErrorCode::kCorruption,
          "view snapshot: personal fields sealed under another key than " + std::string(seal.id()),
          {}};
    }
    RegistryView v;
    v.seal_with(seal);
    v.position_ = r.varint();
    const std::size_t versions = r.count();
    v.stream_versions_.reserve(versions);
    for (std::size_t i = 0; i < versions && r.ok(); ++i) {
      std::string stream = r.string();
      v.stream_versions_.emplace(std::move(stream), r.varint());
    }
    for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
      NetworkRecord n = read_network(r);
      std::string id = n.network_id;
      v.networks_.emplace_hint(v.networks_.end(), std::move(id), std::move(n));
    }
    const std::size_t meetings = r.count();  // bounded by the bytes left
    // The arena's room: the bytes left bound the meetings' (the rest of the
    // view is small); what they leave unused is never touched, so never
    // resident, and takes the meetings scheduled after the load.
    v.meetings_.reserve(meetings, r.left());
    v.calendar_ = MeetingCalendar{};
    std::vector<std::string> networks;  // reused for each meeting
    for (std::size_t i = 0; i < meetings && r.ok(); ++i) {
      // Kept as read; read through once (peek_meeting: as strict as
      // decode_meeting, building no record) to check it and to stage its
      // calendar entry.
      const std::string_view bytes = r.slice();
      const std::optional<MeetingFiling> m = peek_meeting(bytes);
      if (!m) {
        r.fail();
        break;
      }
      networks.resize(m->networks.size());
      for (std::size_t n = 0; n < networks.size(); ++n) networks[n].assign(m->networks[n]);
      const std::uint64_t version = r.varint();
      if (version > std::numeric_limits<std::uint32_t>::max() ||
          !v.meetings_.add(m->meeting_id, bytes, version)) {
        r.fail();
        break;
      }
      v.calendar_.stage(m->meeting_id, m->date, m->status == MeetingStatus::kHeld,
                        m->status == MeetingStatus::kScheduled, networks);
    }
    // The taxonomy as written, replacing the built-in entries the view starts with.
    const std::size_t kinds = r.count();
    if (kinds != std::size(domain::kAllTaxonomyKinds)) r.fail();
    domain::TaxonomyState taxonomy;
    for (std::size_t k = 0; k < kinds && r.ok(); ++k) {
      for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
        std::string code = r.string();
        domain::LocalizedText labels = r.localized();
        std::optional<std::string> family = r.optional_string();
        std::vector<std::string> aliases = r.strings();
        taxonomy.put(domain::kAllTaxonomyKinds[k], std::move(code), std::move(labels),
                     std::move(family), std::move(aliases));
      }
    }
    v.taxonomy_ = std::move(taxonomy);
    for (std::size_t i = 0, count = r.count(); i < count && r.ok(); ++i) {
      TokenRecord t;
      t.token_id = r.string();
      t.name = r.string();
      const std::uint64_t role = r.varint();
      if (role > static_cast<std::uint64_t>(domain::Role::kAuditor)) r.fail();
      t.role = static_cast<domain::Role>(role);
      t.networks = r.strings();
      t.issued_at_us = r.svarint();
      t.revoked_at_us = r.optional_svarint();
      t.secret_hash = r.string();
      t.expires_at_us = r.optional_svarint();
      for (std::size_t j = 0, n = r.count(); j < n && r.ok(); ++j) {
        PreviousSecret p;
        p.secret_hash = r.string();
        p.valid_until_us = r.svarint();
        t.previous_secrets.push_back(std::move(p));
      }
      std::string id = t.token_id;
      v.tokens_.emplace_hint(v.tokens_.end(), std::move(id), std::move(t));
    }
    v.national_ = read_network(r);
    if (!r.ok()) return Error{ErrorCode::kCorruption, "the view snapshot does not parse", {}};
    v.rebuild_read_indexes();  // derived indexes are not stored
    return v;
  }
};

void write_view(const RegistryView& view, SnapshotWriter& out) { ViewSnapshot::write(view, out); }

Result<RegistryView> read_view(SnapshotReader& in, const PersonalSeal& seal) {
  return ViewSnapshot::read(in, seal);
}

}  // namespace ikv::projections

namespace ikv::projections {

std::uint32_t RegistryView::format() const { return kViewFormat; }

void RegistryView::save(SnapshotWriter& out, PersonalPieces& /*pieces*/) const {
  write_view(*this, out);
}

bool RegistryView::load(SnapshotReader& in, const OpenedPieces& /*opened*/) {
  auto view = read_view(in, *seal_.seal);
  if (!view) return false;
  *this = std::move(*view);
  return true;
}

}  // namespace ikv::projections
