#include "config/config.h"

#include <CppUTest/TestHarness.h>

#include <cstring>
#include <map>
#include <string>

namespace telemed {
TEST_GROUP(Config) {
  Config config;
  std::map<std::string, std::string> env;

  EnvGetter Env() {
    return [this](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    };
  }
};

TEST(Config, DefaultsComeFromTheBuild) {
  STRCMP_EQUAL(TELEMED_DEFAULT_DATA_DIR, config.data_dir.c_str());
  STRCMP_EQUAL(TELEMED_DEFAULT_LISTEN,
               FormatListenAddress(config.listen).c_str());
  LONGS_EQUAL(90, config.retention_days);
  const std::string https = TELEMED_DEFAULT_HTTPS_LISTEN;
  CHECK_EQUAL(https != "off", config.https_enabled);
  if (config.https_enabled) {
    STRCMP_EQUAL(https.c_str(),
                 FormatListenAddress(config.https_listen).c_str());
  }
  CHECK_FALSE(config.https_listen_given);
}

TEST(Config, HttpsListenTakesAnAddressOrOff) {
  CHECK_TRUE(SetHttpsListen("0.0.0.0:8443", &config).ok());
  CHECK_TRUE(config.https_enabled);
  CHECK_TRUE(config.https_listen_given);
  LONGS_EQUAL(8443, config.https_listen.port);
  CHECK_TRUE(SetHttpsListen("off", &config).ok());
  CHECK_FALSE(config.https_enabled);
  CHECK_TRUE(config.https_listen_given);
}

TEST(Config, HttpsListenRefusalNamesItsFlagAndKeepsTheConfig) {
  CHECK_TRUE(SetHttpsListen("127.0.0.1:9443", &config).ok());
  Status s = SetHttpsListen("8443", &config);
  CHECK_FALSE(s.ok());
  STRCMP_EQUAL("https-listen", s.field().c_str());
  CHECK_TRUE(s.message().find("'off'") != std::string::npos);
  LONGS_EQUAL(9443, config.https_listen.port);
}

TEST(Config, HttpsListenComesFromTheEnvironment) {
  env["TELEMED_HTTPS_LISTEN"] = "[::1]:8443";
  CHECK_TRUE(ApplyEnvironment(Env(), &config).ok());
  CHECK_TRUE(config.https_enabled);
  CHECK_TRUE(config.https_listen_given);
  STRCMP_EQUAL("::1", config.https_listen.host.c_str());
}

TEST(Config, ParsesIpv4LocalhostAndBracketedIpv6) {
  ListenAddress address;
  CHECK_TRUE(ParseListenAddress("0.0.0.0:1", &address).ok());
  STRCMP_EQUAL("0.0.0.0", address.host.c_str());
  LONGS_EQUAL(1, address.port);
  CHECK_TRUE(ParseListenAddress("localhost:65535", &address).ok());
  LONGS_EQUAL(65535, address.port);
  CHECK_TRUE(ParseListenAddress("[::1]:8443", &address).ok());
  STRCMP_EQUAL("::1", address.host.c_str());
  STRCMP_EQUAL("[::1]:8443", FormatListenAddress(address).c_str());
}

TEST(Config, RefusesBadListenAddressesNamingTheFlag) {
  const char* bad[] = {"",
                       "127.0.0.1",
                       "127.0.0.1:",
                       "127.0.0.1:0",
                       "127.0.0.1:65536",
                       "127.0.0.1:+80",
                       "example.com:80",
                       "::1:80",
                       "[::1]",
                       "[nonsense]:80",
                       "1.2.3:80",
                       "localhost:8o"};
  for (const char* text : bad) {
    ListenAddress address;
    Status s = ParseListenAddress(text, &address);
    CHECK_FALSE_TEXT(s.ok(), text);
    STRCMP_EQUAL("listen", s.field().c_str());
  }
}

TEST(Config, TellsLoopbackFromReachableHosts) {
  CHECK_TRUE(IsLoopbackHost("127.0.0.1"));
  CHECK_TRUE(IsLoopbackHost("127.1.2.3"));
  CHECK_TRUE(IsLoopbackHost("localhost"));
  CHECK_TRUE(IsLoopbackHost("::1"));
  CHECK_FALSE(IsLoopbackHost("0.0.0.0"));
  CHECK_FALSE(IsLoopbackHost("192.168.1.10"));
  CHECK_FALSE(IsLoopbackHost("::"));
}

TEST(Config, RetentionDaysMustBeWholeDaysInRange) {
  CHECK_TRUE(SetRetentionDays("1", &config).ok());
  CHECK_TRUE(SetRetentionDays("3650", &config).ok());
  LONGS_EQUAL(3650, config.retention_days);
  const char* bad[] = {"0", "3651", "-1", "7.5", "", "12x", "99999999999"};
  for (const char* text : bad) {
    Status s = SetRetentionDays(text, &config);
    CHECK_FALSE_TEXT(s.ok(), text);
    STRCMP_EQUAL("retention-days", s.field().c_str());
  }
  LONGS_EQUAL(3650, config.retention_days);
}

TEST(Config, BackupKeepIsACountOrOff) {
  LONGS_EQUAL(7, config.backup_keep);
  CHECK_TRUE(SetBackupKeep("30", &config).ok());
  LONGS_EQUAL(30, config.backup_keep);
  CHECK_TRUE(SetBackupKeep("off", &config).ok());
  LONGS_EQUAL(0, config.backup_keep);
  const char* bad[] = {"0", "366", "-1", "", "Off", "7 days"};
  for (const char* text : bad) {
    Status s = SetBackupKeep(text, &config);
    CHECK_FALSE_TEXT(s.ok(), text);
    STRCMP_EQUAL("backup-keep", s.field().c_str());
  }
  LONGS_EQUAL(0, config.backup_keep);
}

TEST(Config, EnvironmentSetsBackupKeep) {
  env["TELEMED_BACKUP_KEEP"] = "off";
  CHECK_TRUE(ApplyEnvironment(Env(), &config).ok());
  LONGS_EQUAL(0, config.backup_keep);
}

TEST(Config, EmptyDataDirIsRefused) {
  Status s = SetDataDir("", &config);
  CHECK_FALSE(s.ok());
  STRCMP_EQUAL("data-dir", s.field().c_str());
  STRCMP_EQUAL(TELEMED_DEFAULT_DATA_DIR, config.data_dir.c_str());
}

TEST(Config, EnvironmentSetsDataDirAndListen) {
  env["TELEMED_DATA_DIR"] = "/srv/tb";
  env["TELEMED_LISTEN"] = "[::1]:9000";
  CHECK_TRUE(ApplyEnvironment(Env(), &config).ok());
  STRCMP_EQUAL("/srv/tb", config.data_dir.c_str());
  STRCMP_EQUAL("::1", config.listen.host.c_str());
  LONGS_EQUAL(9000, config.listen.port);
}

TEST(Config, EmptyEnvironmentVariablesAreIgnored) {
  env["TELEMED_DATA_DIR"] = "";
  env["TELEMED_LISTEN"] = "";
  CHECK_TRUE(ApplyEnvironment(Env(), &config).ok());
  STRCMP_EQUAL(TELEMED_DEFAULT_DATA_DIR, config.data_dir.c_str());
}

TEST(Config, BadEnvironmentListenNamesTheVariable) {
  env["TELEMED_LISTEN"] = "nowhere";
  Status s = ApplyEnvironment(Env(), &config);
  CHECK_FALSE(s.ok());
  CHECK_TRUE(s.message().find("TELEMED_LISTEN") != std::string::npos);
}

TEST_GROUP(ConfigZoom){};

TEST(ConfigZoom, DefaultsPointAtZoom) {
  Config config;
  STRCMP_EQUAL("https://zoom.us", config.zoom_oauth_url.c_str());
  STRCMP_EQUAL("https://api.zoom.us/v2", config.zoom_api_url.c_str());
  STRCMP_EQUAL("pro", config.zoom_plan.c_str());
  STRCMP_EQUAL("Video visit", config.default_topic.c_str());
}

TEST(ConfigZoom, OnlyHttpsUrlsAreAccepted) {
  Config config;
  CHECK_TRUE(SetZoomApiUrl("https://127.0.0.1:8443/v2/", &config).ok());
  STRCMP_EQUAL("https://127.0.0.1:8443/v2", config.zoom_api_url.c_str());
  Status s = SetZoomOauthUrl("http://zoom.us", &config);
  STRCMP_EQUAL("invalid_url", s.reason().c_str());
  STRCMP_EQUAL("zoom-oauth-url", s.field().c_str());
  CHECK_FALSE(SetZoomApiUrl("https://", &config).ok());
  CHECK_FALSE(SetZoomApiUrl("https://zoom.us/v2?x=1", &config).ok());
  CHECK_FALSE(SetZoomApiUrl("https:///v2", &config).ok());
}

TEST(ConfigZoom, PlanAndTopicAreChecked) {
  Config config;
  CHECK_TRUE(SetZoomPlan("business", &config).ok());
  STRCMP_EQUAL("invalid_zoom_plan",
               SetZoomPlan("enterprise", &config).reason().c_str());
  CHECK_TRUE(SetDefaultTopic("Videosprechstunde", &config).ok());
  CHECK_FALSE(SetDefaultTopic("", &config).ok());
  CHECK_FALSE(SetDefaultTopic(std::string(201, 'x'), &config).ok());
}

TEST(ConfigZoom, EnvironmentSetsZoomEndpointsAndKeys) {
  Config config;
  auto getenv = [](const char* name) -> const char* {
    std::string n = name;
    if (n == "TELEMED_ZOOM_OAUTH_URL") return "https://oauth.test";
    if (n == "TELEMED_CA_FILE") return "/etc/ca.pem";
    if (n == "TELEMED_KEY_FILE") return "/etc/key";
    if (n == "CREDENTIALS_DIRECTORY") return "/run/credentials/x";
    return nullptr;
  };
  CHECK_TRUE(ApplyEnvironment(getenv, &config).ok());
  STRCMP_EQUAL("https://oauth.test", config.zoom_oauth_url.c_str());
  STRCMP_EQUAL("/etc/ca.pem", config.ca_file.c_str());
  STRCMP_EQUAL("/etc/key", config.key_file.c_str());
  STRCMP_EQUAL("/run/credentials/x", config.credentials_directory.c_str());
  auto bad = [](const char* name) -> const char* {
    return std::string(name) == "TELEMED_ZOOM_API_URL" ? "ftp://x" : nullptr;
  };
  Status s = ApplyEnvironment(bad, &config);
  CHECK(s.message().find("TELEMED_ZOOM_API_URL") != std::string::npos);
}

TEST(ConfigZoom, EnvironmentSetsRetentionPlanAndTopic) {
  Config config;
  auto getenv = [](const char* name) -> const char* {
    std::string n = name;
    if (n == "TELEMED_RETENTION_DAYS") return "30";
    if (n == "TELEMED_ZOOM_PLAN") return "business";
    if (n == "TELEMED_DEFAULT_TOPIC") return "Videosprechstunde";
    return nullptr;
  };
  CHECK_TRUE(ApplyEnvironment(getenv, &config).ok());
  LONGS_EQUAL(30, config.retention_days);
  STRCMP_EQUAL("business", config.zoom_plan.c_str());
  STRCMP_EQUAL("Videosprechstunde", config.default_topic.c_str());
  auto bad = [](const char* name) -> const char* {
    return std::string(name) == "TELEMED_ZOOM_PLAN" ? "enterprise" : nullptr;
  };
  Status s = ApplyEnvironment(bad, &config);
  CHECK(s.message().find("TELEMED_ZOOM_PLAN") != std::string::npos);
}

}  // namespace telemed

