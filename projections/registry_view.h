// RegistryView: the registry's main read models as one pure fold over the
// global log (a projection unit, "view", of ReadModels), plus the queries that render the REST
// reads' JSON answers (Boost.JSON), shared by the server and the offline report tool.
//
// The fold: apply(meta, event) for each committed event in log order, where
// `meta` is the stored envelope (position, stream, version, type, actor,
// recorded_at_us) and `event` its decoded domain event. No I/O, no clocks, no
// logging: rebuilding from position 1 gives exactly the view that applying
// the same events one commit at a time gave (dump() compares; operator==
// compares all but the bytes of sealed personal fields, see SealedPersonal).
// Queries that need "today" take it as a parameter.
//
// Models: networks (names, stewardship history, roster of every member ever,
// observations, training requests and deliveries, wishes), the national
// findings (stream "national"), meetings (details, status, when their
// stream was first and last written: the events stay in the log, see
// stream_events.h), the taxonomy (built-in entries plus TaxonomyEntryAdded),
// tokens (with their secret hash for authentication, never rendered) and the
// version of every stream (ETags); the audit index is a unit of its own
// (audit_index.h). These are also the cross-stream
// facts the deciders consult (network exists, current member, meeting
// involves a network, token name taken) and the registry's authentication.
//
// Its snapshot section is the grammar of projections/view_snapshot.h
// (format kViewFormat).
//
// Thread-safety: not internally synchronised. The owner guards it with a
// std::shared_mutex: apply() under the exclusive lock, every const method
// (queries, lookups, dump) under a shared lock. Pointers and references
// returned by lookups live until the next apply().
//
//   RegistryView view;
//   store.scan_all(0, [&](const RecordedEvent& r) { view.apply(r, decode(r)); return true; });
//   MeetingQuery q;
//   q.network = "oulu";
//   q.status = MeetingStatus::kHeld;
//   auto page = view.meetings(q);
//   if (!page) return problem(page.error());   // kInvalidArgument -> 422, kNotFound -> 404
//   respond(boost::json::serialize(*page));
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json.hpp>

#include "common/id_map.h"
#include "common/result.h"
#include "domain/context.h"
#include "domain/event.h"
#include "domain/taxonomy.h"
#include "eventstore/event_store.h"
#include "projections/email_index.h"
#include "projections/meeting_calendar.h"
#include "projections/meeting_store.h"
#include "projections/meeting_view.h"
#include "projections/network_view.h"
#include "projections/paging.h"
#include "projections/personal_seal.h"
#include "projections/projection.h"
#include "projections/stream_events.h"

namespace ikv::projections {

// A secret a token was rotated away from: it still authenticates before valid_until_us.
struct PreviousSecret {
  std::string secret_hash;  // hex SHA-256; never rendered
  std::int64_t valid_until_us = 0;

  bool operator==(const PreviousSecret&) const = default;
};

struct TokenRecord {
  std::string token_id;
  std::string name;
  domain::Role role = domain::Role::kAnalyst;
  std::vector<std::string> networks;
  std::int64_t issued_at_us = 0;
  std::optional<std::int64_t> revoked_at_us;
  std::string secret_hash;  // hex SHA-256 of the secret: for authentication, never rendered
  std::optional<std::int64_t> expires_at_us;     // nullopt: never expires
  std::vector<PreviousSecret> previous_secrets;  // oldest first

  // Whether `secret_hash` (of a presented secret) is this token's current
  // secret, or a previous one still in its grace period at `now_us`.
  // Compares in constant time per candidate.
  bool accepts(std::string_view secret_hash, std::int64_t now_us) const;

  bool operator==(const TokenRecord&) const = default;
};

// GET /v1/networks
struct NetworkListQuery {
  std::optional<domain::Date> today;  // steward in effect and next meeting from this day
  PageRequest page;
};

// GET /v1/networks/{id}
struct NetworkQuery {
  std::optional<domain::Date> today;
};

// GET /v1/networks/{id}/members. Without as_of, lists the current members
// (joined and not left, as known at known_at); with as_of, those counted on
// that day (joined_on <= as_of < left_on); with include_former, every member
// ever (known at known_at). Ordered by joined_on, then member id.
struct MemberQuery {
  std::optional<std::string> sector;        // a sector code
  std::optional<domain::Date> as_of;        // effective date
  std::optional<std::int64_t> known_at_us;  // recorded instant: facts recorded later are unknown
  bool include_former = false;              // ignored when as_of is set
  bool include_personal = false;            // false: name, email, phone are null (analysts)
  PageRequest page;
};

// GET /v1/networks/{id}/observations, ordered by observed_on, then log position.
struct ObservationQuery {
  std::optional<std::string> theme;
  std::optional<domain::Date> from;  // observed_on >= from
  std::optional<domain::Date> to;    // observed_on <= to
  PageRequest page;
};

// GET /v1/meetings, ordered by the meeting's date (held_on when held, else
// scheduled_for), then meeting id.
struct MeetingQuery {
  std::optional<std::string> network;  // organised by or joint with
  std::optional<domain::Date> from;    // date >= from
  std::optional<domain::Date> to;      // date <= to
  std::optional<MeetingStatus> status;
  std::optional<std::string> format;  // a meeting format code
  PageRequest page;
};

class RegistryView final : public Projection {
 public:
  RegistryView();

