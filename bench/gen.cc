// ikv-bench-gen: writes a log of N events through the domain into a data
// directory (app::Registry, Durability::kAsync), shaped like years of the six
// IKV networks: members joining (with personal data, so the vault seals every
// join), leaving and changing details, observations with themes and target
// groups, meetings scheduled, moved, cancelled and held (some joint),
// training requested and delivered, stewardship transfers, a few erasures.
// Up to --window commands are in flight at once; the registry's sequencer
// decides them back to back, so they share commit groups.
//
// Optionally exports the log for PostgreSQL as CSV (position, stream,
// version, type, recorded_at, payload as JSON).
//
//   ikv-bench-gen --data DIR [--events 1000000] [--window 2048] [--csv FILE]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <boost/json/serialize.hpp>

#include "app/registry.h"
#include "crypto/random.h"
#include "domain/date.h"
#include "projections/instant.h"

namespace {

using namespace ikv;  // NOLINT(google-build-using-namespace): .cc only
using Clock = std::chrono::steady_clock;

struct Config {
  std::string data;
  std::uint64_t events = 1'000'000;
  int window = 2048;
  std::string csv;
  bool refresh_snapshot = false;  // write the snapshot of an existing log
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "ikv-bench-gen: %s\n", what.c_str());
  std::exit(1);
}

struct NetworkSeed {
  const char* id;
  const char* fi;
  const char* sv;
  const char* en;
  const char* seat;
};
constexpr NetworkSeed kNetworks[] = {
    {"south-karelia", "Etelä-Karjala", "Södra Karelen", "South Karelia", "Lappeenranta"},
    {"ostrobothnia", "Pohjanmaa", "Österbotten", "Ostrobothnia", "Vaasa"},
    {"north-savo", "Pohjois-Savo", "Norra Savolax", "North Savo", "Kuopio"},
    {"turku", "Turku", "Åbo", "Turku", "Turku"},
    {"oulu", "Oulu", "Uleåborg", "Oulu", "Oulu"},
    {"tampere", "Tampere", "Tammerfors", "Tampere", "Tampere"},
};
constexpr int kNetworkCount = 6;

const std::vector<std::string> kSectors = {
    "integration_services",      "reception_centre", "police", "border_guard",      "kela",
    "wellbeing_services_county", "victim_support",   "ngo",    "legal_aid",         "trade_union",
    "employment_services",       "youth_work",       "parish", "labour_inspection", "other"};
const std::vector<std::string> kThemes = {"forced_labour",
                                          "labour_exploitation",
                                          "forced_marriage",
                                          "child_exploitation",
                                          "youth_exploitation",
                                          "sexual_exploitation",
                                          "seasonal_work",
                                          "wellbeing_county_transition",
                                          "lack_of_operating_models",
                                          "lack_of_training",
                                          "reluctance_to_report",
                                          "undocumented_persons",
                                          "other"};
const std::vector<std::string> kGroups = {
    "Thai nationals",     "Ukrainian nationals",  "seasonal workers",
    "young people",       "undocumented persons", "berry pickers",
    "restaurant workers", "construction workers", "students",
    "asylum seekers"};
const std::vector<std::string> kFirst = {"Aino",  "Eero",  "Helmi", "Juhani", "Liisa", "Mikko",
                                         "Saara", "Tapio", "Elsa",  "Oskari", "Anna",  "Lars"};
const std::vector<std::string> kLast = {"Virtanen",   "Korhonen", "Nieminen",  "Mäkinen",
                                        "Hämäläinen", "Laine",    "Lindqvist", "Heikkinen",
                                        "Koskinen",   "Järvinen", "Nyström",   "Salo"};
const std::vector<std::string> kFormats = {"in_person", "remote", "hybrid"};
const std::vector<std::string> kTopics = {"trafficking_phenomenon", "victim_identification"};

struct Person {
  std::string id;
};

