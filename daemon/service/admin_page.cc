#include "service/admin_page.h"

#include <chrono>
#include <utility>

#include "base/log.h"
#include "base/log_ring.h"
#include "base/mutex.h"
#include "base/time_format.h"
#include "config/config.h"
#include "secrets/secret_box.h"
#include "service/periodic_task.h"
#include "service/store_session.h"
#include "service/zoom_session.h"
#include "tls/server_tls_config.h"
#include "web/admin_site.h"
#include "web/appointment_routes.h"
#include "web/doctor_checker.h"
#include "web/doctor_routes.h"
#include "web/key_routes.h"
#include "web/oauth_pages.h"
#include "web/overview_routes.h"
#include "web/static_assets.h"
#include "web/system_routes.h"
#include "web/web_certificate.h"
#include "web/web_certificate_watch.h"
#include "web/zoom_routes.h"
#include "web/zoom_user_cache.h"

namespace telemed {

namespace {

// A saved doctor's Zoom user is looked up within this (the page promises
// 10 s); a round with nothing to check costs two small reads.
constexpr std::chrono::seconds kDoctorCheckPeriod(3);

class AdminPageImpl final : public AdminPage {
 public:
  explicit AdminPageImpl(const Options& options) : options_(options) {}
  ~AdminPageImpl() override { Stop(); }

  Status Open();
  std::shared_ptr<const tls::ServerTlsConfig> tls() const override {
    MutexLock lock(&mu_);
    return tls_;
  }
  void Serve(const httplib::Request& req,
             httplib::Response* res) const override {
    site_->Serve(req, res);
  }
  void WatchCertificate(ServeTls serve) override;
  void Stop() override {
    if (checker_timer_) checker_timer_->Stop();
    if (watch_timer_) watch_timer_->Stop();
  }

 private:
  Status LoadCertificate();
  Status UseCertificate(const web::WebCertificate& cert, const char* how)
      EXCLUDES(mu_);
  web::CertificateSummary summary() const {
    MutexLock lock(&mu_);
    return summary_;
  }
  web::WebCertificateDeps deps() const;
  void BuildSite();
  void AddScreens();
  void AddZoomScreens();

