#include "load_runner.h"

#include <thread>

namespace telemed {
namespace bench {

namespace {

using Clock = std::chrono::steady_clock;

// An open-loop run gives up on requests still unsent this long after the
// schedule ended, so a wedged server cannot keep the benchmark running.
constexpr std::chrono::seconds kHardStopGrace(5);

// The window of one run: warm-up from `start`, measurement from `measure_from`
// until `end`.
struct Window {
  Clock::time_point start;
  Clock::time_point measure_from;
  Clock::time_point end;
};

Window MakeWindow(const LoadPlan& plan) {
  // A short lead lets every thread reach its first due time.
  Window w;
  w.start = Clock::now() + std::chrono::milliseconds(20);
  w.measure_from = w.start + plan.warmup;
  w.end = w.measure_from + plan.measure;
  return w;
}

LoadResult EmptyResult(const LoadPlan& plan) {
  LoadResult result;
  result.by_kind.resize(plan.kinds);
  result.measured_seconds = std::chrono::duration<double>(plan.measure).count();
  return result;
}

void Record(const Sent& sent, Clock::duration latency, LoadResult* result) {
  if (!sent.ok) {
    ++result->errors;
    return;
  }
  result->all.Add(latency);
  result->by_kind[sent.kind].Add(latency);
}

void OpenLoopThread(const LoadPlan& plan, const RequestFn& request,
                    const Window& w, int thread, LoadResult* result) {
  BenchClient client(plan.endpoint);
  const double interval_ns = 1e9 / plan.rate_per_s;
  for (uint64_t i = thread;; i += plan.connections) {
    auto due = w.start + std::chrono::nanoseconds(static_cast<int64_t>(
                             static_cast<double>(i) * interval_ns));
    if (due >= w.end) return;
    if (Clock::now() > w.end + kHardStopGrace) {
      ++result->unsent;
      continue;
    }
    std::this_thread::sleep_until(due);
    Sent sent = request(&client, i);
    if (due >= w.measure_from) Record(sent, Clock::now() - due, result);
  }
}

void ClosedLoopThread(const LoadPlan& plan, const RequestFn& request,
                      const Window& w, int thread, LoadResult* result) {
  BenchClient client(plan.endpoint);
  std::this_thread::sleep_until(w.start);
  for (uint64_t i = thread; Clock::now() < w.end; i += plan.connections) {
    Clock::time_point begin = Clock::now();
    Sent sent = request(&client, i);
    Clock::time_point done = Clock::now();
    // Only requests wholly inside the window count towards throughput.
    if (begin >= w.measure_from && done <= w.end) {
      Record(sent, done - begin, result);
    }
  }
}

using ThreadBody = void (*)(const LoadPlan&, const RequestFn&, const Window&,
                            int, LoadResult*);

LoadResult Run(const LoadPlan& plan, const RequestFn& request,
               ThreadBody body) {
  Window w = MakeWindow(plan);
  std::vector<LoadResult> parts(plan.connections, EmptyResult(plan));
  std::vector<std::thread> threads;
  for (int t = 0; t < plan.connections; ++t) {
    threads.emplace_back(body, std::cref(plan), std::cref(request),
                         std::cref(w), t, &parts[t]);
  }
  LoadResult total = EmptyResult(plan);
  for (int t = 0; t < plan.connections; ++t) {
    threads[t].join();
    total.all.Merge(parts[t].all);
    for (int k = 0; k < plan.kinds; ++k) {
      total.by_kind[k].Merge(parts[t].by_kind[k]);
    }
    total.errors += parts[t].errors;
    total.unsent += parts[t].unsent;
  }
  return total;
}

}  // namespace

double LoadResult::Throughput() const {
  return measured_seconds > 0
             ? static_cast<double>(all.count()) / measured_seconds
             : 0;
}

LoadResult RunOpenLoop(const LoadPlan& plan, const RequestFn& request) {
  return Run(plan, request, &OpenLoopThread);
}

LoadResult RunClosedLoop(const LoadPlan& plan, const RequestFn& request) {
  return Run(plan, request, &ClosedLoopThread);
}

}  // namespace bench
}  // namespace telemed