// What the generator knows of one network: committed members and meetings.
struct NetworkPool {
  std::vector<Person> members;      // joined (committed) and not leaving
  std::deque<std::string> planned;  // scheduled (committed) meetings, oldest first
  std::vector<std::string> recent;  // meetings to refer to from observations
  domain::Date last_transfer{2019, 1, 1};
};

class Generator {
 public:
  Generator(app::Registry& reg, Config c) : reg_(reg), cfg_(std::move(c)), rng_(20240417) {}

  void run() {
    establish();
    const std::uint64_t target = cfg_.events;
    auto start = Clock::now();
    for (;;) {
      while (planned_.load() < static_cast<std::int64_t>(target)) {
        wait_window();
        planned_.fetch_add(1);
        in_flight_.fetch_add(1);
        issue_one();
      }
      drain();
      if (planned_.load() >= static_cast<std::int64_t>(target)) break;
    }
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("generated %llu events in %.2f s: %.0f events/s (rejected commands: %llu)\n",
                static_cast<unsigned long long>(reg_.store().head_position()), s,
                static_cast<double>(reg_.store().head_position()) / s,
                static_cast<unsigned long long>(rejected_.load()));
    std::printf("RESULT gen_events_per_s %.0f\n",
                static_cast<double>(reg_.store().head_position()) / s);
  }

 private:
  static app::CommandMeta meta() { return app::CommandMeta{.actor = "bench-loader"}; }

  void establish() {
    for (const auto& n : kNetworks) {
      domain::EstablishNetwork c{n.id,   {n.fi, n.sv, n.en},       n.en,
                                 n.seat, "Victim Support Finland", domain::Date{2019, 1, 1}};
      sync_network(n.id, std::move(c));
    }
    planned_ = static_cast<std::int64_t>(reg_.store().head_position());
  }

