#include "sync_phases.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "feed_follower.h"
#include "latency_stats.h"
#include "support/process_stats.h"
#include "support/zoom_bridge.h"

namespace telemed {
namespace bench {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

constexpr char kCreatePath[] = "/v2/users/";
// The Pro plan's create (Medium) budget and the share of it to reach.
constexpr double kProCreatesPerSecond = 20;
constexpr double kRateTarget = 0.95 * kProCreatesPerSecond;

std::string Format(const char* format, ...)
    __attribute__((format(printf, 1, 2)));

std::string Format(const char* format, ...) {
  char text[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof(text), format, args);
  va_end(args);
  return text;
}

void Row(const std::string& measure, const std::string& result,
         const std::string& target, const std::string& verdict) {
  std::printf("| %s | %s | %s | %s |\n", measure.c_str(), result.c_str(),
              target.c_str(), verdict.c_str());
  std::fflush(stdout);
}

const char* Verdict(bool met) { return met ? "met" : "**missed**"; }

bool Fail(const std::string& what) {
  std::fprintf(stderr, "sync_bench: %s\n", what.c_str());
  return false;
}

// VmRSS of process `pid` in MiB; 0 when it cannot be read.
double VmRssMiB(pid_t pid) { return test::VmRssKib(pid) / 1024.0; }

// A daemon on the Pro plan against a fake answering in `latency_ms`, with
// doctors d1..dN hosted by Zoom users u1..uN. With `doctors_before_start`
// the doctors are stored through the CLI before the daemon starts (as an
// installer does), so its start-up Zoom check fetches the first token and
// looks up every doctor's user; otherwise they are PUT once it runs. Null
// on failure.
std::unique_ptr<test::ZoomBridge> StartBridge(
    int doctors, int latency_ms, bool doctors_before_start = false) {
  test::ZoomBridge::Options options;
  options.zoom.latency_ms = latency_ms;
  options.users.clear();
  for (int i = 1; i <= doctors; ++i) {
    options.users.push_back("u" + std::to_string(i));
  }
  options.serve_args = {"--zoom-plan", "pro"};
  auto bridge = std::make_unique<test::ZoomBridge>(options);
  const std::string data_dir = bridge->CliFlags()[1];
  for (int i = 1; doctors_before_start && i <= doctors; ++i) {
    std::string n = std::to_string(i);
    test::CliResult put =
        test::RunCli({"doctor", "put", "d" + n, "--name", "Dr d" + n,
                      "--zoom-user", "u" + n, "--data-dir", data_dir});
    if (put.exit_code != 0) {
      Fail("doctor put d" + n + ": " + put.err);
      return nullptr;
    }
  }
  Status s = bridge->Start();
  if (!s.ok()) {
    Fail("the daemon did not start: " + s.ToString());
    return nullptr;
  }
  for (int i = 1; !doctors_before_start && i <= doctors; ++i) {
    std::string n = std::to_string(i);
    if (bridge->PutDoctor("d" + n, "u" + n).status != 201) {
      Fail("PUT /doctors/d" + n + " was refused");
      return nullptr;
    }
  }
  return bridge;
}

// PUTs appointments prefix0..prefix(count-1), round robin over doctors
// d1..d`doctors`, the i-th starting `first_start_s` + i * `spacing_s` from
// now.
bool PutAppointments(test::ZoomBridge* bridge, const std::string& prefix,
                     int count, int doctors, int64_t first_start_s,
                     int64_t spacing_s) {
  for (int i = 0; i < count; ++i) {
    std::string doctor = "d" + std::to_string(i % doctors + 1);
    std::string start = test::UtcFromNow(first_start_s + i * spacing_s);
    std::string id = prefix + std::to_string(i);
    if (bridge->PutAppointment(id, doctor, start, 30).status != 201) {
      return Fail("PUT /appointments/" + id + " was refused");
    }
  }
  return true;
}

int Count429s(const test::FakeZoom& zoom) {
  int count = 0;
  for (const test::LoggedRequest& entry : zoom.Requests()) {
    if (entry.status == 429) ++count;
  }
  return count;
}

// One latency sample: a lone PUT until its join_url is in the feed
// (*latency, from before the PUT), and from the PUT's answer until the feed
// reads it synced (*to_synced).
bool SampleJoinLatency(test::ZoomBridge* bridge, FeedFollower* feed, int i,
                       int doctors, std::chrono::nanoseconds* latency,
                       std::chrono::nanoseconds* to_synced) {
  const std::string id = "lat-" + std::to_string(i);
  const std::string doctor = "d" + std::to_string(i % doctors + 1);
  const std::string start = test::UtcFromNow(2 * 86400 + i * 60);
  const Clock::time_point t0 = Clock::now();
  if (bridge->PutAppointment(id, doctor, start, 30).status != 201) {
    return Fail("PUT /appointments/" + id + " was refused");
  }
  const Clock::time_point answered = Clock::now();
  if (!feed->WaitForJoinUrl(id, t0 + seconds(20))) {
    return Fail("no join_url for " + id + " in the feed within 20 s");
  }
  *latency = Clock::now() - t0;
  if (!feed->WaitForSyncedId(id, t0 + seconds(20))) {
    return Fail(id + " did not read synced in the feed within 20 s");
  }
  *to_synced = Clock::now() - answered;
  return true;
}

void PrintLatency(const SyncBenchOptions& options, const LatencyStats& stats,
                  const LatencyStats& to_synced, int creates) {
  const double p50 = stats.PercentileMs(50);
  const double target = options.zoom_latency_ms + 10.0;
  Row(Format("**PUT to join_url in the feed**, fake Zoom answering in %d ms, "
             "one PUT at a time: p50 / p90 / p99 / max",
             options.zoom_latency_ms),
      Format("%.1f / %.1f / %.1f / %.1f ms, %zu samples, %d creates on Zoom",
             p50, stats.PercentileMs(90), stats.PercentileMs(99), stats.MaxMs(),
             stats.count(), creates),
      Format("p50 < %.0f ms", target), Verdict(p50 < target));
  Row("PUT to join_url: p50 beyond the fake's answer time",
      Format("%.1f ms", p50 - options.zoom_latency_ms), "<= 10 ms", "");
  // One Zoom round trip plus local work.
  const double synced_p50 = to_synced.PercentileMs(50);
  const double synced_target = options.zoom_latency_ms * 1.25;
  Row(Format("**PUT's answer to synced in the feed**, fake Zoom answering "
             "in %d ms: p50 / p90 / p99 / max",
             options.zoom_latency_ms),
      Format("%.1f / %.1f / %.1f / %.1f ms, %zu samples", synced_p50,
             to_synced.PercentileMs(90), to_synced.PercentileMs(99),
             to_synced.MaxMs(), to_synced.count()),
      Format("p50 <= %.0f ms (one round trip)", synced_target),
      Verdict(synced_p50 <= synced_target));
}

// The drain's rows: the create rate at the fake and what the clinic saw.
bool PrintDrain(const SyncBenchOptions& options, test::ZoomBridge* bridge,
                Clock::duration drain) {
  const test::FakeZoom& zoom = bridge->zoom();
  std::vector<int64_t> times = zoom.RequestTimesMicros("POST", kCreatePath);
  if (times.size() < 2) return Fail("fewer than two creates reached Zoom");
  const double span_s = static_cast<double>(times.back() - times.front()) / 1e6;
  const double rate = static_cast<double>(times.size() - 1) / span_s;
  const double wall_s = std::chrono::duration<double>(drain).count();
  const int rejected = Count429s(zoom);
  Row(Format("**Backlog drain: creates/s at Zoom** (%d appointments, %d "
             "doctors, Pro plan, fake answering in %d ms)",
             options.backlog, options.doctors, options.zoom_latency_ms),
      Format("%.2f/s (%zu creates in %.1f s, first to last)", rate,
             times.size(), span_s),
      Format(">= %.0f/s (95%% of %.0f/s)", kRateTarget, kProCreatesPerSecond),
      Verdict(rate >= kRateTarget));
  Row("**Backlog drain: 429s from Zoom**", Format("%d", rejected), "0",
      Verdict(rejected == 0));
  Row("Backlog drain as the clinic sees it: first PUT to all synced in the "
      "feed",
      Format("%.1f s (%.2f appointments/s)", wall_s, options.backlog / wall_s),
      "", "");
  return true;
}

// The kind of a Zoom request, for counting: "create", "token", ...
std::string RequestKind(const test::LoggedRequest& entry) {
  const std::string& path = entry.path;
  if (path == "/oauth/token") return "token";
  const bool user = path.rfind("/v2/users/", 0) == 0;
  const bool meetings =
      path.size() > 9 && path.compare(path.size() - 9, 9, "/meetings") == 0;
  if (user && meetings) return entry.method == "POST" ? "create" : "list";
  if (user) return entry.method + " user";
  if (path.rfind("/v2/meetings/", 0) == 0) return entry.method + " meeting";
  return entry.method + " " + path;
}

// "create 20, GET user 18" for the requests logged from `first` on.
std::string CountKinds(const test::FakeZoom& zoom, size_t first) {
  std::vector<test::LoggedRequest> log = zoom.Requests();
  std::vector<std::pair<std::string, int>> counts;
  for (size_t i = first; i < log.size(); ++i) {
    const std::string kind = RequestKind(log[i]);
    auto it = std::find_if(counts.begin(), counts.end(),
                           [&](const auto& c) { return c.first == kind; });
    if (it == counts.end()) {
      counts.emplace_back(kind, 1);
    } else {
      ++it->second;
    }
  }
  std::string text;
  for (const auto& c : counts) {
    if (!text.empty()) text += ", ";
    text += c.first + " " + std::to_string(c.second);
  }
  return text.empty() ? "none" : text;
}

// What a clinic's client does around sample `i`'s PUT: returns the doctor
// the appointment goes to ("" on failure) and its start (seconds from now).
std::string PrepareSample(test::ZoomBridge* bridge, const std::string& scenario,
                          int i, int doctors, int64_t* start_s) {
  *start_s = 2 * 86400 + i * 60;
  const std::string n = std::to_string(i % doctors + 1);
  if (scenario == "new-doctor") {
    // Each appointment for a doctor PUT right before it.
    const std::string user = "nu" + std::to_string(i);
    bridge->zoom().AddUser(user, user + "@clinic.example");
    const std::string doctor = "nd" + std::to_string(i);
    return bridge->PutDoctor(doctor, user).status == 201 ? doctor : "";
  }
  if (scenario == "doctor-reput") {
    // The doctor PUT again, unchanged, before each appointment.
    return bridge->PutDoctor("d" + n, "u" + n).status == 200 ? "d" + n : "";
  }
  if (scenario == "doctor-rename") {
    // The doctor PUT again with a changed name before each appointment.
    const std::string json = R"({"name":"Dr d)" + n + " v" + std::to_string(i) +
                             R"(","auth":"s2s","zoom_user":"u)" + n + "\"}";
    return bridge->Put("/doctors/d" + n, json).status == 200 ? "d" + n : "";
  }
  if (scenario == "email-doctor") {
    // A new doctor named by the Zoom user's e-mail address.
    const std::string user = "eu" + std::to_string(i);
    bridge->zoom().AddUser(user, user + "@clinic.example");
    const std::string doctor = "ed" + std::to_string(i);
    return bridge->PutDoctor(doctor, user + "@clinic.example").status == 201
               ? doctor
               : "";
  }
  if (scenario == "soon") *start_s = 30 * 60 + i * 60;
  if (scenario == "later-today") *start_s = 3 * 3600 + i * 60;
  if (scenario == "in-progress") *start_s = -10 * 60;
  return "d" + n;
}

// The appointment PUT of a scenario (201 expected).
int PutScenarioAppointment(test::ZoomBridge* bridge,
                           const std::string& scenario, const std::string& id,
                           const std::string& doctor, int64_t start_s) {
  const std::string start = test::UtcFromNow(start_s);
  if (scenario == "topic" || scenario == "no-timezone") {
    std::string json = R"({"doctor_id":")" + doctor + R"(","start_time":")" +
                       start + R"(","duration_minutes":30)";
    if (scenario == "topic") {
      json += R"(,"topic":"Follow-up visit","timezone":"America/New_York")";
    }
    return bridge->Put("/appointments/" + id, json + "}").status;
  }
  return bridge->PutAppointment(id, doctor, start, 30).status;
}

}  // namespace