namespace telemed {

TEST_GROUP(ConfigOauth){};

TEST(ConfigOauth, PublicUrlIsAnHttpsOriginWithoutTrailingSlash) {
  Config config;
  CHECK_TRUE(SetPublicUrl("https://bridge.clinic.lan:8443/", &config).ok());
  STRCMP_EQUAL("https://bridge.clinic.lan:8443", config.public_url.c_str());
  STRCMP_EQUAL("https://bridge.clinic.lan:8443", PublicUrl(config).c_str());
  Status s = SetPublicUrl("http://bridge.lan", &config);
  STRCMP_EQUAL("invalid_url", s.reason().c_str());
  STRCMP_EQUAL("public-url", s.field().c_str());
  CHECK_FALSE(SetPublicUrl("https://bridge.lan/oauth", &config).ok());
  CHECK_FALSE(SetPublicUrl("https://bridge.lan?x", &config).ok());
  STRCMP_EQUAL("https://bridge.clinic.lan:8443", config.public_url.c_str());
}

TEST(ConfigOauth, DefaultPublicUrlIsTheHostNameOnTheHttpsPort) {
  Config config;
  config.https_enabled = true;
  config.https_listen.port = 9443;
  const std::string url = PublicUrl(config);
  CHECK(url.rfind("https://", 0) == 0);
  CHECK(url.size() > strlen("https://.local:9443"));
  STRCMP_EQUAL(".local:9443", url.substr(url.size() - 11).c_str());
  config.https_enabled = false;
  const std::string off = PublicUrl(config);
  STRCMP_EQUAL(".local:8443", off.substr(off.size() - 11).c_str());
}

TEST(ConfigOauth, MatchEmailIsOnByDefaultAndTakesOnOrOff) {
  Config config;
  CHECK_TRUE(config.oauth_match_email);
  CHECK_TRUE(SetOauthMatchEmail("off", &config).ok());
  CHECK_FALSE(config.oauth_match_email);
  Status s = SetOauthMatchEmail("no", &config);
  STRCMP_EQUAL("oauth-match-email", s.field().c_str());
  CHECK_FALSE(config.oauth_match_email);
}

TEST(ConfigOauth, EnvironmentSetsPublicUrlAndMatchEmail) {
  Config config;
  auto getenv = [](const char* name) -> const char* {
    std::string n = name;
    if (n == "TELEMED_PUBLIC_URL") return "https://box.lan";
    if (n == "TELEMED_OAUTH_MATCH_EMAIL") return "off";
    return nullptr;
  };
  CHECK_TRUE(ApplyEnvironment(getenv, &config).ok());
  STRCMP_EQUAL("https://box.lan", config.public_url.c_str());
  CHECK_FALSE(config.oauth_match_email);
}

}  // namespace telemed