  void sync_network(const std::string& id, domain::NetworkCommand c) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    reg_.execute_network(id, std::move(c), meta(), [&](app::CommandResult r) {
      if (std::holds_alternative<app::CommandFailure>(r)) {
        die("establish " + id + ": " + std::get<app::CommandFailure>(r).message);
      }
      std::lock_guard l(m);
      done = true;
      cv.notify_all();
    });
    std::unique_lock l(m);
    cv.wait(l, [&] { return done; });
  }

  void wait_window() {
    std::unique_lock l(win_mu_);
    win_cv_.wait(l, [&] { return in_flight_.load() < cfg_.window; });
  }
  void drain() {
    std::unique_lock l(win_mu_);
    win_cv_.wait(l, [&] { return in_flight_.load() == 0; });
  }
  // Completion of one command; `on_ok` runs under pool_mu_.
  app::CommandDone finish(std::function<void()> on_ok = {}) {
    return [this, on_ok = std::move(on_ok)](app::CommandResult r) {
      if (std::holds_alternative<app::CommandOk>(r)) {
        if (on_ok) {
          std::lock_guard l(pool_mu_);
          on_ok();
        }
      } else {
        const auto& f = std::get<app::CommandFailure>(r);
        if (rejected_.fetch_add(1) < 5) std::fprintf(stderr, "rejected: %s\n", f.message.c_str());
        planned_.fetch_sub(1);
      }
      std::lock_guard l(win_mu_);
      in_flight_.fetch_sub(1);
      win_cv_.notify_all();
    };
  }

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <class T>
  const T& any_of(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
  }

  // Effective date of the event being issued: 2019-01-01 .. about seven years on.
  domain::Date today() const {
    const auto i = static_cast<std::int64_t>(planned_.load());
    return domain::add_days(
        domain::Date{2019, 1, 2},
        i * 2550 / static_cast<std::int64_t>(std::max<std::uint64_t>(cfg_.events, 1)));
  }

  void issue_one() {
    // Commands come in runs per network: the registry keeps one chained state
    // per stream while commands are in flight, so a run shares it.
    if (run_left_ == 0) {
      run_net_ = pick(kNetworkCount);
      run_left_ = 256;
    }
    --run_left_;
    const int net = run_net_;
    const std::string id = kNetworks[net].id;
    NetworkPool& pool = pools_[net];
    const int roll = pick(1000);
    const domain::Date d = today();
    std::unique_lock l(pool_mu_);
    const std::size_t members = pool.members.size();
    if (roll < 60 || members < 20) return join(id, pool, d, l);
    if (roll < 100) return leave(id, pool, d, l);
    if (roll < 120) return change(id, pool, l);
    if (roll < 300) return schedule(id, net, pool, d, l);
    if (roll < 380 && !pool.planned.empty()) return hold(pool, d, l);
    if (roll < 390 && !pool.planned.empty()) return cancel_or_move(pool, d, l);
    if (roll < 500) {
      l.unlock();
      domain::RequestTraining c{crypto::uuid_v4(), any_of(kTopics), d, "for new members"};
      return reg_.execute_network(id, std::move(c), meta(), finish());
    }
    if (roll < 590) {
      l.unlock();
      domain::DeliverTraining c{crypto::uuid_v4(), any_of(kTopics), d, 5 + pick(60)};
      return reg_.execute_network(id, std::move(c), meta(), finish());
    }
    if (roll < 591 &&
        domain::days_from_civil(d) > domain::days_from_civil(pool.last_transfer) + 180) {
      pool.last_transfer = d;
      l.unlock();
      const char* stewards[] = {"Assistance System for Victims of Human Trafficking",
                                "Victim Support Finland", "Pro-tukipiste"};
      domain::TransferStewardship c{stewards[pick(3)], d};
      return reg_.execute_network(id, std::move(c), meta(), finish());
    }
    if (roll < 592 && ++erase_tick_ % 64 == 0) return erase(pool, l);
    observe(id, pool, d, l);
  }

  void join(const std::string& id, NetworkPool& pool, domain::Date d,
            std::unique_lock<std::mutex>& l) {
    (void)pool;
    l.unlock();
    const std::uint64_t n = person_seq_.fetch_add(1);
    std::string first = any_of(kFirst), last = any_of(kLast);
    domain::JoinNetwork c;
    c.member_id = crypto::uuid_v4();
    c.personal.name = first + " " + last;
    c.personal.email = first + "." + last + "." + std::to_string(n) + "@example.fi";
    if (pick(3) != 0) c.personal.phone = "+358 40 " + std::to_string(1000000 + n % 8999999);
    c.sector = any_of(kSectors);
    c.organisation = "Organisation " + std::to_string(n % 997) + " (" + c.sector + ")";
    if (pick(2) == 0) c.title = "Senior adviser";
    c.joined_on = d;
    const int net = static_cast<int>(&pool - pools_);
    reg_.execute_network(id, c, meta(), finish([this, net, m = c.member_id] {
                           pools_[net].members.push_back(Person{m});
                         }));
  }

  void leave(const std::string& id, NetworkPool& pool, domain::Date d,
             std::unique_lock<std::mutex>& l) {
    const auto k = static_cast<std::size_t>(pick(static_cast<int>(pool.members.size())));
    std::string member = pool.members[k].id;
    pool.members[k] = pool.members.back();
    pool.members.pop_back();
    l.unlock();
    domain::LeaveNetwork c{
        member, d, pick(2) == 0 ? std::optional<std::string>("changed jobs") : std::nullopt};
    reg_.execute_network(id, std::move(c), meta(), finish());
  }

  void change(const std::string& id, NetworkPool& pool, std::unique_lock<std::mutex>& l) {
    std::string member = any_of(pool.members).id;
    l.unlock();
    domain::ChangeMemberDetails c;
    c.member_id = member;
    c.phone = "+358 50 " + std::to_string(2000000 + person_seq_.fetch_add(1) % 7999999);
    reg_.execute_network(id, std::move(c), meta(), finish());
  }

  void erase(NetworkPool& pool, std::unique_lock<std::mutex>& l) {
    const auto k = static_cast<std::size_t>(pick(static_cast<int>(pool.members.size())));
    std::string member = pool.members[k].id;
    pool.members[k] = pool.members.back();  // erased: no more details to change
    pool.members.pop_back();
    l.unlock();
    reg_.erase_personal_data(member, meta(), finish());
  }

  void schedule(const std::string& id, int net, NetworkPool& pool, domain::Date d,
                std::unique_lock<std::mutex>& l) {
    (void)pool;
    l.unlock();
    domain::ScheduleMeeting c;
    c.meeting_id = crypto::uuid_v4();
    c.network_id = id;
    if (pick(7) == 0)
      c.joint_with.emplace_back(kNetworks[(net + 1 + pick(kNetworkCount - 1)) % kNetworkCount].id);
    c.scheduled_for = domain::add_days(d, 14 + pick(45));
    c.format = any_of(kFormats);
    c.location = c.format == "remote" ? "Teams" : std::string(kNetworks[net].seat) + " city hall";
    c.agenda = {"current matters", "wishes and goals"};
    reg_.execute_meeting(c.meeting_id, c, meta(), finish([this, net, m = c.meeting_id] {
                           pools_[net].planned.push_back(m);
                         }));
  }

  void hold(NetworkPool& pool, domain::Date d, std::unique_lock<std::mutex>& l) {
    std::string meeting = pool.planned.front();
    pool.planned.pop_front();
    domain::RecordMeetingHeld c;
    c.held_on = d;
    const int n = std::min<int>(3 + pick(6), static_cast<int>(pool.members.size()));
    for (int i = 0; i < n; ++i) {
      const std::string& m = any_of(pool.members).id;
      if (std::find(c.attendees.begin(), c.attendees.end(), m) == c.attendees.end()) {
        c.attendees.push_back(m);
      }
    }
    c.attendee_count = static_cast<int>(c.attendees.size()) + pick(12);
    for (int i = 0, t = 1 + pick(3); i < t; ++i) {
      const std::string& th = any_of(kThemes);
      if (std::find(c.themes.begin(), c.themes.end(), th) == c.themes.end()) c.themes.push_back(th);
    }
    c.notes = "Getting organised; current matters";
    pool.recent.push_back(meeting);
    if (pool.recent.size() > 64) pool.recent.erase(pool.recent.begin());
    l.unlock();
    reg_.execute_meeting(meeting, std::move(c), meta(), finish());
  }

  void cancel_or_move(NetworkPool& pool, domain::Date d, std::unique_lock<std::mutex>& l) {
    std::string meeting = pool.planned.front();
    const bool cancel = pick(2) == 0;
    if (cancel) pool.planned.pop_front();
    l.unlock();
    if (cancel) {
      reg_.execute_meeting(meeting, domain::CancelMeeting{"too few participants"}, meta(),
                           finish());
    } else {
      domain::RescheduleMeeting c{domain::add_days(d, 30 + pick(30)), std::nullopt, std::nullopt};
      reg_.execute_meeting(meeting, std::move(c), meta(), finish());
    }
  }

  void observe(const std::string& id, NetworkPool& pool, domain::Date d,
               std::unique_lock<std::mutex>& l) {
    domain::RecordObservation c;
    c.observation_id = crypto::uuid_v4();
    c.theme = any_of(kThemes);
    c.observed_on = d;
    for (int i = 0, g = pick(3); i < g; ++i) {
      const std::string& tg = any_of(kGroups);
      if (std::find(c.target_groups.begin(), c.target_groups.end(), tg) == c.target_groups.end()) {
        c.target_groups.push_back(tg);
      }
    }
    if (!pool.recent.empty() && pick(3) == 0) c.meeting_id = any_of(pool.recent);
    if (pick(2) == 0) c.summary = "Raised by members working with " + any_of(kGroups);
    l.unlock();
    reg_.execute_network(id, std::move(c), meta(), finish());
  }

  app::Registry& reg_;
  Config cfg_;
  std::mt19937_64 rng_;  // used by the issuing thread only
  std::mutex pool_mu_;
  NetworkPool pools_[kNetworkCount];
  std::mutex win_mu_;
  std::condition_variable win_cv_;
  std::atomic<int> in_flight_{0};
  std::atomic<std::int64_t> planned_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::uint64_t> person_seq_{0};
  std::uint64_t erase_tick_ = 0;
  int run_net_ = 0;
  int run_left_ = 0;
};