bool MeasureClientScenario(const SyncBenchOptions& options,
                           const std::string& scenario) {
  static const char* const kScenarios[] = {
      "plain",         "new-doctor",  "email-doctor",      "doctor-reput",
      "doctor-rename", "soon",        "later-today",       "in-progress",
      "topic",         "no-timezone", "reput-appointment", "after-restart",
      "fresh-start"};
  if (std::find(std::begin(kScenarios), std::end(kScenarios), scenario) ==
      std::end(kScenarios)) {
    return Fail("unknown scenario '" + scenario + "' (see sync_phases.h)");
  }
  std::unique_ptr<test::ZoomBridge> bridge =
      StartBridge(options.latency_doctors, options.zoom_latency_ms,
                  scenario == "fresh-start");
  if (bridge == nullptr) return false;
  if (scenario == "after-restart") {
    // The first PUTs right after start, with the doctors already stored:
    // the start-up Zoom check runs meanwhile.
    bridge->Terminate();
    Status s = bridge->Start();
    if (!s.ok()) return Fail("the daemon did not restart: " + s.ToString());
  }
  FeedFollower feed(bridge.get());
  if (!feed.CatchUp()) return Fail("the feed did not answer");
  LatencyStats to_synced;
  size_t first_measured = 0;
  const int total = options.warmup + options.samples;
  for (int i = 0; i < total; ++i) {
    if (i > 0 && options.pause_ms > 0) {
      // A client that is not busy: Zoom connections go idle in between.
      std::this_thread::sleep_for(std::chrono::milliseconds(options.pause_ms));
    }
    if (i == options.warmup) first_measured = bridge->zoom().Requests().size();
    int64_t start_s = 0;
    const std::string doctor = PrepareSample(bridge.get(), scenario, i,
                                             options.latency_doctors, &start_s);
    if (doctor.empty()) return Fail("the doctor PUT was refused");
    const std::string id = "sc-" + std::to_string(i);
    const Clock::time_point t0 = Clock::now();
    if (PutScenarioAppointment(bridge.get(), scenario, id, doctor, start_s) !=
        201) {
      return Fail("PUT /appointments/" + id + " was refused");
    }
    const Clock::time_point answered = Clock::now();
    if (scenario == "reput-appointment" &&
        bridge->PutAppointment(id, doctor, test::UtcFromNow(start_s), 30)
                .status != 200) {
      return Fail("the second PUT /appointments/" + id + " was refused");
    }
    if (!feed.WaitForSyncedId(id, t0 + seconds(20))) {
      return Fail(id + " did not read synced in the feed within 20 s");
    }
    if (i >= options.warmup) to_synced.Add(Clock::now() - answered);
  }
  Row(Format("PUT's answer to synced, client scenario `%s`, fake answering "
             "in %d ms: p50 / p90 / max",
             scenario.c_str(), options.zoom_latency_ms),
      Format("%.1f / %.1f / %.1f ms, %zu samples; Zoom requests: %s",
             to_synced.PercentileMs(50), to_synced.PercentileMs(90),
             to_synced.MaxMs(), to_synced.count(),
             CountKinds(bridge->zoom(), first_measured).c_str()),
      Format("p50 <= %.0f ms", options.zoom_latency_ms * 1.25),
      Verdict(to_synced.PercentileMs(50) <= options.zoom_latency_ms * 1.25));
  return true;
}

