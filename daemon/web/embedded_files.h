// The admin page's files as compiled into the binary: the table that
// cmake/EmbedWebUi.cmake generates from web-ui/ at build time. Only
// web/static_assets.cc reads it; everything else asks StaticAssets.
#ifndef TELEMED_WEB_EMBEDDED_FILES_H_
#define TELEMED_WEB_EMBEDDED_FILES_H_

#include <cstddef>

namespace telemed {
namespace web {

struct EmbeddedFile {
  const char* path;  // "/" + the path under web-ui/, e.g. "/js/app.js"
  const unsigned char* raw;
  size_t raw_size;
  const unsigned char* gzip;  // `gzip -9n` of raw
  size_t gzip_size;
  const char* sha256_hex;  // of raw, lower-case hex
};

// Sorted by path; static storage, never freed.
extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

}  // namespace web
}  // namespace telemed

#endif  // TELEMED_WEB_EMBEDDED_FILES_H_