  const Options options_;
  web::HostNames names_;
  web::WebCertificate loaded_;  // at Open, without its key: the watch's start
  // Set before the watch's timer starts, then only read on its thread.
  ServeTls serve_tls_;
  mutable Mutex mu_;
  // The certificate in use, swapped whole when the watch takes up another.
  std::shared_ptr<const tls::ServerTlsConfig> tls_ GUARDED_BY(mu_);
  web::CertificateSummary summary_ GUARDED_BY(mu_);
  std::unique_ptr<web::AdminSite> site_;
  std::unique_ptr<web::ZoomUserCache> users_;
  std::unique_ptr<web::DoctorChecker> checker_;
  std::unique_ptr<PeriodicTask> checker_timer_;
  std::unique_ptr<web::CertificateWatch> watch_;
  std::unique_ptr<PeriodicTask> watch_timer_;
};

Status AdminPageImpl::Open() {
  Status s = LoadCertificate();
  if (!s.ok()) return s;
  BuildSite();
  AddScreens();
  checker_timer_ = std::make_unique<PeriodicTask>(kDoctorCheckPeriod, [this] {
    Status checked = checker_->RunOnce();
    if (!checked.ok()) {
      options_.logger->Warning("checking doctors' Zoom users: %s",
                               checked.ToString().c_str());
    }
  });
  return Status::OK();
}

web::WebCertificateDeps AdminPageImpl::deps() const {
  return {options_.session->store.get(), options_.zoom->box.get(),
          &options_.session->clock, options_.zoom->random.get()};
}

// The certificate's key is unsealed only to build the TLS setup, then wiped.
Status AdminPageImpl::LoadCertificate() {
  ZoomSession* zoom = options_.zoom;
  if (!zoom->key_refused.ok() || zoom->box == nullptr) {
    return Status::Unavailable(
        "admin_page_unavailable",
        "the admin page is off: its certificate's key is sealed under the "
        "secret key, which was refused");
  }
  Status s = web::ReadHostNames(&names_);
  if (!s.ok()) {
    options_.logger->Warning(
        "%s: a new certificate for the admin page would name no IP address",
        s.message().c_str());
  }
  bool created = false;
  s = web::LoadOrCreate(deps(), names_, &loaded_, &created);
  if (s.ok()) s = UseCertificate(loaded_, created ? " (made now)" : "");
  WipeString(&loaded_.key_pem);
  return s.ok() ? s : s.WithContext("the admin page's certificate");
}

// Builds the TLS setup of `cert` and makes it the one in use.
Status AdminPageImpl::UseCertificate(const web::WebCertificate& cert,
                                     const char* how) {
  std::shared_ptr<const tls::ServerTlsConfig> built;
  Status s = tls::ServerTlsConfig::Open(cert.chain_pem, cert.key_pem,
                                        options_.zoom->random.get(), &built);
  if (!s.ok()) return s;
  {
    MutexLock lock(&mu_);
    tls_ = built;
    summary_ = {cert.info.sha256_fingerprint, cert.info.not_after,
                cert.imported};
  }
  if (serve_tls_) serve_tls_(built);
  options_.logger->Info(
      "admin page certificate%s: SHA-256 %s, %s, valid until %s", how,
      cert.info.sha256_fingerprint.c_str(),
      cert.imported ? "imported" : "self-signed",
      FormatRfc3339Utc(cert.info.not_after).c_str());
  return Status::OK();
}

void AdminPageImpl::WatchCertificate(ServeTls serve) {
  serve_tls_ = std::move(serve);
  web::CertificateWatch::Options watching;
  watching.deps = deps();
  watching.names = names_;
  watching.logger = options_.logger;
  watching.use = [this](const web::WebCertificate& cert) {
    return UseCertificate(cert, " changed (renewed or imported)");
  };
  watch_ = std::make_unique<web::CertificateWatch>(watching, loaded_);
  watch_timer_ = std::make_unique<PeriodicTask>(kCertificateCheckPeriod,
                                                [this] { watch_->Check(); });
}

void AdminPageImpl::BuildSite() {
  web::AdminSiteOptions site;
  site.access.accounts = options_.session->store.get();
  site.access.clock = &options_.session->clock;
  site.access.random = options_.zoom->random.get();
  site.access.logger = options_.logger;
  site.serve_asset = [this](const httplib::Request& req,
                            httplib::Response* res) {
    if (web::ServeOAuthPage(options_.oauth_connect, options_.session->clock,
                            req, res)) {
      return;
    }
    web::StaticAssets::Embedded().Serve(req, res);
  };
  // Strict-Transport-Security follows the certificate in use.
  site.certificate_imported = [this] { return summary().imported; };
  site_ = std::make_unique<web::AdminSite>(site);
}

void AdminPageImpl::AddScreens() {
  Store* store = options_.session->store.get();
  const Clock* clock = &options_.session->clock;
  Logger* logger = options_.logger;
  ZoomSession* zoom = options_.zoom;
  web::AdminAudit* audit = site_->audit();

  web::AddOverviewRoutes({store, clock, options_.started_at,
                          [this](web::CertificateSummary* out) {
                            *out = summary();
                            return true;
                          },
                          logger},
                         site_.get());

  AddZoomScreens();
  web::AddAppointmentRoutes({store, store, audit}, site_.get());
  web::AddKeyRoutes({store, zoom->random.get(), audit}, site_.get());
  web::AddSystemRoutes({options_.log, store, clock, options_.config->data_dir,
                        zoom->key_path, site_->password_check(), audit},
                       site_.get());
}

// Zoom and Doctors: the screens that ask Zoom (the user picker, the check
// of a saved doctor's Zoom user).
void AdminPageImpl::AddZoomScreens() {
  Store* store = options_.session->store.get();
  const Clock* clock = &options_.session->clock;
  Logger* logger = options_.logger;
  ZoomSession* zoom = options_.zoom;
  ZoomClient* client = zoom->client.get();
  web::AdminAudit* audit = site_->audit();
  users_ = std::make_unique<web::ZoomUserCache>(web::ZoomUserCache::Options{
      store, client->s2s(), client->api(), clock, logger});
  web::AddZoomRoutes(
      {store, zoom->box.get(), client->transport(), zoom->oauth_url,
       client->s2s(), client->api(), client, users_.get(), clock, audit, logger,
       PublicUrl(*options_.config)},
      site_.get());

  web::DoctorChecker::Options checking;
  checking.records = store;
  checking.settings = store;
  checking.api = client->api();
  checking.clock = clock;
  checking.logger = logger;
  checker_ = std::make_unique<web::DoctorChecker>(checking);
  web::AddDoctorRoutes(
      {store, checker_.get(), audit, logger, clock, options_.oauth_connect},
      site_.get());
}

}  // namespace

Status AdminPage::Open(const Options& options,
                       std::unique_ptr<AdminPage>* out) {
  auto page = std::make_unique<AdminPageImpl>(options);
  Status s = page->Open();
  if (s.ok()) *out = std::move(page);
  return s;
}

}  // namespace telemed