// Writes the log as CSV for PostgreSQL's COPY ... WITH (FORMAT csv). Stored
// payloads are binary (docs/storage-encoding.md) and PostgreSQL's column is
// json: each payload goes as the JSON the API shows, personal fields null
// (so PostgreSQL's rows are somewhat smaller than the registry's records).
void export_csv(const app::Registry& reg, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) die("cannot write " + path);
  auto quoted = [](const std::string& s) {
    std::string q = "\"";
    for (char ch : s) {
      if (ch == '"') q += '"';
      q += ch;
    }
    return q + "\"";
  };
  auto start = Clock::now();
  auto n = reg.store().scan_all(0, [&](const eventstore::RecordedEvent& e) {
    out << e.position << ',' << quoted(e.stream) << ',' << e.version << ',' << quoted(e.type) << ','
        << projections::format_instant(e.recorded_at_us) << ',';
    auto rendered = reg.event_json(e, false);
    if (!rendered) die("export: event " + std::to_string(e.position) + " does not decode");
    out << quoted(boost::json::serialize(rendered->at("payload"))) << '\n';
    return true;
  });
  if (!n) die("export: " + n.error().message);
  out.close();
  std::printf("exported %llu events to %s in %.2f s\n", static_cast<unsigned long long>(*n),
              path.c_str(), std::chrono::duration<double>(Clock::now() - start).count());
}

