#include "web/sessions.h"

#include <cstdint>

#include "base/encoding.h"

namespace telemed {
namespace web {

namespace {

constexpr size_t kRandomBytes = 32;  // 256 bits, for ids and CSRF tokens
// A request within this long of the last noted one is not written again,
// so a busy page does not cost a commit per request.
constexpr int64_t kTouchEverySeconds = 60;
constexpr char kCookieAttributes[] =
    "; Secure; HttpOnly; SameSite=Strict; Path=/";

Status Expired() {
  return Status::Unauthenticated("session_expired",
                                 "the session has ended: sign in again");
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

Sessions::Sessions(AdminAccounts* store, const Clock* clock,
                   RandomSource* random)
    : store_(store), clock_(clock), random_(random) {}

Status Sessions::RandomText(std::string* out) {
  uint8_t bytes[kRandomBytes];
  Status s = random_->Fill(bytes, sizeof(bytes));
  if (s.ok()) *out = Base64UrlEncode(bytes, sizeof(bytes));
  return s;
}

Status Sessions::Start(const std::string& address, Started* out) {
  const int64_t now = clock_->NowSeconds();
  Status s = store_->PurgeSessions(now - kAbsoluteSeconds, now - kIdleSeconds);
  if (s.ok()) s = RandomText(&out->cookie_id);
  if (s.ok()) s = RandomText(&out->csrf_token);
  if (!s.ok()) return s;
  out->id_sha256 = Sha256Hex(out->cookie_id);
  return store_->AddSession(
      AdminSession{out->id_sha256, out->csrf_token, now, now, address});
}

Status Sessions::Check(const std::string& cookie_id, AdminSession* out) {
  if (cookie_id.empty()) {
    return Status::Unauthenticated("session_required", "sign in first");
  }
  const std::string id_sha256 = Sha256Hex(cookie_id);
  bool found = false;
  Status s = store_->GetSession(id_sha256, out, &found);
  if (!s.ok()) return s;
  if (!found) return Expired();
  const int64_t now = clock_->NowSeconds();
  if (now - out->created_at >= kAbsoluteSeconds ||
      now - out->last_seen_at >= kIdleSeconds) {
    // Best effort: an ended session is refused whether or not it is gone.
    store_->EndSession(id_sha256);
    return Expired();
  }
  if (now - out->last_seen_at >= kTouchEverySeconds) {
    s = store_->TouchSession(id_sha256, now);
    out->last_seen_at = now;
  }
  return s;
}

std::string Sessions::CookieId(const std::string& header) {
  const std::string prefix = std::string(kSessionCookie) + "=";
  size_t start = 0;
  while (start <= header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string pair = Trim(header.substr(start, end - start));
    if (pair.compare(0, prefix.size(), prefix) == 0) {
      return pair.substr(prefix.size());
    }
    start = end + 1;
  }
  return "";
}

std::string Sessions::SetCookie(const std::string& cookie_id) {
  return std::string(kSessionCookie) + "=" + cookie_id + kCookieAttributes;
}

std::string Sessions::ClearCookie() {
  return std::string(kSessionCookie) + "=" + kCookieAttributes + "; Max-Age=0";
}

}  // namespace web
}  // namespace telemed
