// The measurements sync_bench makes of the Zoom sync: the real
// daemon (a separate `serve` process) against the fake Zoom served over
// HTTPS in this process. Each phase starts its own daemon on a fresh data
// dir, prints rows of a Markdown table ("| measure | result | target |
// verdict |") on stdout, stops everything and returns false (message on
// stderr) when the daemon misbehaved.
#ifndef TELEMED_BENCH_SYNC_PHASES_H_
#define TELEMED_BENCH_SYNC_PHASES_H_

namespace telemed {
namespace bench {

struct SyncBenchOptions {
  int zoom_latency_ms = 50;  // the fake's answer time for every API call
  int samples = 200;         // latency: measured PUT-to-join_url samples
  int warmup = 3;            // latency: samples before those, not counted
  int latency_doctors = 4;   // latency: doctors the samples rotate over
  int backlog = 2000;        // drain: future appointments PUT at once
  int doctors = 40;          // drain: doctors they spread over
  int history = 8000;        // memory: past appointments added after it
  int rss_settle_s = 5;      // memory: idle time before reading VmRSS
};

// PUT one appointment, then long-poll the feed until it carries the join
// URL; one at a time, so each sample is a lone PUT.
bool MeasureJoinLatency(const SyncBenchOptions& options);

// PUTs `backlog` appointments across `doctors` as fast as the API takes
// them, follows the feed until all are synced, and reads the create rate
// and 429s off the fake's request log. Then adds `history` past
// appointments (no meeting is wanted for them), waits until all read
// synced, and reports the daemon's VmRSS.
bool MeasureBacklogAndMemory(const SyncBenchOptions& options);

}  // namespace bench
}  // namespace telemed

#endif  // TELEMED_BENCH_SYNC_PHASES_H_