Config parse(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--data")
      c.data = value();
    else if (a == "--events")
      c.events = std::stoull(value());
    else if (a == "--window")
      c.window = std::stoi(value());
    else if (a == "--csv")
      c.csv = value();
    else if (a == "--refresh-snapshot")
      c.refresh_snapshot = true;
    else
      die("usage: ikv-bench-gen --data DIR [--events N] [--window N] [--csv FILE]\n"
          "       ikv-bench-gen --data DIR --refresh-snapshot");
  }
  if (c.data.empty()) die("--data is required");
  if (c.window < 1) c.window = 1;
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg = parse(argc, argv);
  // Snapshots only on close: the load is what is timed.
  auto opened = app::Registry::open({.data_dir = cfg.data,
                                     .durability = eventstore::Durability::kAsync,
                                     .snapshot_every_events = 0});
  if (!opened) die("open " + cfg.data + ": " + opened.error().message);
  auto& reg = **opened;
  if (cfg.refresh_snapshot) {
    // An existing log whose snapshot is missing, or has a section of an older
    // format: the open above replayed what it lacked; write the snapshot a
    // restart starts from. A current one is left as it is.
    const app::OpenReport& opened_from = reg.open_report();
    if (opened_from.snapshot_position == reg.store().head_position() &&
        opened_from.snapshot_rebuilt.empty() && opened_from.snapshot_problem.empty()) {
      std::printf("snapshot at position %llu is current\n",
                  static_cast<unsigned long long>(opened_from.snapshot_position));
      reg.close();
      return 0;
    }
    auto written = reg.snapshot_now();
    if (!written) die("snapshot: " + written.error().message);
    std::printf("snapshot written at position %llu\n", static_cast<unsigned long long>(*written));
    reg.close();
    return 0;
  }
  if (reg.store().head_position() != 0) die(cfg.data + " is not empty");
  Generator(reg, cfg).run();
  if (!cfg.csv.empty()) export_csv(reg, cfg.csv);
  reg.close();
  return 0;
}
