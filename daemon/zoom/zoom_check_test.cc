#include "zoom/zoom_check.h"

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "base/cjson.h"
#include "support/zoom_bed.h"

namespace telemed {

namespace {

// Everything but `scope` of what the bridge needs.
std::vector<std::string> AllScopesBut(const std::string& scope) {
  std::vector<std::string> scopes;
  for (const std::string& s : test::AllS2sScopes()) {
    if (s != scope) scopes.push_back(s);
  }
  return scopes;
}

}  // namespace

TEST_GROUP(ZoomCheck) {
  std::unique_ptr<test::ZoomBed> bed;
  Store* store = nullptr;
  test::ZoomHarness* harness = nullptr;
  ZoomCheckResult result;

  void setup() override {
    bed = std::make_unique<test::ZoomBed>(int64_t{1780000000} * 1000000);
    store = bed->store.get();
    harness = bed->harness.get();
    bed->PutDoctor("dr-known", "doctor@clinic.example");
  }

  void Run(CheckToken which = CheckToken::kFresh) {
    Status s = RunZoomCheck(store, &harness->tokens(), &harness->api(),
                            &bed->clock, which, &result);
    CHECK_TEXT(s.ok(), s.ToString().c_str());
  }

  void Remove(const char* id) {
    Doctor removed;
    CHECK_TRUE(store->RemoveDoctor(id, &removed, nullptr).ok());
  }

  const ZoomCheckItem& Item(const std::string& subject) {
    for (const ZoomCheckItem& item : result.items) {
      if (item.subject == subject) return item;
    }
    FAIL(("no item " + subject).c_str());
    return result.items.front();
  }
};

TEST(ZoomCheck, AllWellWhenCredentialsScopesAndUsersAreRight) {
  Run();
  CHECK_TRUE(result.ok);
  CHECK_TRUE(result.configured);
  LONGS_EQUAL(1780000000, result.checked_at);
  // credentials, scopes, the one doctor.
  LONGS_EQUAL(3, result.items.size());
  CHECK_TRUE(Item("credentials").ok);
  CHECK_TRUE(Item("scopes").ok);
  CHECK_TRUE(Item("doctor dr-known").ok);
  CHECK_TRUE(result.missing_scopes.empty());
  LONGS_EQUAL(test::AllS2sScopes().size(), result.granted_scopes.size());
}

// An OAuth doctor uses its own grant, not the app this check is about: it
// is neither an item nor a reason for the check to fail.
TEST(ZoomCheck, AnOauthDoctorIsNotPartOfTheAppsCheck) {
  bed->PutDoctor("dr-oauth", "", AuthMode::kOauth);
  Run();
  CHECK_TRUE(result.ok);
  for (const ZoomCheckItem& item : result.items) {
    CHECK_TRUE(item.subject.find("dr-oauth") == std::string::npos);
  }
  CHECK_TRUE(Item("doctor dr-known").ok);
  // Only S2S doctors are looked up on Zoom.
  LONGS_EQUAL(1, harness->zoom().CountRequests("GET", "/v2/users/"));
}

TEST(ZoomCheck, NamesEachMissingScope) {
  harness->zoom().SetGrantedScopes(
      AllScopesBut("meeting:update:meeting:admin"));
  Run();
  CHECK_FALSE(result.ok);
  LONGS_EQUAL(1, result.missing_scopes.size());
  STRCMP_EQUAL("meeting:update:meeting:admin",
               result.missing_scopes[0].c_str());
  CHECK_FALSE(Item("scopes").ok);
  STRCMP_CONTAINS("missing meeting:update:meeting:admin",
                  Item("scopes").detail.c_str());
  STRCMP_CONTAINS("Scopes page", Item("scopes").detail.c_str());
}

int TokenRequests(test::ZoomHarness* harness) {
  return harness->zoom().CountRequests("POST", "/oauth/token");
}

TEST(ZoomCheck, TheDaemonsCheckReusesTheStoredToken) {
  std::string token;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  Run(CheckToken::kStored);
  CHECK_TRUE(result.ok);
  LONGS_EQUAL(1, TokenRequests(harness));
}

TEST(ZoomCheck, ZoomTestMintsATokenThatTheDaemonThenUses) {
  harness->zoom().SetGrantedScopes(
      AllScopesBut("meeting:update:meeting:admin"));
  std::string daemon_token;
  CHECK_TRUE(harness->tokens().GetToken(&daemon_token).ok());
  // The admin adds the scope, then runs `zoom test` (its own process).
  harness->zoom().SetGrantedScopes(test::AllS2sScopes());
  S2sTokenSource cli_tokens(harness->TokenOptions(store));
  Status s = RunZoomCheck(store, &cli_tokens, &harness->api(), &bed->clock,
                          CheckToken::kFresh, &result);
  CHECK_TEXT(s.ok(), s.ToString().c_str());
  CHECK_TRUE(result.ok);
  LONGS_EQUAL(2, TokenRequests(harness));
  std::string now_used;
  CHECK_TRUE(harness->tokens().GetToken(&now_used).ok());
  CHECK(now_used != daemon_token);
  Run(CheckToken::kStored);
  CHECK_TRUE(result.ok);
  LONGS_EQUAL(2, TokenRequests(harness));
}

TEST(ZoomCheck, TheDaemonsCheckMintsAgainWhenItsTokenMayPredateAScopeFix) {
  harness->zoom().SetGrantedScopes(
      AllScopesBut("meeting:update:meeting:admin"));
  Run(CheckToken::kStored);
  CHECK_FALSE(result.ok);
  LONGS_EQUAL(1, TokenRequests(harness));
  harness->zoom().SetGrantedScopes(test::AllS2sScopes());
  Run(CheckToken::kStored);  // the token is seconds old: no second one
  LONGS_EQUAL(1, TokenRequests(harness));
  bed->clock.AdvanceSeconds(60);
  Run(CheckToken::kStored);
  CHECK_TRUE(result.ok);
  LONGS_EQUAL(2, TokenRequests(harness));
}

TEST(ZoomCheck, ClassicScopesCoverTheirGranularOnes) {
  harness->zoom().SetGrantedScopes(
      {"meeting:write:admin", "meeting:read:admin", "user:read:admin"});
  Run();
  CHECK_TEXT(result.ok, ZoomCheckToJson(result).c_str());
  CHECK_TRUE(result.missing_scopes.empty());
}

TEST(ZoomCheck, ClassicWriteScopeAloneDoesNotCoverReads) {
  harness->zoom().SetGrantedScopes({"meeting:write:admin", "user:read:admin"});
  Run();
  CHECK_FALSE(result.ok);
  LONGS_EQUAL(2, result.missing_scopes.size());
  STRCMP_EQUAL("meeting:read:meeting:admin", result.missing_scopes[0].c_str());
  STRCMP_EQUAL("meeting:read:list_meetings:admin",
               result.missing_scopes[1].c_str());
}

TEST(ZoomCheck, UnknownDoctorUserIsNamed) {
  bed->PutDoctor("dr-gone", "gone@clinic.example");
  Run();
  CHECK_FALSE(result.ok);
  CHECK_TRUE(Item("doctor dr-known").ok);
  const ZoomCheckItem& gone = Item("doctor dr-gone");
  CHECK_FALSE(gone.ok);
  STRCMP_CONTAINS("gone@clinic.example", gone.detail.c_str());
  STRCMP_CONTAINS("not a user of this Zoom account", gone.detail.c_str());
}

TEST(ZoomCheck, UserLookupWithoutItsScopeSaysSo) {
  harness->zoom().SetGrantedScopes(AllScopesBut("user:read:user:admin"));
  Run();
  CHECK_FALSE(Item("doctor dr-known").ok);
  STRCMP_CONTAINS("user:read:user:admin",
                  Item("doctor dr-known").detail.c_str());
}

TEST(ZoomCheck, OtherUserLookupFailuresAreReported) {
  test::Fault fault;
  fault.method = "GET";
  fault.path_prefix = "/v2/users/";
  fault.kind = test::FaultKind::kServerError;
  fault.status = 503;
  harness->zoom().InjectFault(fault);
  Run();
  CHECK_FALSE(result.ok);
  CHECK_TRUE(Item("credentials").ok);
  CHECK_FALSE(Item("doctor dr-known").ok);
  CHECK_FALSE(Item("doctor dr-known").detail.empty());
}

TEST(ZoomCheck, WrongCredentialsStopTheCheckAtThatItem) {
  harness->zoom().RotateCredentials("new-client-id", "new-secret");
  Run();
  CHECK_FALSE(result.ok);
  CHECK_TRUE(result.configured);
  LONGS_EQUAL(1, result.items.size());
  CHECK_FALSE(Item("credentials").ok);
  STRCMP_CONTAINS("zoom s2s", Item("credentials").detail.c_str());
}

TEST(ZoomCheck, NoAppConfigured) {
  CHECK_TRUE(ForgetS2sCredentials(store).ok());
  Run();
  CHECK_FALSE(result.ok);
  CHECK_FALSE(result.configured);
  CHECK_FALSE(Item("credentials").ok);
  LONGS_EQUAL(0, harness->zoom().CountRequests("", ""));
}

// Every doctor connects their own Zoom account: the missing app is no
// fault, until an S2S doctor is registered again.
TEST(ZoomCheck, AClinicOfOAuthDoctorsOnlyNeedsNoS2sApp) {
  CHECK_TRUE(ForgetS2sCredentials(store).ok());
  Remove("dr-known");
  bed->PutDoctor("dr-oauth", "", AuthMode::kOauth);
  Run(CheckToken::kStored);
  CHECK_TRUE(result.ok);
  CHECK_FALSE(result.configured);
  CHECK_FALSE(result.s2s_app_needed);
  CHECK_TRUE(Item("credentials").ok);
  STRCMP_CONTAINS("none is needed", Item("credentials").detail.c_str());
  CHECK_TRUE(SaveZoomCheck(store, result).ok());
  // A reader of the stored verdict sees the S2S doctor at once.
  bed->PutDoctor("dr-s2s", "s2s@clinic.example");
  ZoomCheckResult now;
  bool found = false;
  CHECK_TRUE(LoadCurrentZoomCheck(store, store, &now, &found).ok());
  CHECK_FALSE(now.ok);
  CHECK_TRUE(now.s2s_app_needed);
  CHECK_FALSE(now.items[0].ok);
  STRCMP_CONTAINS("zoom s2s", now.items[0].detail.c_str());
  // ... and its removal just as soon.
  Remove("dr-s2s");
  CHECK_TRUE(LoadCurrentZoomCheck(store, store, &now, &found).ok());
  CHECK_TRUE(now.ok);
  CHECK_FALSE(now.s2s_app_needed);
}

// A fresh install, with no doctor yet, still has its app to set up.
TEST(ZoomCheck, WithoutDoctorsTheMissingAppIsStillNeeded) {
  CHECK_TRUE(ForgetS2sCredentials(store).ok());
  Remove("dr-known");
  Run();
  CHECK_FALSE(result.ok);
  CHECK_TRUE(result.s2s_app_needed);
}

// A stored app's own verdict always counts, whoever the doctors are.
TEST(ZoomCheck, AStoredAppIsJudgedEvenWithOnlyOAuthDoctors) {
  Remove("dr-known");
  bed->PutDoctor("dr-oauth", "", AuthMode::kOauth);
  harness->zoom().SetGrantedScopes(AllScopesBut("user:read:user:admin"));
  Run();
  CHECK_FALSE(result.ok);
  CHECK_TRUE(result.s2s_app_needed);
}

// Results stored before s2s_app_needed existed read as needing the app.
TEST(ZoomCheck, AnOlderStoredResultReadsAsNeedingTheApp) {
  CHECK_TRUE(store
                 ->PutSetting("zoom.check",
                              "{\"checked_at\":1,\"ok\":false,\"configured\":"
                              "false,\"granted_scopes\":[],\"missing_scopes\":"
                              "[],\"items\":[]}")
                 .ok());
  ZoomCheckResult loaded;
  bool found = false;
  CHECK_TRUE(LoadZoomCheck(store, &loaded, &found).ok());
  CHECK_TRUE(loaded.s2s_app_needed);
}

TEST(ZoomCheck, ADaemonWithAnotherSecretKeyReportsItAsTheCredentialsItem) {
  S2sTokenSource::Options options = harness->TokenOptions(store);
  options.refused = Status::Conflict(
      "secret_key_mismatch", "sealed under another key; run 'zoom forget'");
  S2sTokenSource refused(options);
  Status s = RunZoomCheck(store, &refused, &harness->api(), &bed->clock,
                          CheckToken::kFresh, &result);
  CHECK_TEXT(s.ok(), s.ToString().c_str());
  CHECK_FALSE(result.ok);
  CHECK_TRUE(result.configured);
  LONGS_EQUAL(1, result.items.size());
  STRCMP_CONTAINS("zoom forget", Item("credentials").detail.c_str());
  LONGS_EQUAL(0, harness->zoom().CountRequests("", ""));
}

TEST(ZoomCheck, UnreachableTokenEndpointIsAnItemNotAnError) {
  test::Fault fault;
  fault.path_prefix = "/oauth/token";
  fault.kind = test::FaultKind::kDropBeforeWork;
  harness->zoom().InjectFault(fault);
  Run();
  CHECK_FALSE(result.ok);
  CHECK_TRUE(result.configured);
  CHECK_FALSE(Item("credentials").ok);
}

TEST(ZoomCheck, NoDetailHoldsTheSecretOrTheToken) {
  harness->zoom().SetGrantedScopes(AllScopesBut("user:read:user:admin"));
  Run();
  std::string token;
  CHECK_TRUE(harness->tokens().GetToken(&token).ok());
  std::string json = ZoomCheckToJson(result);
  CHECK_TRUE(json.find(token) == std::string::npos);
  CHECK_TRUE(json.find(test::GeneratedS2sClientSecret()) == std::string::npos);
}

TEST(ZoomCheck, SavedResultLoadsBackEqual) {
  bed->PutDoctor("dr-gone", "gone@clinic.example");
  Run();
  CHECK_TRUE(SaveZoomCheck(store, result).ok());
  ZoomCheckResult loaded;
  bool found = false;
  CHECK_TRUE(LoadZoomCheck(store, &loaded, &found).ok());
  CHECK_TRUE(found);
  STRCMP_EQUAL(ZoomCheckToJson(result).c_str(),
               ZoomCheckToJson(loaded).c_str());
  LONGS_EQUAL(result.checked_at, loaded.checked_at);
}

TEST(ZoomCheck, NothingStoredIsNotFound) {
  ZoomCheckResult loaded;
  bool found = true;
  CHECK_TRUE(LoadZoomCheck(store, &loaded, &found).ok());
  CHECK_FALSE(found);
}

TEST(ZoomCheck, GarbledStoredResultIsCorruption) {
  CHECK_TRUE(store->PutSetting("zoom.check", "{\"ok\":1}").ok());
  ZoomCheckResult loaded;
  bool found = false;
  Status s = LoadZoomCheck(store, &loaded, &found);
  CHECK_TRUE(s.code() == Status::Code::kCorruption);
}

TEST(ZoomCheck, JsonHasTheDocumentedShape) {
  Run();
  CjsonPtr root(cJSON_Parse(ZoomCheckToJson(result).c_str()));
  const cJSON* checked_at = cJSON_GetObjectItem(root.get(), "checked_at");
  STRCMP_EQUAL("2026-05-28T20:26:40Z", cJSON_GetStringValue(checked_at));
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(root.get(), "ok")));
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(root.get(), "configured")));
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(root.get(), "s2s_app_needed")));
  CHECK_TRUE(cJSON_IsArray(cJSON_GetObjectItem(root.get(), "granted_scopes")));
  CHECK_TRUE(cJSON_IsArray(cJSON_GetObjectItem(root.get(), "missing_scopes")));
  const cJSON* items = cJSON_GetObjectItem(root.get(), "items");
  LONGS_EQUAL(3, cJSON_GetArraySize(items));
  const cJSON* first = cJSON_GetArrayItem(items, 0);
  STRCMP_EQUAL("credentials",
               cJSON_GetStringValue(cJSON_GetObjectItem(first, "subject")));
  CHECK_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(first, "ok")));
  CHECK_TRUE(cJSON_IsString(cJSON_GetObjectItem(first, "detail")));
}

}  // namespace telemed