  std::string_view name() const override { return "view"; }
  std::uint32_t format() const override;
  void save(SnapshotWriter& out, PersonalPieces& pieces) const override;
  bool load(SnapshotReader& in, const OpenedPieces& opened) override;
  // Keeps the seal (see seal_with()).
  void clear() override {
    const SealRef seal = seal_;
    *this = RegistryView();
    seal_ = seal;
  }

  // The seal of members' personal fields; default: the process's ephemeral seal.
  void seal_with(const PersonalSeal& seal) override { seal_.seal = &seal; }
  const PersonalSeal& personal_seal() const { return *seal_.seal; }
  // The member ids that may hold `email` (people.h checks each one).
  std::vector<std::string> email_candidates(std::string_view email) const;

  // Folds one committed event. REQUIRES: events in log order. An event at or
  // before position() is a redelivery and is ignored. Never fails: events that
  // do not fit the view (which deciders never produce) change only the stream
  // version.
  void apply(const eventstore::RecordedEvent& meta, const domain::Event& event) override;

  // Position of the last event applied (0: none).
  std::uint64_t position() const { return position_; }
  // The stream's version (0: no events), for ETags.
  std::uint64_t version_of(std::string_view stream) const;

  // ---- lookups (nullptr or nullopt when absent) ----
  const NetworkRecord* find_network(std::string_view network_id) const;
  // A copy: meetings are kept encoded (see meetings_).
  std::optional<MeetingRecord> find_meeting(std::string_view meeting_id) const;
  const TokenRecord* find_token(std::string_view token_id) const;
  // The token (active or revoked) whose secret, current or previous (rotated),
  // hashes to `secret_hash`; TokenRecord::accepts() says whether it still counts.
  const TokenRecord* find_token_by_hash(std::string_view secret_hash) const;
  // Is a token (active or revoked) named so?
  bool token_name_taken(std::string_view name) const;
  // The network a member (current or former) belongs to.
  const NetworkRecord* network_of_member(std::string_view member_id) const;
  // The cross-stream facts the deciders consult, answered by this view. The
  // context refers to the view: use it under the same shared lock.
  domain::DecisionContext decision_context() const;
  const domain::TaxonomyState& taxonomy() const { return taxonomy_; }
  const std::map<std::string, NetworkRecord, std::less<>>& network_records() const {
    return networks_;
  }
  // f(meeting) for every meeting, ordered by id (each decoded in turn).
  void for_each_meeting(const std::function<void(const MeetingRecord&)>& f) const;
  // The meetings any of `member_ids` attended, ordered by id.
  std::vector<MeetingRecord> meetings_attended_by(
      const std::set<std::string, std::less<>>& member_ids) const;
  const std::map<std::string, TokenRecord, std::less<>>& token_records() const { return tokens_; }
  // The national findings (ObservationRecorded in the stream "national"), in
  // log order, retracted ones marked (ObservationRecord::retracted); each has
  // its theme (a family: taxonomy().family(theme)), observed_on and target
  // groups, and no meeting.
  const ObservationRows& national_findings() const { return national_.observations; }
  // A network's wishes (WishRecord: kind, recorded_on, ...) in log order;
  // empty for an unknown network.
  const std::vector<WishRecord>& wishes_of(std::string_view network_id) const;

  // ---- JSON answers ----
  // Errors: kNotFound for an unknown network or meeting; kInvalidArgument,
  // with the message "<parameter>: <reason>", for a bad limit or cursor, a
  // `from` after `to`, or a code or network filter that does not exist.

