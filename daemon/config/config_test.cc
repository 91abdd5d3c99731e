#include "config/config.h"

#include <CppUTest/TestHarness.h>

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

}  // namespace telemed
