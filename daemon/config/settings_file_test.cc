#include "config/settings_file.h"

#include <CppUTest/TestHarness.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <string>

#include "support/temp_dir.h"

namespace telemed {

TEST_GROUP(SettingsFile) {
  test::TempDir dir;
  std::string path;
  std::map<std::string, std::string> settings;
  std::map<std::string, std::string> env;

  void setup() override { path = dir.File("telemed-bridge"); }
  void Write(const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  EnvGetter Env() {
    return [this](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    };
  }
  // Reads the file; the message of a failure must name the file.
  Status Read() {
    Status s = ReadSettingsFile(path, false, &settings);
    if (!s.ok()) STRCMP_CONTAINS(path.c_str(), s.message().c_str());
    return s;
  }
};

TEST(SettingsFile, ReadsSettingsCommentsAndQuotesAsSystemdDoes) {
  Write(
      "# every setting is commented out in the package\n"
      "; so is this\n"
      "\n"
      "  TELEMED_DATA_DIR = /srv/bridge  \n"
      "TELEMED_LISTEN=\"127.0.0.1:9090\"\n"
      "TELEMED_KEY_FILE='/etc/k'\n"
      "#TELEMED_CA_FILE=/nowhere\n"
      "TELEMED_LISTEN=127.0.0.1:9191\n");
  CHECK_TRUE(Read().ok());
  LONGS_EQUAL(3, settings.size());
  STRCMP_EQUAL("/srv/bridge", settings["TELEMED_DATA_DIR"].c_str());
  // The last one wins, as in systemd.
  STRCMP_EQUAL("127.0.0.1:9191", settings["TELEMED_LISTEN"].c_str());
  STRCMP_EQUAL("/etc/k", settings["TELEMED_KEY_FILE"].c_str());
}

TEST(SettingsFile, RefusesUnknownNamesNamingTheLine) {
  Write("TELEMED_DATA_DIR=/srv\nTELEMED_DATADIR=/typo\n");
  Status s = Read();
  STRCMP_EQUAL("invalid_settings_file", s.reason().c_str());
  STRCMP_CONTAINS("line 2: unknown setting 'TELEMED_DATADIR'",
                  s.message().c_str());
  // Only the bridge's own names: not systemd's credential directory.
  Write("CREDENTIALS_DIRECTORY=/tmp\n");
  CHECK_FALSE(Read().ok());
  CHECK_TRUE(settings.empty());
}

TEST(SettingsFile, RefusesWhatSystemdWouldReadDifferently) {
  Write("TELEMED_DATA_DIR=\"/srv/a\\\"b\"\n");
  STRCMP_CONTAINS("line 1: TELEMED_DATA_DIR's value holds a backslash",
                  Read().message().c_str());
  Write("just words\n");
  STRCMP_CONTAINS("line 1: not NAME=VALUE", Read().message().c_str());
}

TEST(SettingsFile, ChecksValuesAsTheEnvironmentsAre) {
  Write("TELEMED_LISTEN=0.0.0.0\n");
  Status s = Read();
  STRCMP_EQUAL("invalid_settings_file", s.reason().c_str());
  STRCMP_CONTAINS("TELEMED_LISTEN", s.message().c_str());
}

TEST(SettingsFile, AMissingFileIsNoneUnlessItWasNamed) {
  CHECK_TRUE(ReadSettingsFile(path, false, &settings).ok());
  CHECK_TRUE(settings.empty());
  Status s = ReadSettingsFile(path, true, &settings);
  CHECK_FALSE(s.ok());
  STRCMP_CONTAINS(path.c_str(), s.message().c_str());
}

TEST(SettingsFile, TheEnvironmentNamesTheFileAndWinsOverIt) {
  std::string found;
  bool must_exist = true;
  FindSettingsFile(Env(), &found, &must_exist);
  STRCMP_EQUAL(TELEMED_DEFAULTS_FILE, found.c_str());
  CHECK_FALSE(must_exist);
  env["TELEMED_DEFAULTS_FILE"] = path;
  FindSettingsFile(Env(), &found, &must_exist);
  STRCMP_EQUAL(path.c_str(), found.c_str());
  CHECK_TRUE(must_exist);

  settings = {{"TELEMED_DATA_DIR", "/from/file"},
              {"TELEMED_LISTEN", "127.0.0.1:1"}};
  env["TELEMED_DATA_DIR"] = "/from/env";
  env["TELEMED_LISTEN"] = "";
  EnvGetter getenv = Env();
  EnvGetter merged = WithSettings(getenv, settings);
  STRCMP_EQUAL("/from/env", merged("TELEMED_DATA_DIR"));
  STRCMP_EQUAL("127.0.0.1:1", merged("TELEMED_LISTEN"));
  CHECK_TRUE(merged("TELEMED_CA_FILE") == nullptr);
}

}  // namespace telemed