  // {"items": [network summary], "next_cursor"}, by network id.
  Result<boost::json::object> networks(const NetworkListQuery& query) const;
  // One network with stewardship history, training and counts.
  Result<boost::json::object> network(std::string_view network_id, const NetworkQuery& query) const;
  Result<boost::json::object> members(std::string_view network_id, const MemberQuery& query) const;
  Result<boost::json::object> observations(std::string_view network_id,
                                           const ObservationQuery& query) const;
  // GET /v1/networks/{id}/training-requests: {"items": [request with "status"
  // ("open" | "delivered") and "delivery" ({"training_id", "delivered_on"} |
  // null)], "next_cursor"}, in the order the requests were recorded.
  Result<boost::json::object> training_requests(std::string_view network_id,
                                                const PageRequest& request) const;
  // GET /v1/observations?scope=national: the national findings as the
  // observations of a network are listed, each with "network": null.
  Result<boost::json::object> national_observations(const ObservationQuery& query) const;
  // GET /v1/networks/{id}/wishes: {"items": [wish], "next_cursor"}, ordered by
  // recorded_on (a month on its first day), then log position.
  Result<boost::json::object> wishes(std::string_view network_id, const PageRequest& request) const;
  Result<boost::json::object> meetings(const MeetingQuery& query) const;
  // One meeting with its history: the events of its stream, read back by
  // `events` (the view keeps none of them). Errors also: `events`' own.
  Result<boost::json::object> meeting(std::string_view meeting_id,
                                      const StreamEvents& events) const;
  // {"sectors": [{"code", "labels": {fi, sv, en}}], "themes" (each with
  // "family": code | null), "meeting_formats", "training_topics",
  // "target_groups" (each with "aliases": [text]), "version"}, each list in
  // code order; "version" is the taxonomy stream's (0 while only the built-in
  // entries exist).
  boost::json::object taxonomy_json() const;
  // {"items": [token], "next_cursor"}, by token id; never a secret or its hash.
  Result<boost::json::object> tokens(const PageRequest& request) const;
  Result<boost::json::object> token(std::string_view token_id) const;

  // Everything the view holds, personal data included: for comparing views in
  // tests and diagnostics. Never serve it, never store it.
  boost::json::value dump() const override;

  bool operator==(const RegistryView&) const = default;

 private:
  friend struct RegistryFold;
  friend struct ViewSnapshot;  // view_snapshot.cc

  NetworkRecord* network_of_stream(std::string_view stream);
  // The observations of `n` as GET .../observations lists them; `network`
  // is what each item's "network" shows (null for the national findings).
  Result<boost::json::object> observations_of(const NetworkRecord& n,
                                              const boost::json::value& network,
                                              const ObservationQuery& query) const;
  // The summary of GET /v1/networks, shared by the detail.
  boost::json::object network_summary(const NetworkRecord& n,
                                      std::optional<domain::Date> today) const;
  // Error "<parameter>: unknown <kind> code" unless the code is in the taxonomy.
  Status check_code(domain::TaxonomyKind kind, const std::optional<std::string>& code,
                    std::string_view parameter) const;
  // Read indexes (derived, not stored in snapshots; network_queries.cc and
  // meeting_queries.cc): file a meeting after each of its events, and rebuild
  // every index from the records after a snapshot load (the meetings'
  // calendar entries are staged as the snapshot's meetings are read).
  void index_meeting(const MeetingRecord& m);
  void rebuild_read_indexes();
  // Raises the stream's version to `version`: a kept meeting's in meetings_,
  // any other stream's in stream_versions_.
  void raise_version(std::string_view stream, std::uint64_t version);
  // The version of a kept meeting's stream (0: not kept).
  std::uint64_t meeting_version(std::string_view meeting_id) const;

  std::uint64_t position_ = 0;
  // The versions of the streams other than the kept meetings' (networks,
  // tokens, the taxonomy, the national findings).
  std::unordered_map<std::string, std::uint64_t, StringHash, std::equal_to<>> stream_versions_;
  std::map<std::string, NetworkRecord, std::less<>> networks_;
  // The national findings: a record of no network whose observations (and
  // their indexes) are those of the stream "national"; nothing else of it is used.
  NetworkRecord national_;
  // by id: each record encoded (encode_meeting, a few hundred bytes where the
  // record of strings takes a kilobyte and more: the 1,000,000-event bench
  // log holds 180,000 meetings) with its stream's version; every meeting
  // event finds its record here, decodes it, folds itself in and encodes it
  // again.
  MeetingStore meetings_;
  MeetingCalendar calendar_;  // meetings by date; derived from meetings_
  domain::TaxonomyState taxonomy_;
  std::map<std::string, TokenRecord, std::less<>> tokens_;
  // Derived lookups (not stored in snapshots; rebuilt by rebuild_read_indexes()).
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> token_by_hash_;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> token_by_name_;
  // member id -> its network: the network's number in `ids` (a handful of
  // network ids, each once, numbered as first seen). Compared by content:
  // views fed in another order number the networks differently.
  struct MemberNetworks {
    IdMap<std::uint32_t> by_member;
    std::vector<std::string> ids;
    // Files a member under its network (the first filing holds).
    void note(std::string_view member_id, std::string_view network_id);
    const std::string* find(std::string_view member_id) const;
    bool operator==(const MemberNetworks& other) const;
  };
  MemberNetworks member_network_;
  SealRef seal_;
  EmailIndex emails_;  // derived, in memory only (email_index.h)
};

}  // namespace ikv::projections
