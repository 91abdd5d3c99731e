#include "web/static_assets.h"

#include <CppUTest/TestHarness.h>
#include <httplib.h>

#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "base/encoding.h"

namespace telemed {
namespace web {

namespace {

// Two assets with distinct raw and "gzip" bytes, so a test can tell which
// one was sent; Serve does not look inside them.
const char kHtml[] = "<!doctype html><title>page</title>";
const char kHtmlGzip[] = "GZ-HTML";
const char kCss[] = "body { margin: 0; padding: 0; color: black; }";
const char kCssGzip[] = "GZ-CSS";

StaticAssets TwoAssets() {
  std::vector<StaticAsset> assets;
  assets.push_back({"/index.html", ContentTypeFor("/index.html"), "\"h1\"",
                    kHtml, kHtmlGzip});
  assets.push_back(
      {"/style.css", ContentTypeFor("/style.css"), "\"c1\"", kCss, kCssGzip});
  return StaticAssets(std::move(assets));
}

// The bytes a filled Response would send (Serve sets a content provider).
std::string BodyOf(const httplib::Response& res) {
  std::string body = res.body;
  if (res.content_provider_) {
    httplib::DataSink sink;
    sink.write = [&body](const char* data, size_t size) {
      body.append(data, size);
      return true;
    };
    CHECK_TRUE(res.content_provider_(0, res.content_length_, sink));
  }
  return body;
}

httplib::Response Get(const StaticAssets& assets, const std::string& path,
                      const httplib::Headers& headers = {}) {
  httplib::Request request;
  request.method = "GET";
  request.path = path;
  request.headers = headers;
  httplib::Response res;
  assets.Serve(request, &res);
  return res;
}

std::string Hex(std::string_view bytes) {
  return HexEncode(reinterpret_cast<const uint8_t*>(bytes.data()),
                   bytes.size());
}

}  // namespace

TEST_GROUP(StaticAssets){};

TEST(StaticAssets, RootIsIndexAndOtherFilesGoByPath) {
  StaticAssets assets = TwoAssets();
  STRCMP_EQUAL("/index.html", assets.Find("/")->path.c_str());
  STRCMP_EQUAL("/style.css", assets.Find("/style.css")->path.c_str());
  POINTERS_EQUAL(nullptr, assets.Find("/doctors"));
  POINTERS_EQUAL(nullptr, assets.Find("/style.css/"));
  POINTERS_EQUAL(nullptr, assets.Find(""));
}

TEST(StaticAssets, GzipIsSentWhenTheClientAcceptsIt) {
  httplib::Response res =
      Get(TwoAssets(), "/style.css", {{"Accept-Encoding", "gzip, br"}});
  LONGS_EQUAL(200, res.status);
  STRCMP_EQUAL("gzip", res.get_header_value("Content-Encoding").c_str());
  STRCMP_EQUAL("Accept-Encoding", res.get_header_value("Vary").c_str());
  STRCMP_EQUAL(kCssGzip, BodyOf(res).c_str());
}

TEST(StaticAssets, RawBytesWithoutAcceptEncoding) {
  httplib::Response res = Get(TwoAssets(), "/style.css");
  LONGS_EQUAL(200, res.status);
  CHECK_FALSE(res.has_header("Content-Encoding"));
  STRCMP_EQUAL("Accept-Encoding", res.get_header_value("Vary").c_str());
  STRCMP_EQUAL(kCss, BodyOf(res).c_str());
  STRCMP_EQUAL("text/css; charset=utf-8",
               res.get_header_value("Content-Type").c_str());
}

TEST(StaticAssets, GzipLargerThanTheFileIsNotSent) {
  std::vector<StaticAsset> list;
  list.push_back({"/a.txt", ContentTypeFor("/a.txt"), "\"a\"", "x", "GZIP"});
  httplib::Response res = Get(StaticAssets(std::move(list)), "/a.txt",
                              {{"Accept-Encoding", "gzip"}});
  CHECK_FALSE(res.has_header("Content-Encoding"));
  STRCMP_EQUAL("x", BodyOf(res).c_str());
}

TEST(StaticAssets, HtmlIsNeverStoredOtherFilesAreRevalidated) {
  StaticAssets assets = TwoAssets();
  STRCMP_EQUAL("no-store",
               Get(assets, "/").get_header_value("Cache-Control").c_str());
  STRCMP_EQUAL(
      "no-cache",
      Get(assets, "/style.css").get_header_value("Cache-Control").c_str());
  STRCMP_EQUAL("\"c1\"",
               Get(assets, "/style.css").get_header_value("ETag").c_str());
}

TEST(StaticAssets, MatchingEtagGets304WithoutBody) {
  httplib::Response res =
      Get(TwoAssets(), "/style.css",
          {{"If-None-Match", "\"zz\", W/\"c1\""}, {"Accept-Encoding", "gzip"}});
  LONGS_EQUAL(304, res.status);
  STRCMP_EQUAL("", BodyOf(res).c_str());
  STRCMP_EQUAL("\"c1\"", res.get_header_value("ETag").c_str());
  STRCMP_EQUAL("no-cache", res.get_header_value("Cache-Control").c_str());

  httplib::Response other =
      Get(TwoAssets(), "/style.css", {{"If-None-Match", "\"h1\""}});
  LONGS_EQUAL(200, other.status);
}

TEST(StaticAssets, UnknownPathIsJson404) {
  httplib::Response res = Get(TwoAssets(), "/nothing.js");
  LONGS_EQUAL(404, res.status);
  STRCMP_CONTAINS("application/json",
                  res.get_header_value("Content-Type").c_str());
  STRCMP_CONTAINS("\"code\":\"not_found\"", res.body.c_str());
}

TEST(StaticAssets, OtherMethodsGet405) {
  httplib::Request request;
  request.method = "POST";
  request.path = "/";
  httplib::Response res;
  TwoAssets().Serve(request, &res);
  LONGS_EQUAL(405, res.status);
  STRCMP_EQUAL("GET, HEAD", res.get_header_value("Allow").c_str());
  STRCMP_CONTAINS("method_not_allowed", res.body.c_str());
}

TEST(StaticAssets, AcceptEncodingIsReadWithItsQValues) {
  CHECK_TRUE(AcceptsGzip("gzip"));
  CHECK_TRUE(AcceptsGzip("deflate, GZIP;q=0.5"));
  CHECK_TRUE(AcceptsGzip("x-gzip"));
  CHECK_TRUE(AcceptsGzip("*"));
  CHECK_TRUE(AcceptsGzip("br;q=1.0, gzip ; q=0.8, *;q=0.1"));
  CHECK_FALSE(AcceptsGzip(""));
  CHECK_FALSE(AcceptsGzip("br, deflate"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0, *"));
  CHECK_FALSE(AcceptsGzip("*;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip;q=abc"));
  CHECK_FALSE(AcceptsGzip("gzip;q=2"));
  CHECK_FALSE(AcceptsGzip("identity, gzipx"));
}

TEST(StaticAssets, IfNoneMatchComparesWeakly) {
  CHECK_TRUE(EtagMatches("\"a\"", "\"a\""));
  CHECK_TRUE(EtagMatches("W/\"a\"", "\"a\""));
  CHECK_TRUE(EtagMatches("\"b\" , \"a\"", "\"a\""));
  CHECK_TRUE(EtagMatches("*", "\"a\""));
  CHECK_FALSE(EtagMatches("", "\"a\""));
  CHECK_FALSE(EtagMatches("\"ab\"", "\"a\""));
  CHECK_FALSE(EtagMatches("a", "\"a\""));
}

TEST(StaticAssets, ContentTypeByExtension) {
  STRCMP_EQUAL("text/html; charset=utf-8",
               ContentTypeFor("/index.html").c_str());
  STRCMP_EQUAL("text/javascript; charset=utf-8",
               ContentTypeFor("/js/app.js").c_str());
  STRCMP_EQUAL("image/svg+xml", ContentTypeFor("/icon.SVG").c_str());
  STRCMP_EQUAL("application/octet-stream",
               ContentTypeFor("/a.d/noextension").c_str());
}

// Through a real cpp-httplib server: the library must neither compress the
// gzip bytes again (it would for a plain body and a client accepting gzip
// or br) nor send a body for HEAD.
TEST(StaticAssets, RealServerSendsTheBytesAsServed) {
  StaticAssets assets = TwoAssets();
  httplib::Server server;
  server.Get("/.*",
             [&assets](const httplib::Request& req, httplib::Response& res) {
               assets.Serve(req, &res);
             });
  int port = server.bind_to_any_port("127.0.0.1");
  CHECK_TRUE(port > 0);
  std::thread thread([&server] { server.listen_after_bind(); });
  httplib::Client client("127.0.0.1", port);
  client.set_decompress(false);
  client.set_connection_timeout(30);
  client.set_read_timeout(30);

  httplib::Result got =
      client.Get("/style.css", {{"Accept-Encoding", "gzip, deflate, br"}});
  httplib::Result head = client.Head("/style.css");
  server.stop();
  thread.join();

  CHECK_TRUE(got != nullptr);
  LONGS_EQUAL(200, got->status);
  LONGS_EQUAL(1, got->get_header_value_count("Content-Encoding"));
  STRCMP_EQUAL("gzip", got->get_header_value("Content-Encoding").c_str());
  STRCMP_EQUAL(kCssGzip, got->body.c_str());
  CHECK_TRUE(head != nullptr);
  LONGS_EQUAL(200, head->status);
  STRCMP_EQUAL(std::to_string(sizeof(kCss) - 1).c_str(),
               head->get_header_value("Content-Length").c_str());
  STRCMP_EQUAL("", head->body.c_str());
}

TEST(StaticAssets, EmbeddedPageHasEveryFileWithItsHashAndGzip) {
  const StaticAssets& assets = StaticAssets::Embedded();
  CHECK_TRUE(assets.Find("/") != nullptr);
  CHECK_TRUE(assets.Find("/README.md") == nullptr);
  for (const StaticAsset& asset : assets.assets()) {
    STRCMP_EQUAL(("\"" + Sha256Hex(std::string(asset.raw)) + "\"").c_str(),
                 asset.etag.c_str());
    // gzip's magic, deflate, and -n: no modification time.
    CHECK_TRUE(asset.gzip.size() > 18);
    STRCMP_EQUAL("1f8b0800000000000203", Hex(asset.gzip.substr(0, 10)).c_str());
  }
}

// What a path named by `from` ("/js/app.js") resolves `target` to: "/x"
// as it is, "./x" and "../x" relative to from's folder.
std::string Resolve(const std::string& from, const std::string& target) {
  if (target[0] == '/') return target;
  std::string folder = from.substr(0, from.rfind('/'));
  std::string rest = target;
  while (true) {
    if (rest.rfind("./", 0) == 0) {
      rest = rest.substr(2);
    } else if (rest.rfind("../", 0) == 0) {
      rest = rest.substr(3);
      folder = folder.substr(0, folder.rfind('/'));
    } else {
      return folder + "/" + rest;
    }
  }
}

// Every file the page names (index.html's src and href, the modules'
// imports) is compiled in, so the page never asks for a 404; and the
// page has no inline script or style, which its CSP would block.
TEST(StaticAssets, EmbeddedPageNamesOnlyEmbeddedFiles) {
  const StaticAssets& assets = StaticAssets::Embedded();
  const std::regex kHtmlLink("(?:src|href)=\"(/[^\"]*)\"");
  const std::regex kImport("(?:from|import) '([./][^']*)'");
  int links = 0;
  for (const StaticAsset& asset : assets.assets()) {
    std::string text(asset.raw);
    bool html = asset.path == "/index.html";
    if (html) {
      CHECK_FALSE(
          std::regex_search(text, std::regex("<style|<script>| style=")));
    }
    const std::regex& pattern = html ? kHtmlLink : kImport;
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end;
         it != end; ++it) {
      std::string target = Resolve(asset.path, (*it)[1].str());
      CHECK_TEXT(assets.Find(target) != nullptr,
                 (asset.path + " names " + target).c_str());
      ++links;
    }
  }
  CHECK_TRUE(links > 10);
}

// The page must stay small: a router's admin page, not a web app.
TEST_GROUP(WebUiBudget){};

TEST(WebUiBudget, AllAssetsTogetherStayUnder100KiB) {
  size_t total = StaticAssets::Embedded().total_raw_bytes();
  if (total >= 100 * 1024) {
    FAIL(("web-ui/ has " + std::to_string(total) +
          " bytes; the budget is 102400")
             .c_str());
  }
}

}  // namespace web
}  // namespace telemed