bool MeasureJoinLatency(const SyncBenchOptions& options) {
  std::unique_ptr<test::ZoomBridge> bridge =
      StartBridge(options.latency_doctors, options.zoom_latency_ms);
  if (bridge == nullptr) return false;
  FeedFollower feed(bridge.get());
  if (!feed.CatchUp()) return Fail("the feed did not answer");
  LatencyStats stats, to_synced;
  const int total = options.warmup + options.samples;
  for (int i = 0; i < total; ++i) {
    std::chrono::nanoseconds latency{0}, synced{0};
    if (!SampleJoinLatency(bridge.get(), &feed, i, options.latency_doctors,
                           &latency, &synced)) {
      return false;
    }
    // The first ones fetch the token and open Zoom connections.
    if (i >= options.warmup) {
      stats.Add(latency);
      to_synced.Add(synced);
    }
  }
  PrintLatency(options, stats, to_synced,
               bridge->zoom().CountRequests("POST", kCreatePath));
  // Every Zoom request of the phase: creates only means one round trip per
  // PUT (no look-up, read-back or user lookup on the way).
  const test::FakeZoom& zoom = bridge->zoom();
  Row("Zoom requests during the latency phase: API / token",
      Format("%d / %d for %d PUTs", zoom.CountRequests("", "/v2/"),
             zoom.CountRequests("POST", "/oauth/token"), total),
      "", "");
  return true;
}

