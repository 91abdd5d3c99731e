#include "service/status_line.h"

#include <vector>

#include "service/notifier.h"
#include "store/store.h"
#include "zoom/zoom_check.h"

namespace telemed {

namespace {

// Failing items named in the line; the rest are counted.
constexpr size_t kNamedProblems = 2;

// "credentials", or "doctor dr-1, doctor dr-2 (+3 more)".
std::string NameFailingItems(const ZoomCheckResult& check) {
  std::vector<std::string> failing;
  for (const ZoomCheckItem& item : check.items) {
    if (!item.ok) failing.push_back(item.subject);
  }
  std::string names;
  for (size_t i = 0; i < failing.size() && i < kNamedProblems; ++i) {
    names += (i == 0 ? "" : ", ") + failing[i];
  }
  if (failing.size() > kNamedProblems) {
    names += " (+" + std::to_string(failing.size() - kNamedProblems) + " more)";
  }
  return names.empty() ? "see telemed-bridge zoom test" : names;
}

}  // namespace

// The Zoom check's detail texts stay out: they are for `zoom test` and
// the status API, and the line must stay one short line.
std::string DescribeZoom(bool key_refused, const ZoomCheckResult* check) {
  if (key_refused) return "Zoom refused: the key file does not match";
  if (check == nullptr) return "Zoom not checked yet";
  // Without an app only the credentials item exists, and it is ok.
  if (!check->s2s_app_needed) return "Zoom OK (doctors' own accounts)";
  if (!check->configured) return "Zoom not set up";
  if (check->ok) return "Zoom OK";
  return "Zoom failing: " + NameFailingItems(*check);
}

bool StatusLine::Tick() {
  if (options_.stopping && options_.stopping()) return false;
  std::string line = Compose();
  if (line == sent_) return false;
  options_.notifier->Notify("STATUS=" + line);
  sent_ = line;
  return true;
}

std::string StatusLine::Compose() {
  std::string queue, zoom;
  Status s = DescribeQueue(&queue);
  if (s.ok()) s = DescribeZoomCheck(&zoom);
  std::string line = "serving " + options_.listening + "; ";
  if (!s.ok()) return line + "database error: " + s.message();
  return line + queue + "; " + zoom;
}

Status StatusLine::DescribeQueue(std::string* out) {
  int pending = 0, failed = 0, deletions = 0;
  Status s = options_.store->CountSyncQueue(&pending, &failed, &deletions);
  if (!s.ok()) return s;
  *out = std::to_string(pending) + " pending, " + std::to_string(failed) +
         " failed";
  if (deletions > 0) {
    *out += ", " + std::to_string(deletions) + " deletion(s) pending";
  }
  return Status::OK();
}

Status StatusLine::DescribeZoomCheck(std::string* out) {
  ZoomCheckResult check;
  bool found = false;
  Status s =
      LoadCurrentZoomCheck(options_.store, options_.store, &check, &found);
  if (s.ok())
    *out = DescribeZoom(options_.zoom_key_refused, found ? &check : nullptr);
  return s;
}

}  // namespace telemed
