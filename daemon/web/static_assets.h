// StaticAssets: the admin page's files (web-ui/, compiled into the binary
// by cmake/EmbedWebUi.cmake) and how a GET or HEAD for one is answered.
//
// The page lives at one URL: "/" is index.html and every other file is
// found by its path under web-ui/. An answer carries a strong ETag (the
// SHA-256 of the raw bytes), so If-None-Match gets 304; gzip bytes made at
// build time when Accept-Encoding allows them (Vary: Accept-Encoding); and
// Cache-Control no-store for HTML (the page always comes fresh, with the
// asset URLs it names) and no-cache for the rest (kept, but revalidated by
// ETag on each load). An unknown path gets the JSON error 404 not_found.
// The security headers every answer carries (CSP, nosniff, Referrer-Policy)
// are the listener's to add, not this class's.
#ifndef TELEMED_WEB_STATIC_ASSETS_H_
#define TELEMED_WEB_STATIC_ASSETS_H_

#include <httplib.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace telemed {
namespace web {

struct StaticAsset {
  std::string path;  // request path, e.g. "/index.html"
  std::string content_type;
  std::string etag;  // quoted: "\"<sha256 hex of raw>\""
  // Borrowed bytes; see StaticAssets' constructor.
  std::string_view raw;
  std::string_view gzip;  // gzip of raw (may be larger for tiny files)
};

class StaticAssets {
 public:
  // The page compiled into this binary. Thread-safe; lives until exit.
  static const StaticAssets& Embedded();

  // `assets` borrow their bytes: they must outlive this object and every
  // Response that Serve fills (its body is sent from them, not copied).
  explicit StaticAssets(std::vector<StaticAsset> assets);

  // The asset for a request path (decoded, no query): "/" is
  // "/index.html". Null when there is none.
  const StaticAsset* Find(const std::string& request_path) const;

  // Fills `res` for a GET or HEAD of request.path (the server leaves the
  // body out for HEAD); other methods get 405 with Allow. Thread-safe.
  void Serve(const httplib::Request& request, httplib::Response* res) const;

  const std::vector<StaticAsset>& assets() const { return assets_; }
  // The raw size of all assets together (the page's budget is 100 KiB).
  size_t total_raw_bytes() const;

 private:
  std::vector<StaticAsset> assets_;
};

// "text/html; charset=utf-8" for ".html" and so on by the path's
// extension; application/octet-stream for an unknown one.
std::string ContentTypeFor(const std::string& path);

// Whether an Accept-Encoding value admits gzip (gzip, x-gzip or *, with a
// q-value above 0 unless gzip itself is refused with q=0).
bool AcceptsGzip(const std::string& accept_encoding);

// Whether an If-None-Match value names `etag` or is "*" (weak comparison,
// as RFC 9110 asks for If-None-Match: a W/ prefix is ignored).
bool EtagMatches(const std::string& if_none_match, const std::string& etag);

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_STATIC_ASSETS_H_
