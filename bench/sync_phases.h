// The measurements sync_bench makes of the Zoom sync: the real
// daemon (a separate `serve` process) against the fake Zoom served over
// HTTPS in this process. Each phase starts its own daemon on a fresh data
// dir, prints rows of a Markdown table ("| measure | result | target |
// verdict |") on stdout, stops everything and returns false (message on
// stderr) when the daemon misbehaved.
#ifndef TELEMED_BENCH_SYNC_PHASES_H_
#define TELEMED_BENCH_SYNC_PHASES_H_

#include <string>

namespace telemed {
namespace bench {

struct SyncBenchOptions {
  int zoom_latency_ms = 50;  // the fake's answer time for every API call
  int samples = 200;         // latency: measured PUT-to-join_url samples
  int warmup = 3;            // latency: samples before those, not counted
  int pause_ms = 0;          // scenario: pause between samples
  int latency_doctors = 4;   // latency: doctors the samples rotate over
  int backlog = 2000;        // drain: future appointments PUT at once
  int doctors = 40;          // drain: doctors they spread over
  int history = 8000;        // memory: past appointments added after it
  int rss_settle_s = 5;      // memory: idle time before reading VmRSS
};

// PUT one appointment, then long-poll the feed until it carries the join
// URL; one at a time, so each sample is a lone PUT.
bool MeasureJoinLatency(const SyncBenchOptions& options);

// Like the latency phase, one PUT at a time, but the client does what
// `scenario` names around each PUT:
//   plain              as the latency phase (4 doctors, two days ahead)
//   new-doctor         a new doctor (and Zoom user) PUT right before each
//   email-doctor       the same, the doctor's Zoom user given by e-mail
//   doctor-reput       the doctor PUT again, unchanged, before each
//   doctor-rename      the doctor PUT again with a new name before each
//   soon / later-today / in-progress
//                      starting in 30 min / 3 h / 10 min ago
//   topic / no-timezone
//                      with a topic and America/New_York / without a zone
//   reput-appointment  the same appointment PUT again right after
//   after-restart      the daemon restarted, the first PUTs at once
//   fresh-start        doctors stored through the CLI before the first
//                      start, the first PUTs at once (the start-up check's
//                      token and user look-ups run meanwhile)
// One row: PUT's answer to synced in the feed, and the Zoom requests of the
// measured samples by kind.
bool MeasureClientScenario(const SyncBenchOptions& options,
                           const std::string& scenario);

// PUTs `backlog` appointments across `doctors` as fast as the API takes
// them, follows the feed until all are synced, and reads the create rate
// and 429s off the fake's request log. Then adds `history` past
// appointments (no meeting is wanted for them), waits until all read
// synced, and reports the daemon's VmRSS.
bool MeasureBacklogAndMemory(const SyncBenchOptions& options);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_SYNC_PHASES_H_
