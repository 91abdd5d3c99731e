#include "web/static_assets.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "http/json_reply.h"
#include "web/embedded_files.h"

namespace telemed {
namespace web {

namespace {

constexpr size_t kNoLimit = std::string::npos;

std::string_view Trim(std::string_view text) {
  const char* kSpace = " \t";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// The comma-separated members of a header value, trimmed, empty ones left
// out (RFC 9110 5.6.1 allows them).
std::vector<std::string_view> ListMembers(std::string_view value) {
  std::vector<std::string_view> members;
  while (true) {
    size_t comma = value.find(',');
    std::string_view member = Trim(value.substr(0, comma));
    if (!member.empty()) members.push_back(member);
    if (comma == kNoLimit) break;
    value.remove_prefix(comma + 1);
  }
  return members;
}

// The q-value of one Accept-Encoding member ("gzip;q=0.5" -> 0.5); 1 when
// it has none, 0 when it is malformed (a client that garbles it gets the
// raw bytes, which every client can read).
double QValue(std::string_view params) {
  size_t at = Lower(params).find("q=");
  if (at == std::string::npos) return 1.0;
  std::string number(Trim(params.substr(at + 2)));
  char* end = nullptr;
  double q = std::strtod(number.c_str(), &end);
  if (end == number.c_str() || *end != '\0' || !(q >= 0.0 && q <= 1.0)) {
    return 0.0;
  }
  return q;
}

const char* CacheControlFor(const StaticAsset& asset) {
  bool html = asset.content_type.rfind("text/html", 0) == 0;
  return html ? "no-store" : "no-cache";
}

std::vector<StaticAsset> EmbeddedAssetList() {
  std::vector<StaticAsset> assets;
  for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
    const EmbeddedFile& file = kEmbeddedFiles[i];
    StaticAsset asset;
    asset.path = file.path;
    asset.content_type = ContentTypeFor(file.path);
    asset.etag = std::string("\"") + file.sha256_hex + "\"";
    asset.raw = {reinterpret_cast<const char*>(file.raw), file.raw_size};
    asset.gzip = {reinterpret_cast<const char*>(file.gzip), file.gzip_size};
    assets.push_back(std::move(asset));
  }
  return assets;
}

// The body is sent from the asset's bytes through a content provider of
// known length: cpp-httplib compresses a plain body itself when the client
// accepts gzip or br (and would compress the gzip bytes a second time), but
// leaves a sized provider's bytes as they are. For HEAD it never calls it.
void SetBody(std::string_view bytes, const std::string& content_type,
             httplib::Response* res) {
  res->set_content_provider(
      bytes.size(), content_type,
      [bytes](size_t offset, size_t length, httplib::DataSink& sink) {
        if (offset > bytes.size()) return false;
        length = std::min(length, bytes.size() - offset);
        return sink.write(bytes.data() + offset, length);
      });
}

}  // namespace

std::string ContentTypeFor(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  size_t dot = path.rfind('.');
  size_t slash = path.rfind('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) {
    std::string extension = Lower(path.substr(dot));
    for (const auto& [suffix, type] : kTypes) {
      if (extension == suffix) return type;
    }
  }
  return "application/octet-stream";
}

bool AcceptsGzip(const std::string& accept_encoding) {
  double gzip_q = -1.0;  // not named
  double star_q = -1.0;
  for (std::string_view member : ListMembers(accept_encoding)) {
    size_t semicolon = member.find(';');
    std::string coding = Lower(Trim(member.substr(0, semicolon)));
    double q = semicolon == kNoLimit ? 1.0 : QValue(member.substr(semicolon));
    if (coding == "gzip" || coding == "x-gzip") gzip_q = std::max(gzip_q, q);
    if (coding == "*") star_q = q;
  }
  if (gzip_q >= 0.0) return gzip_q > 0.0;
  return star_q > 0.0;
}

bool EtagMatches(const std::string& if_none_match, const std::string& etag) {
  std::string_view own = etag;
  if (own.rfind("W/", 0) == 0) own.remove_prefix(2);
  for (std::string_view member : ListMembers(if_none_match)) {
    if (member == "*") return true;
    if (member.rfind("W/", 0) == 0) member.remove_prefix(2);
    if (member == own) return true;
  }
  return false;
}

const StaticAssets& StaticAssets::Embedded() {
  static const StaticAssets* const embedded =
      new StaticAssets(EmbeddedAssetList());
  return *embedded;
}

StaticAssets::StaticAssets(std::vector<StaticAsset> assets)
    : assets_(std::move(assets)) {}

const StaticAsset* StaticAssets::Find(const std::string& request_path) const {
  std::string path = request_path == "/" ? "/index.html" : request_path;
  for (const StaticAsset& asset : assets_) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

size_t StaticAssets::total_raw_bytes() const {
  size_t total = 0;
  for (const StaticAsset& asset : assets_) total += asset.raw.size();
  return total;
}

void StaticAssets::Serve(const httplib::Request& request,
                         httplib::Response* res) const {
  if (request.method != "GET" && request.method != "HEAD") {
    WriteJson(405, RenderError("method_not_allowed", "use GET or HEAD"), res);
    res->set_header("Allow", "GET, HEAD");
    return;
  }
  const StaticAsset* asset = Find(request.path);
  if (asset == nullptr) {
    WriteJson(404, RenderError("not_found", "no such page or file"), res);
    return;
  }
  res->set_header("ETag", asset->etag);
  res->set_header("Cache-Control", CacheControlFor(*asset));
  res->set_header("Vary", "Accept-Encoding");
  if (EtagMatches(request.get_header_value("If-None-Match"), asset->etag)) {
    res->status = 304;
    return;
  }
  res->status = 200;
  // gzip of a tiny file can be larger than the file: then raw it is.
  bool smaller = asset->gzip.size() < asset->raw.size();
  if (smaller && AcceptsGzip(request.get_header_value("Accept-Encoding"))) {
    res->set_header("Content-Encoding", "gzip");
    SetBody(asset->gzip, asset->content_type, res);
  } else {
    SetBody(asset->raw, asset->content_type, res);
  }
}

}  // namespace web
}  // namespace telemed
