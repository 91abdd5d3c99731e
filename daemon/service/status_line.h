// StatusLine: the one line `systemctl status telemed-bridge` shows under
// "Status:", for a person at the box, e.g.
//   serving 127.0.0.1:8080; 12 pending, 0 failed; Zoom OK
// where the API listens, the sync queue (appointments waiting for Zoom,
// appointments that need a person), and the last Zoom check. Tick() reads
// them from the store and sends STATUS= only when the line changed.
// docs/install.md ("Reading systemctl status") explains every form.
#ifndef TELEMED_SERVICE_STATUS_LINE_H_
#define TELEMED_SERVICE_STATUS_LINE_H_

#include <functional>
#include <string>

#include "base/status.h"

namespace telemed {

class Notifier;
class Store;
struct ZoomCheckResult;

// What the Zoom part says. `key_refused`: the daemon refuses Zoom because
// the key file does not open the stored secrets. `check` may be null (no
// check ran yet).
std::string DescribeZoom(bool key_refused, const ZoomCheckResult* check);

class StatusLine final {
 public:
  struct Options {
    // Borrowed; each must outlive the StatusLine.
    Store* store = nullptr;
    Notifier* notifier = nullptr;
    // Where the API listens, as FormatListenAddress prints it.
    std::string listening;
    // See DescribeZoom.
    bool zoom_key_refused = false;
    // True once the daemon has been asked to stop: the line it sent then
    // ("stopping: ...") stays. Null: never.
    std::function<bool()> stopping;
  };

  explicit StatusLine(const Options& options) : options_(options) {}
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // Sends the line when it differs from the last one sent and the daemon
  // is not stopping; returns whether it sent. Call from one thread at a
  // time.
  bool Tick();
  // The line as it stands now. A store error becomes part of the line (the
  // checkpoint task logs it).
  std::string Compose();

 private:
  Status DescribeQueue(std::string* out);
  Status DescribeZoomCheck(std::string* out);

  const Options options_;
  std::string sent_;
};

}  // namespace telemed

#endif  // TELEMED_SERVICE_STATUS_LINE_H_
