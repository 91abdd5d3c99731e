// ApiHandlers: what each route of the local API does, given a request that
// has been routed, method-checked and authenticated by ApiServer. Internal
// to api/ (server.cc is its only user).
#ifndef TELEMED_API_HANDLERS_H_
#define TELEMED_API_HANDLERS_H_

#include <atomic>
#include <functional>
#include <string>
#include <utility>

#include "api/server.h"
#include "base/cjson.h"
#include "base/mutex.h"
#include "base/status.h"
#include "http/json_reply.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace telemed {

class Clock;
struct Doctor;
class Logger;
struct OAuthConnectDeps;
class Store;
class ZoomApi;
class ZoomClient;

class ApiHandlers {
 public:
  // Borrows what `options` points to (see ApiServer::Options); *stopping is
  // read by long-polls to answer at once on shutdown.
  ApiHandlers(const ApiServer::Options& options,
              const std::atomic<bool>* stopping)
      : store_(options.store),
        logger_(options.logger),
        zoom_(options.zoom),
        doctors_(options.doctors),
        oauth_connect_(options.oauth_connect),
        clock_(options.clock),
        zoneinfo_dir_(options.zoneinfo_dir),
        stopping_(stopping) {}

  // Long-polls parked at once: at most `max_parked` (more get 503 with
  // Retry-After: 1). A parked one re-checks its key with `key_valid` at
  // least once a second and ends with 401 once the key is revoked.
  void SetLongPollLimits(
      int max_parked, std::function<bool(const httplib::Request&)> key_valid) {
    max_parked_ = max_parked;
    key_valid_ = std::move(key_valid);
  }

  void Health(httplib::Response* res);
  // The last Zoom check, the sync queue and today's quota; never calls Zoom.
  void GetStatus(httplib::Response* res);
  void ListDoctors(httplib::Response* res);
  void GetDoctor(const std::string& id, httplib::Response* res);
  void PutDoctor(const std::string& id, const httplib::Request& req,
                 httplib::Response* res);
  // Removes a doctor with nothing left to do (Store::RemoveDoctor); an
  // OAuth doctor's grant is revoked and purged (sync/doctor_disconnect.h).
  void RemoveDoctor(const std::string& id, httplib::Response* res);
  void ConnectDoctor(const std::string& id, httplib::Response* res);
  // DisconnectDoctor (sync/doctor_disconnect.h); the body may ask
  // {"delete_meetings": true}.
  void DisconnectDoctor(const std::string& id, const httplib::Request& req,
                        httplib::Response* res);
  void GetAppointment(const std::string& id, httplib::Response* res);
  void PutAppointment(const std::string& id, const httplib::Request& req,
                      httplib::Response* res);
  void CancelAppointment(const std::string& id, httplib::Response* res);
  // The change feed, long-polling when asked to.
  void ListChanges(const httplib::Request& req, httplib::Response* res);
  // Makes the appointment due for sync now (e.g. after a failure).
  void RetryAppointment(const std::string& id, httplib::Response* res);
  // A fresh host start URL from Zoom; never stored or logged.
  void GetStartUrl(const std::string& id, httplib::Response* res);

 private:
  // Logs a refusal that is our fault (5xx) and writes it.
  void Fail(const Status& status, const char* what, httplib::Response* res);
  // The store's database id, read once (it never changes).
  Status DatabaseId(std::string* out) EXCLUDES(database_id_mu_);
  // The doctor's JSON, with its OAuth grant read for an OAuth doctor.
  Status DoctorObject(const Doctor& doctor, CjsonPtr* out);
  Status DoctorBody(const Doctor& doctor, std::string* body);

  Store* const store_;
  Logger* const logger_;
  ZoomApi* const zoom_;
  ZoomClient* const doctors_;
  const OAuthConnectDeps* const oauth_connect_;
  const Clock* const clock_;
  const std::string zoneinfo_dir_;
  const std::atomic<bool>* const stopping_;
  Mutex database_id_mu_;
  std::string database_id_ GUARDED_BY(database_id_mu_);  // "" until read
  int max_parked_ = 128;
  std::function<bool(const httplib::Request&)> key_valid_;
  std::atomic<int> parked_{0};
};

}  // namespace telemed

#endif  // TELEMED_API_HANDLERS_H_
