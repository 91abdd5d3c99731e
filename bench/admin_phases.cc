#include "admin_phases.h"

#include <cjson/cJSON.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <initializer_list>
#include <string>
#include <thread>
#include <vector>

#include "latency_stats.h"
#include "proc_stat.h"
#include "web/static_assets.h"

namespace telemed {
namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kFillConnections = 8;
const char* const kZones[] = {"Europe/Berlin", "America/New_York", "UTC",
                              "Asia/Kolkata"};

std::string AppointmentId(int i) {
  char id[32];
  std::snprintf(id, sizeof(id), "appt-%06d", i);
  return id;
}

std::string UtcText(std::time_t at) {
  std::tm tm{};
  gmtime_r(&at, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// Appointment i: the first `future` start within the next days (every 30
// min from an hour ahead), the rest every 7 min back from an hour ago.
std::string AppointmentBody(int i, int future, int doctors, std::time_t now) {
  const std::time_t start =
      i < future ? now + 3600 + i * 1800 : now - 3600 - (i - future) * 420;
  return std::string("{\"doctor_id\":\"dr-") + std::to_string(i % doctors) +
         "\",\"start_time\":\"" + UtcText(start) +
         "\",\"duration_minutes\":30,\"timezone\":\"" + kZones[i % 4] +
         "\",\"topic\":\"Visit " + std::to_string(i) +
         "\",\"cancelled\":false}";
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A member of a JSON object by path ("queue", "pending"); null when absent.
const cJSON* Member(const cJSON* json,
                    std::initializer_list<const char*> path) {
  for (const char* key : path) {
    json = cJSON_GetObjectItemCaseSensitive(json, key);
  }
  return json;
}

void PrintStats(const std::string& measure, const LatencyStats& stats,
                const std::string& extra) {
  std::printf("| %s | %.2f / %.2f / %.2f ms%s |\n", measure.c_str(),
              stats.PercentileMs(50), stats.PercentileMs(99), stats.MaxMs(),
              extra.c_str());
}

}  // namespace

int FillAppointments(int api_port, const std::string& api_key, int count,
                     int future, int doctors) {
  const std::time_t now = std::time(nullptr);
  std::atomic<int> next{0};
  std::atomic<int> failed{0};
  const Clock::time_point start = Clock::now();
  std::vector<std::thread> writers;
  for (int w = 0; w < kFillConnections; ++w) {
    writers.emplace_back([&] {
      httplib::Client client("127.0.0.1", api_port);
      client.set_keep_alive(true);
      // httplib sends the head and the body apart: without this each PUT
      // waits ~40 ms for the daemon's delayed ACK (Nagle).
      client.set_tcp_nodelay(true);
      const httplib::Headers headers = {{"Authorization", "Bearer " + api_key}};
      for (int i = next++; i < count; i = next++) {
        httplib::Result res = client.Put(
            "/api/v1/appointments/" + AppointmentId(i), headers,
            AppointmentBody(i, future, doctors, now), "application/json");
        if (!res || (res->status != 201 && res->status != 200)) {
          if (failed++ == 0) {
            std::fprintf(stderr, "admin_bench: PUT %s: %d %s\n",
                         AppointmentId(i).c_str(), res ? res->status : -1,
                         res ? res->body.c_str() : "");
          }
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  if (failed > 0) {
    std::fprintf(stderr, "admin_bench: %d PUTs failed\n", failed.load());
    return 1;
  }
  std::printf(
      "| Filling: %d appointments PUT through /api/v1 (plain listener, %d "
      "connections; %d future, %d past; %d doctors) | %.1f s |\n",
      count, kFillConnections, future, count - future, doctors,
      SecondsSince(start));
  return 0;
}

int SetUpAdmin(const AdminTarget& target, const std::string& setup_code,
               const std::string& password, int max_seconds) {
  AdminClient client(target);
  const Clock::time_point start = Clock::now();
  if (!client.SignIn(setup_code, password)) return 1;
  std::printf(
      "| Set up over HTTPS (new connection, PBKDF2 of the new password "
      "included) | %.0f ms |\n",
      SecondsSince(start) * 1000);
  const Clock::time_point wait_start = Clock::now();
  while (SecondsSince(wait_start) < max_seconds) {
    httplib::Result res = client.Get("/admin/api/overview");
    if (!res || res->status != 200) {
      std::fprintf(stderr, "admin_bench: overview answered %d\n",
                   res ? res->status : -1);
      return 1;
    }
    cJSON* json = cJSON_Parse(res->body.c_str());
    const cJSON* pending = Member(json, {"queue", "pending"});
    const cJSON* failed = Member(json, {"queue", "failed"});
    const bool settled = cJSON_IsNumber(pending) && pending->valueint == 0;
    const int failed_count = cJSON_IsNumber(failed) ? failed->valueint : -1;
    cJSON_Delete(json);
    if (settled) {
      std::printf(
          "| Sync queue settled after the fill (overview: 0 pending, %d "
          "failed) | %.1f s after set-up |\n",
          failed_count, SecondsSince(wait_start));
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::fprintf(stderr, "admin_bench: the queue did not settle in %d s\n",
               max_seconds);
  return 1;
}

namespace {

// The page's URLs as a browser asks for them: "/" (index.html) first, then
// every other asset compiled in.
std::vector<std::string> PagePaths() {
  std::vector<std::string> paths = {"/"};
  for (const web::StaticAsset& asset : web::StaticAssets::Embedded().assets()) {
    if (asset.path != "/index.html") paths.push_back(asset.path);
  }
  return paths;
}

struct PageFetch {
  size_t bytes = 0;  // body bytes as sent (gzip where gzipped)
  int not_modified = 0;
  bool ok = true;
};

// One load of every path on `client`; `etags` (when not null) are sent as
// If-None-Match and filled from the answers.
PageFetch FetchPage(AdminClient* client, const std::vector<std::string>& paths,
                    std::vector<std::string>* etags) {
  PageFetch fetch;
  for (size_t i = 0; i < paths.size(); ++i) {
    httplib::Result res =
        client->Get(paths[i], etags != nullptr ? (*etags)[i] : "");
    if (!res || (res->status != 200 && res->status != 304)) {
      std::fprintf(stderr, "admin_bench: GET %s answered %d\n",
                   paths[i].c_str(), res ? res->status : -1);
      fetch.ok = false;
      return fetch;
    }
    fetch.bytes += res->body.size();
    if (res->status == 304) ++fetch.not_modified;
    if (etags != nullptr) (*etags)[i] = res->get_header_value("ETag");
  }
  return fetch;
}

std::chrono::nanoseconds Since(Clock::time_point start) {
  return Clock::now() - start;
}

}  // namespace

namespace {

// A browser opens up to 6 connections to one origin (HTTP/1.1).
constexpr int kBrowserConnections = 6;

void PrintAssetBudget(size_t files) {
  const web::StaticAssets& assets = web::StaticAssets::Embedded();
  size_t gzip_bytes = 0;
  for (const web::StaticAsset& asset : assets.assets()) {
    gzip_bytes += std::min(asset.gzip.size(), asset.raw.size());
  }
  std::printf(
      "| Page assets compiled in: %zu files, raw / smaller of gzip and raw "
      "| %.1f KiB / %.1f KiB (budget: < 100 KiB raw) |\n",
      files, assets.total_raw_bytes() / 1024.0, gzip_bytes / 1024.0);
}

// Every round: a new connection, every path one after another on it.
bool MeasureColdSequential(const AdminTarget& target,
                           const std::vector<std::string>& paths, int rounds) {
  LatencyStats cold;
  PageFetch fetch;
  for (int round = 0; round < rounds; ++round) {
    AdminClient client(target);
    const Clock::time_point start = Clock::now();
    fetch = FetchPage(&client, paths, nullptr);
    if (!fetch.ok) return false;
    cold.Add(Since(start));
  }
  PrintStats("Page load, cold: new TLS connection, all " +
                 std::to_string(paths.size()) +
                 " assets one after another, gzip, no ETags (" +
                 std::to_string(rounds) + " rounds): p50 / p99 / max",
             cold, ", " + std::to_string(fetch.bytes) + " body bytes a load");
  return true;
}

// Every round: "/" on a new connection, then the other paths spread over
// kBrowserConnections new connections at once, as a browser that knew them
// all would (a real one finds the modules in waves, so it is slower).
bool MeasureColdParallel(const AdminTarget& target, pid_t pid,
                         const std::vector<std::string>& paths, int rounds) {
  LatencyStats cold;
  const double cpu_before = CpuMs(pid);
  for (int round = 0; round < rounds; ++round) {
    const Clock::time_point start = Clock::now();
    AdminClient first(target);
    if (!FetchPage(&first, {paths[0]}, nullptr).ok) return false;
    std::atomic<bool> ok{true};
    std::vector<std::thread> connections;
    for (int c = 0; c < kBrowserConnections; ++c) {
      connections.emplace_back([&, c] {
        std::vector<std::string> share;
        for (size_t i = 1 + c; i < paths.size(); i += kBrowserConnections) {
          share.push_back(paths[i]);
        }
        AdminClient client(target);
        if (!FetchPage(&client, share, nullptr).ok) ok = false;
      });
    }
    for (std::thread& connection : connections) connection.join();
    if (!ok) return false;
    cold.Add(Since(start));
  }
  PrintStats(
      "Page load, cold as a browser: `/` on a new TLS connection, then "
      "the other assets over " +
          std::to_string(kBrowserConnections) + " new connections at once (" +
          std::to_string(rounds) + " rounds): p50 / p99 / max",
      cold, "");
  if (cpu_before >= 0) {
    std::printf(
        "| Daemon CPU per cold page load as a browser (%d handshakes, %zu "
        "answers; user + system over those %d) | %.1f ms |\n",
        kBrowserConnections + 1, paths.size(), rounds,
        (CpuMs(pid) - cpu_before) / rounds);
  }
  return true;
}

// One kept-alive connection; every path but "/" with its ETag.
bool MeasureWarm(const AdminTarget& target,
                 const std::vector<std::string>& paths, int rounds) {
  AdminClient client(target);
  std::vector<std::string> etags(paths.size());
  if (!FetchPage(&client, paths, &etags).ok) return false;
  etags[0].clear();  // "/" is no-store: a browser keeps no ETag for it
  LatencyStats warm;
  PageFetch fetch;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::string> sent = etags;
    const Clock::time_point start = Clock::now();
    fetch = FetchPage(&client, paths, &sent);
    if (!fetch.ok) return false;
    warm.Add(Since(start));
  }
  PrintStats("Page load, warm: kept-alive connection, If-None-Match (" +
                 std::to_string(rounds) + " rounds): p50 / p99 / max",
             warm,
             ", " + std::to_string(fetch.not_modified) + " of " +
                 std::to_string(paths.size()) + " answered 304, " +
                 std::to_string(fetch.bytes) + " body bytes a load");
  return true;
}

}  // namespace

int MeasurePageLoad(const AdminTarget& target, pid_t pid, int rounds) {
  const std::vector<std::string> paths = PagePaths();
  PrintAssetBudget(paths.size());
  const bool ok = MeasureColdSequential(target, paths, rounds) &&
                  MeasureColdParallel(target, pid, paths, rounds) &&
                  MeasureWarm(target, paths, rounds);
  return ok ? 0 : 1;
}

namespace {

struct ApiRead {
  std::string measure;
  std::string path;
};

// The cursor that `GET path` hands out after `pages` pages.
bool CursorAfter(AdminClient* client, const std::string& path, int pages,
                 std::string* cursor) {
  for (int page = 0; page < pages; ++page) {
    const std::string url =
        cursor->empty()
            ? path
            : path + "?cursor=" + httplib::detail::encode_query_param(*cursor);
    httplib::Result res = client->Get(url);
    if (!res || res->status != 200) return false;
    cJSON* json = cJSON_Parse(res->body.c_str());
    const cJSON* next = Member(json, {"next_cursor"});
    *cursor = cJSON_IsString(next) ? next->valuestring : "";
    cJSON_Delete(json);
    if (cursor->empty()) return false;
  }
  return true;
}

// Rows in a list answer ("appointments" or "doctors"), -1 if none.
int RowCount(const std::string& body) {
  cJSON* json = cJSON_Parse(body.c_str());
  const cJSON* rows = Member(json, {"appointments"});
  if (rows == nullptr) rows = Member(json, {"doctors"});
  const int count = cJSON_IsArray(rows) ? cJSON_GetArraySize(rows) : -1;
  cJSON_Delete(json);
  return count;
}

int MeasureRead(AdminClient* client, const ApiRead& read, int iterations) {
  LatencyStats stats;
  std::string body;
  for (int i = 0; i < iterations; ++i) {
    const Clock::time_point start = Clock::now();
    httplib::Result res = client->Get(read.path);
    stats.Add(Since(start));
    if (!res || res->status != 200) {
      std::fprintf(stderr, "admin_bench: GET %s answered %d\n",
                   read.path.c_str(), res ? res->status : -1);
      return 1;
    }
    body = res->body;
  }
  const int rows = RowCount(body);
  std::string extra = ", " + std::to_string(body.size()) + " bytes";
  if (rows >= 0) extra += ", rows: " + std::to_string(rows);
  PrintStats(read.measure + " `" + read.path + "`", stats, extra);
  return 0;
}

}  // namespace

int MeasureAdminApi(const AdminTarget& target, const std::string& password,
                    int iterations) {
  AdminClient client(target);
  const Clock::time_point start = Clock::now();
  if (!client.SignIn("", password)) return 1;
  std::printf(
      "| Sign-in over HTTPS (new connection, PBKDF2 x 600,000 included) | "
      "%.0f ms |\n",
      std::chrono::duration<double, std::milli>(Since(start)).count());
  std::string cursor;
  const std::string list = "/admin/api/appointments";
  if (!CursorAfter(&client, list, 99, &cursor)) {
    std::fprintf(stderr, "admin_bench: fewer than 100 pages of appointments\n");
    return 1;
  }
  const std::vector<ApiRead> reads = {
      {"Session probe", "/admin/api/session"},
      {"Overview", "/admin/api/overview"},
      {"Appointments, first page (50)", list},
      {"Appointments, page 100 by cursor",
       list + "?cursor=" + httplib::detail::encode_query_param(cursor)},
      {"Appointments, Status Failed", list + "?status=failed"},
      {"Appointments, Search a doctor (1 in 10)", list + "?q=dr-3"},
      {"Appointments, Search one id", list + "?q=appt-004321"},
      {"Appointments, Search matching nothing", list + "?q=zzz"},
      {"Doctors", "/admin/api/doctors"},
  };
  for (const ApiRead& read : reads) {
    if (MeasureRead(&client, read, iterations) != 0) return 1;
  }
  return 0;
}

}  // namespace bench
}  // namespace telemed
