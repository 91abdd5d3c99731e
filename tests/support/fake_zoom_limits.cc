// Zoom's rate limits: per-second budgets per category shared by the whole
// account, and each host's daily create+update allowance that resets at
// 00:00 UTC. Both read the injected clock.
#include "base/clock.h"
#include "base/time_format.h"
#include "support/fake_zoom_impl.h"

namespace telemed {
namespace test {

namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kSecondsPerDay = 86400;

int64_t NextMidnight(int64_t now_seconds) {
  return (now_seconds / kSecondsPerDay + 1) * kSecondsPerDay;
}

}  // namespace

bool FakeZoom::Impl::AdmitPerSecond(Category category, Reply* reply) {
  if (category == Category::kNone) return true;
  const int limit = category == Category::kMedium ? options_.medium_per_second
                                                  : options_.light_per_second;
  const int64_t now = options_.clock->NowMicros();
  // A sliding one-second window: a client that paces itself evenly at the
  // budget passes, a burst over it does not, whatever the second boundary.
  std::deque<int64_t>& recent = recent_[category];
  while (!recent.empty() && recent.front() <= now - kMicrosPerSecond) {
    recent.pop_front();
  }
  if (static_cast<int>(recent.size()) < limit) {
    recent.push_back(now);
    return true;
  }
  const int64_t wait = recent.front() + kMicrosPerSecond - now;
  *reply = PerSecondLimitReply(
      category, (wait + kMicrosPerSecond - 1) / kMicrosPerSecond, nullptr);
  return false;
}

Reply FakeZoom::Impl::PerSecondLimitReply(Category category,
                                          int64_t retry_seconds,
                                          const Fault* fault) {
  Reply reply = ErrorReply(429, 429,
                           "You have reached the maximum per-second rate "
                           "limit for this API. Try again later.");
  if (fault != nullptr && fault->omit_headers) return reply;
  std::string retry_after;
  if (fault != nullptr && !fault->retry_after.empty()) {
    retry_after = fault->retry_after;
  } else if (options_.qps_retry_after == RetryAfterFormat::kSeconds) {
    retry_after = std::to_string(retry_seconds);
  } else if (options_.qps_retry_after == RetryAfterFormat::kIsoDate) {
    retry_after =
        FormatRfc3339Utc(options_.clock->NowSeconds() + retry_seconds);
  }
  if (!retry_after.empty())
    reply.headers.emplace_back("Retry-After", retry_after);
  const int limit = category == Category::kMedium ? options_.medium_per_second
                                                  : options_.light_per_second;
  reply.headers.emplace_back("X-RateLimit-Type", "QPS");
  reply.headers.emplace_back("X-RateLimit-Category", CategoryName(category));
  reply.headers.emplace_back("X-RateLimit-Limit", std::to_string(limit));
  reply.headers.emplace_back("X-RateLimit-Remaining", "0");
  return reply;
}

bool FakeZoom::Impl::AdmitDaily(const std::string& host_id, Category category,
                                Reply* reply) {
  if (DailyCountLocked(host_id) < options_.daily_create_update_limit) {
    return true;
  }
  *reply = DailyLimitReply(category, nullptr);
  return false;
}

void FakeZoom::Impl::CountDaily(const std::string& host_id) {
  const int64_t today = options_.clock->NowSeconds() / kSecondsPerDay;
  DailyCounter& counter = daily_[host_id];
  if (counter.day != today) counter = DailyCounter{today, 0};
  ++counter.count;
}

int FakeZoom::Impl::DailyCountLocked(const std::string& host_id) const {
  auto it = daily_.find(host_id);
  const int64_t today = options_.clock->NowSeconds() / kSecondsPerDay;
  return it == daily_.end() || it->second.day != today ? 0 : it->second.count;
}

Reply FakeZoom::Impl::DailyLimitReply(Category category, const Fault* fault) {
  const int limit = options_.daily_create_update_limit;
  Reply reply = ErrorReply(
      429, 429,
      "You have exceeded the daily rate limit of (" + std::to_string(limit) +
          ") of Meeting Create/Update API requests permitted for this "
          "particular user. You may resume these requests at GMT 00:00:00.");
  const bool bare =
      fault != nullptr ? fault->omit_headers : !options_.daily_limit_headers;
  if (bare) return reply;
  const std::string retry_after =
      fault != nullptr && !fault->retry_after.empty()
          ? fault->retry_after
          : FormatRfc3339Utc(NextMidnight(options_.clock->NowSeconds()));
  reply.headers.emplace_back("Retry-After", retry_after);
  reply.headers.emplace_back("X-RateLimit-Type", "Daily-limit");
  reply.headers.emplace_back("X-RateLimit-Category", CategoryName(category));
  reply.headers.emplace_back("X-RateLimit-Limit", std::to_string(limit));
  reply.headers.emplace_back("X-RateLimit-Remaining", "0");
  return reply;
}

}  // namespace test
}  // namespace telemed