bool MeasureBacklogAndMemory(const SyncBenchOptions& options) {
  std::unique_ptr<test::ZoomBridge> bridge =
      StartBridge(options.doctors, options.zoom_latency_ms);
  if (bridge == nullptr) return false;
  FeedFollower feed(bridge.get());
  if (!feed.CatchUp()) return Fail("the feed did not answer");
  const Clock::time_point t0 = Clock::now();
  // Three days out: no drift check falls due while the benchmark runs.
  if (!PutAppointments(bridge.get(), "due-", options.backlog, options.doctors,
                       3 * 86400, 60)) {
    return false;
  }
  const auto budget = seconds(30 + 2 * options.backlog /
                                       static_cast<int>(kProCreatesPerSecond));
  if (!feed.WaitForSynced(options.backlog, t0 + budget)) {
    return Fail(Format("only %zu of %d appointments synced in time",
                       feed.synced(), options.backlog));
  }
  if (!PrintDrain(options, bridge.get(), Clock::now() - t0)) return false;
  Row(Format("VmRSS after the drain (%d appointments, all with a meeting)",
             options.backlog),
      Format("%.1f MiB", VmRssMiB(bridge->pid())), "", "");
  // Past appointments: the clinic's history, which wants no meeting.
  if (!PutAppointments(bridge.get(), "past-", options.history, options.doctors,
                       -60 * 86400, 300)) {
    return false;
  }
  const size_t all = static_cast<size_t>(options.backlog + options.history);
  if (!feed.WaitForSynced(all, Clock::now() + seconds(120))) {
    return Fail("the history did not read synced in time");
  }
  std::this_thread::sleep_for(seconds(options.rss_settle_s));
  const double rss = VmRssMiB(bridge->pid());
  Row(Format("**VmRSS with %zu appointments stored and synced** (%d with a "
             "meeting, %d past; %d s idle after)",
             all, options.backlog, options.history, options.rss_settle_s),
      Format("%.1f MiB", rss), "< 24 MiB", Verdict(rss > 0 && rss < 24));
  return true;
}

}  // namespace bench
}  // namespace telemed
