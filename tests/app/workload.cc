#include "tests/app/workload.h"

#include <future>
#include <optional>
#include <tuple>

namespace ikv::app::testing {

CommandResult run_sync(const std::function<void(CommandDone)>& f) {
  std::promise<CommandResult> p;
  auto fut = p.get_future();
  f([&p](CommandResult r) { p.set_value(std::move(r)); });
  return fut.get();
}

domain::JoinNetwork join(const std::string& member_id, const std::string& email) {
  domain::JoinNetwork j;
  j.member_id = member_id;
  j.personal = {"Member", email, std::nullopt};
  j.organisation = "Reception Centre";
  j.sector = "reception_centre";
  j.joined_on = domain::Date{2024, 1, 1};
  return j;
}

namespace {

CommandMeta meta(const std::string& actor) {
  CommandMeta m;
  m.actor = actor;
  m.request_id = "req";
  return m;
}

const char* const kSectors[] = {"police", "ngo", "reception_centre", "kela", "parish"};
const char* const kTopics[] = {"trafficking_phenomenon", "victim_identification"};
const char* const kFormats[] = {"in_person", "remote", "hybrid"};
const char* const kGroups[] = {"seasonal workers", "minors", "students", "au pairs"};

}  // namespace

Workload::Workload(Registry& registry, std::uint64_t seed, WorkloadMix mix, std::string prefix)
    : registry_(registry), rng_(seed), mix_(mix), prefix_(std::move(prefix)) {
  themes_ = {"forced_labour", "labour_exploitation", "forced_marriage", "seasonal_work"};
}

std::size_t Workload::pick(std::size_t n) {
  return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
}

domain::Date Workload::today() {
  return domain::add_days(domain::Date{2022, 1, 1}, static_cast<std::int64_t>(counter_ / 3));
}

const std::string& Workload::pick_network() { return networks_[pick(networks_.size())]; }

std::string Workload::pick_theme() { return themes_[pick(themes_.size())]; }

std::vector<std::string> Workload::current_members_of(const std::string& network) {
  std::vector<std::string> out;
  for (const auto& id : member_ids_) {
    const auto& m = members_.at(id);
    if (m.current && m.network == network) out.push_back(id);
  }
  return out;
}

bool Workload::accept(const CommandResult& r) {
  const auto* ok = std::get_if<CommandOk>(&r);
  if (ok == nullptr || !ok->changed) return false;
  ++accepted_;
  return true;
}

bool Workload::run_network(const std::string& network, domain::NetworkCommand c) {
  return accept(run_sync([&](CommandDone done) {
    registry_.execute_network(network, std::move(c), meta("coordinator"), std::move(done));
  }));
}

void Workload::setup() {
  for (const char* id : {"oulu", "turku", "vaasa"}) {
    const std::string network = prefix_ + id;
    run_network(network, domain::EstablishNetwork{network,
                                                  {network + " fi", network + " sv", network},
                                                  "Region " + network,
                                                  "Seat",
                                                  "Steward 0",
                                                  domain::Date{2021, 6, 1}});
    networks_.push_back(network);
  }
}

bool Workload::step() {
  ++counter_;
  const int weights[] = {mix_.observations, mix_.joins,       mix_.leaves,  mix_.details,
                         mix_.erasures,     mix_.stewardship, mix_.renames, mix_.trainings,
                         mix_.meetings,     mix_.taxonomy,    mix_.tokens};
  std::discrete_distribution<int> which(std::begin(weights), std::end(weights));
  switch (which(rng_)) {
    case 0:
      return observe();
    case 1:
      return join();
    case 2:
      return leave();
    case 3:
      return change_details();
    case 4:
      return erase();
    case 5:
      return transfer();
    case 6:
      return rename();
    case 7:
      return training();
    case 8:
      return meeting();
    case 9:
      return taxonomy();
    default:
      return token();
  }
}

bool Workload::join() {
  const std::string network = pick_network();
  const std::string id = prefix_ + "m-" + std::to_string(counter_);
  domain::JoinNetwork j;
  j.member_id = id;
  const std::string email = "person" + std::to_string(counter_) + "." + prefix_ + "x@example.fi";
  j.personal = {"Person " + std::to_string(counter_), email,
                pick(2) == 0 ? std::optional<std::string>("+358 40 " + std::to_string(counter_))
                             : std::nullopt};
  j.organisation = "Organisation " + std::to_string(pick(20));
  j.sector = kSectors[pick(std::size(kSectors))];
  if (pick(3) == 0) j.title = "Adviser";
  j.joined_on = today();
  if (!run_network(network, std::move(j))) return false;
  members_[id] = MemberInfo{network, true, false};
  member_ids_.push_back(id);
  emails_.push_back(email);
  return true;
}

bool Workload::leave() {
  if (member_ids_.empty()) return false;
  const std::string id = member_ids_[pick(member_ids_.size())];
  auto& m = members_.at(id);
  const bool ok = run_network(
      m.network,
      domain::LeaveNetwork{id, today(),
                           pick(2) == 0 ? std::optional<std::string>("moved") : std::nullopt});
  if (ok) m.current = false;
  return ok;
}

bool Workload::change_details() {
  if (member_ids_.empty()) return false;
  const std::string id = member_ids_[pick(member_ids_.size())];
  domain::ChangeMemberDetails c;
  c.member_id = id;
  switch (pick(3)) {
    case 0:
      c.email = "changed" + std::to_string(counter_) + "." + prefix_ + "x@example.fi";
      emails_.push_back(*c.email);
      break;
    case 1:
      c.name = "Renamed " + std::to_string(counter_);
      break;
    default:
      c.sector = kSectors[pick(std::size(kSectors))];
      break;
  }
  return run_network(members_.at(id).network, std::move(c));
}

bool Workload::erase() {
  if (member_ids_.empty()) return false;
  const std::string id = member_ids_[pick(member_ids_.size())];
  const bool ok = accept(run_sync([&](CommandDone done) {
    registry_.erase_personal_data(id, meta("admin"), std::move(done));
  }));
  if (ok) members_.at(id).erased = true;
  return ok;
}

bool Workload::transfer() {
  return run_network(pick_network(),
                     domain::TransferStewardship{"Steward " + std::to_string(counter_), today()});
}

bool Workload::rename() {
  const std::string n = std::to_string(counter_);
  domain::ChangeNetworkDetails c;
  c.name.fi = "Nimi " + n;
  if (pick(2) == 0) c.name.en = "Name " + n;
  if (pick(3) == 0) c.region = "Region " + n;
  if (pick(3) == 0) c.seat = "Seat " + n;
  if (pick(2) == 0) c.reason = "typo";
  return run_network(pick_network(), std::move(c));
}

bool Workload::observe() {
  if (!observations_.empty() && pick(6) == 0) {
    const auto& [id, network] = observations_[pick(observations_.size())];
    return run_network(network, domain::RetractObservation{id, "recorded by mistake"});
  }
  domain::RecordObservation o;
  o.observation_id = prefix_ + "obs-" + std::to_string(counter_);
  o.theme = pick_theme();
  o.observed_on = today();
  for (std::size_t i = 0, n = pick(3); i < n; ++i) {
    o.target_groups.push_back(kGroups[pick(std::size(kGroups))]);
  }
  if (!meeting_ids_.empty() && pick(4) == 0) o.meeting_id = meeting_ids_[pick(meeting_ids_.size())];
  if (pick(2) == 0) o.summary = "Seen in the region";
  const std::string network = pick_network();
  const std::string id = o.observation_id;
  const bool ok = run_network(network, std::move(o));
  if (ok) observations_.emplace_back(id, network);
  return ok;
}

bool Workload::training() {
  const std::string topic = kTopics[pick(std::size(kTopics))];
  if (pick(2) == 0) {
    const std::string network = pick_network();
    const std::string id = prefix_ + "tr-" + std::to_string(counter_);
    const bool ok = run_network(network, domain::RequestTraining{id, topic, today(), std::nullopt});
    if (ok) open_requests_.emplace_back(id, network);
    return ok;
  }
  // Half of the deliveries answer an open request of their network.
  std::optional<std::string> request_id;
  std::string network = pick_network();
  if (!open_requests_.empty() && pick(2) == 0) {
    std::tie(request_id, network) = open_requests_.back();
    open_requests_.pop_back();
  }
  return run_network(
      network, domain::DeliverTraining{prefix_ + "td-" + std::to_string(counter_), topic, today(),
                                       static_cast<int>(pick(40)) + 1, request_id});
}

bool Workload::meeting() {
  auto run_meeting = [&](const std::string& id, domain::MeetingCommand c) {
    return accept(run_sync([&](CommandDone done) {
      registry_.execute_meeting(id, std::move(c), meta("coordinator"), std::move(done));
    }));
  };
  const std::size_t choice = pick(4);
  if (choice == 0 || meeting_ids_.empty()) {
    domain::ScheduleMeeting s;
    s.meeting_id = prefix_ + "mtg-" + std::to_string(counter_);
    s.network_id = pick_network();
    for (const auto& n : networks_) {
      if (n != s.network_id && pick(3) == 0) s.joint_with.push_back(n);
    }
    s.scheduled_for = domain::add_days(today(), 14);
    s.format = kFormats[pick(std::size(kFormats))];
    s.location = "Town hall";
    s.agenda = {"Situation", "Cases"};
    const std::string id = s.meeting_id;
    if (!run_meeting(id, std::move(s))) return false;
    meetings_[id] = 0;
    meeting_ids_.push_back(id);
    return true;
  }
  const std::string id = meeting_ids_[pick(meeting_ids_.size())];
  if (choice == 1) {
    domain::RescheduleMeeting r;
    r.scheduled_for = domain::add_days(today(), 21);
    if (pick(2) == 0) r.location = "Library";
    return run_meeting(id, std::move(r));
  }
  if (choice == 2 && meetings_[id] == 1) {
    domain::AmendMeetingRecord a;
    a.reason = "corrected";
    if (pick(2) == 0) a.held_on = domain::add_days(today(), -1);
    if (pick(2) == 0) a.themes = std::vector<std::string>{pick_theme(), pick_theme()};
    if (pick(2) == 0) a.attendee_count = static_cast<int>(pick(30)) + 3;
    if (pick(3) == 0) a.notes = "";
    return run_meeting(id, std::move(a));
  }
  if (choice == 2) {
    domain::RecordMeetingHeld h;
    h.held_on = today();
    // Attendees from every network; those not taking part get the command refused.
    const auto current = current_members_of(pick_network());
    for (std::size_t i = 0; i < current.size() && i < 3; ++i) h.attendees.push_back(current[i]);
    if (h.attendees.empty() || pick(2) == 0)
      h.attendee_count = static_cast<int>(h.attendees.size()) + 2;
    h.themes = {pick_theme()};
    if (pick(2) == 0) h.notes = "Good discussion";
    const bool ok = run_meeting(id, std::move(h));
    if (ok) meetings_[id] = 1;
    return ok;
  }
  const bool ok = run_meeting(
      id, domain::CancelMeeting{pick(2) == 0 ? std::optional<std::string>("ill") : std::nullopt});
  if (ok) meetings_[id] = 2;
  return ok;
}

bool Workload::taxonomy() {
  const std::string n = std::to_string(counter_);
  if (pick(3) == 0) {  // a target group with an alias
    return accept(run_sync([&](CommandDone done) {
      registry_.execute_taxonomy(
          domain::AddTaxonomyEntry{domain::TaxonomyKind::kTargetGroup,
                                   "group_" + n,
                                   {"Ryhmä " + n, "Grupp " + n, "Group " + n},
                                   std::nullopt,
                                   {"Groups " + n}},
          meta("admin"), std::move(done));
    }));
  }
  const std::string code = "theme_" + n;
  std::optional<std::string> family;
  if (pick(2) == 0) family = "forced_labour";
  const bool ok = accept(run_sync([&](CommandDone done) {
    registry_.execute_taxonomy(
        domain::AddTaxonomyEntry{
            domain::TaxonomyKind::kTheme, code, {"Teema", "Tema", "Theme"}, family},
        meta("admin"), std::move(done));
  }));
  if (ok) themes_.push_back(code);
  return ok;
}

bool Workload::token() {
  if (!tokens_.empty() && pick(3) == 0) {
    const std::string id = tokens_[pick(tokens_.size())];
    return accept(run_sync([&](CommandDone done) {
      registry_.execute_token(id, domain::RevokeToken{id}, meta("admin"), std::move(done));
    }));
  }
  const std::string id = prefix_ + "tok-" + std::to_string(counter_);
  auto [secret, hash] = Registry::new_token_secret();
  domain::IssueToken t;
  t.token_id = id;
  t.name = "token " + id;
  t.role = pick(2) == 0 ? "analyst" : "coordinator";
  if (t.role == "coordinator") t.networks = {pick_network()};
  t.secret_hash = hash;
  const bool ok = accept(run_sync([&](CommandDone done) {
    registry_.execute_token(id, std::move(t), meta("admin"), std::move(done));
  }));
  if (ok) tokens_.push_back(id);
  return ok;
}

}  // namespace ikv::app::testing
