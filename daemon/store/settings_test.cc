// Settings, the secret-key fingerprint, leases and daily Zoom write counts,
// including two Store instances on one file (the daemon and the CLI).
#include <memory>
#include <string>
#include <thread>

#include "store/store.h"
#include "store/testutil.h"

namespace telemed {
namespace {

using test::StoreFixture;

constexpr char kKeyPath[] = "/var/lib/telemed-bridge/secret.key";

}  // namespace

TEST_GROUP_BASE(Settings, StoreFixture){
    std::string Get(const std::string& name){std::string value = "untouched";
bool found = false;
CHECK_OK(store->GetSetting(name, &value, &found));
return found ? value : "<absent>";
}  // namespace telemed
bool Take(Store* target, const std::string& owner, int64_t now) {
  bool taken = false;
  CHECK_OK(target->TryTakeLease("token", owner, now, now + 30, &taken));
  return taken;
}
}
;

TEST(Settings, ValuesAreBytesIncludingNul) {
  const std::string binary("a\0b\xff\x00z", 6);
  CHECK_OK(store->PutSetting("zoom.secret", binary));
  CHECK_OK(store->PutSetting("empty", ""));
  store.reset();
  store = OpenStore();
  std::string got = Get("zoom.secret");
  LONGS_EQUAL(6, got.size());
  CHECK(got == binary);
  STRCMP_EQUAL("", Get("empty").c_str());
  STRCMP_EQUAL("<absent>", Get("missing").c_str());
  CHECK_OK(store->PutSetting("zoom.secret", "second"));
  STRCMP_EQUAL("second", Get("zoom.secret").c_str());
}

TEST(Settings, DeleteByPrefixIsLiteral) {
  for (const char* name : {"zoom.a", "zoom.b", "zoomx", "zo%m.c", "other"}) {
    CHECK_OK(store->PutSetting(name, "v"));
  }
  CHECK_OK(store->DeleteSettings("zoom."));
  STRCMP_EQUAL("<absent>", Get("zoom.a").c_str());
  STRCMP_EQUAL("<absent>", Get("zoom.b").c_str());
  STRCMP_EQUAL("v", Get("zoomx").c_str());
  CHECK_OK(store->DeleteSettings("zo%"));
  STRCMP_EQUAL("<absent>", Get("zo%m.c").c_str());
  STRCMP_EQUAL("v", Get("zoomx").c_str());
  STRCMP_EQUAL("v", Get("other").c_str());
  CHECK_FALSE(store->DeleteSettings("").ok());
  STRCMP_EQUAL("v", Get("other").c_str());
}

TEST(Settings, KeyFingerprintFirstWriterWinsAcrossStores) {
  std::unique_ptr<Store> other = OpenStore();
  CHECK_OK(store->BindKeyFingerprint("fp-one", kKeyPath));
  CHECK_OK(store->BindKeyFingerprint("fp-one", kKeyPath));
  Status s = other->BindKeyFingerprint("fp-two", "/tmp/other.key");
  CHECK(s.code() == Status::Code::kConflict);
  STRCMP_EQUAL("secret_key_mismatch", s.reason().c_str());
  CHECK(s.message().find("fp-one") != std::string::npos);
  CHECK(s.message().find("fp-two") != std::string::npos);
  CHECK(s.message().find("/tmp/other.key") != std::string::npos);
  CHECK_OK(other->BindKeyFingerprint("fp-one", kKeyPath));
  // Forgetting the Zoom settings keeps the binding.
  CHECK_OK(store->DeleteSettings("zoom."));
  CHECK_FALSE(store->BindKeyFingerprint("fp-two", kKeyPath).ok());
}

TEST(Settings, UnbindingLetsAnotherKeyBind) {
  CHECK_OK(store->BindKeyFingerprint("fp-one", kKeyPath));
  CHECK_OK(store->UnbindKeyFingerprint());
  CHECK_OK(store->UnbindKeyFingerprint());  // nothing bound: still fine
  CHECK_OK(store->BindKeyFingerprint("fp-two", kKeyPath));
  CHECK_FALSE(store->BindKeyFingerprint("fp-one", kKeyPath).ok());
}

TEST(Settings, KeyFingerprintRaceHasOneWinner) {
  std::unique_ptr<Store> other = OpenStore();
  Status first, second;
  std::thread a([&] { first = store->BindKeyFingerprint("fp-a", kKeyPath); });
  std::thread b([&] { second = other->BindKeyFingerprint("fp-b", kKeyPath); });
  a.join();
  b.join();
  CHECK(first.ok() != second.ok());
  std::string winner = first.ok() ? "fp-a" : "fp-b";
  CHECK_OK(store->BindKeyFingerprint(winner, kKeyPath));
  CHECK_OK(other->BindKeyFingerprint(winner, kKeyPath));
}

TEST(Settings, LeaseIsExclusiveUntilItExpires) {
  std::unique_ptr<Store> other = OpenStore();
  const int64_t now = clock.NowSeconds();
  CHECK_TRUE(Take(store.get(), "daemon", now));
  CHECK_FALSE(Take(store.get(), "cli", now + 1));
  CHECK_FALSE(Take(other.get(), "cli", now + 1));
  // The owner renews: the lease now runs to now + 40.
  CHECK_TRUE(Take(other.get(), "daemon", now + 10));
  CHECK_FALSE(Take(other.get(), "cli", now + 40));
  CHECK_TRUE(Take(other.get(), "cli", now + 41));
  CHECK_FALSE(Take(store.get(), "daemon", now + 42));
}

TEST(Settings, ReleaseFreesOnlyTheOwnersLease) {
  std::unique_ptr<Store> other = OpenStore();
  const int64_t now = clock.NowSeconds();
  CHECK_TRUE(Take(store.get(), "daemon", now));
  CHECK_OK(other->ReleaseLease("token", "cli"));
  CHECK_FALSE(Take(other.get(), "cli", now));
  CHECK_OK(store->ReleaseLease("token", "daemon"));
  CHECK_TRUE(Take(other.get(), "cli", now));
  bool taken = false;
  CHECK_OK(store->TryTakeLease("other-lease", "daemon", now, now + 5, &taken));
  CHECK_TRUE(taken);
}

// A holder proven gone is replaced only while it still holds the lease:
// of two processes taking it over at once, one wins.
TEST(Settings, TakeOverReplacesOnlyTheNamedHolder) {
  std::unique_ptr<Store> other = OpenStore();
  const int64_t now = clock.NowSeconds();
  std::string owner = "untouched";
  bool found = true;
  CHECK_OK(store->GetLeaseOwner("token", &owner, &found));
  CHECK_FALSE(found);
  CHECK_TRUE(Take(store.get(), "killed", now));
  CHECK_OK(other->GetLeaseOwner("token", &owner, &found));
  CHECK_TRUE(found);
  STRCMP_EQUAL("killed", owner.c_str());

  bool taken = true;
  CHECK_OK(other->TakeOverLease("token", "someone", "cli", now + 30, &taken));
  CHECK_FALSE(taken);
  CHECK_OK(other->TakeOverLease("token", "killed", "cli", now + 30, &taken));
  CHECK_TRUE(taken);
  CHECK_OK(store->TakeOverLease("token", "killed", "daemon", now + 30, &taken));
  CHECK_FALSE(taken);
  CHECK_OK(store->GetLeaseOwner("token", &owner, &found));
  STRCMP_EQUAL("cli", owner.c_str());
  CHECK_FALSE(Take(store.get(), "daemon", now + 29));
  // Nothing to take over once the lease is gone.
  CHECK_OK(other->ReleaseLease("token", "cli"));
  CHECK_OK(store->TakeOverLease("token", "cli", "daemon", now + 30, &taken));
  CHECK_FALSE(taken);
}

TEST(Settings, ZoomWritesCountPerHostAndDay) {
  const int64_t day = clock.NowSeconds() / 86400;
  int count = 0;
  for (int i = 1; i <= 3; ++i) {
    CHECK_OK(store->AddZoomWrite("h1", day, &count));
    LONGS_EQUAL(i, count);
  }
  CHECK_OK(store->AddZoomWrite("h2", day, &count));
  LONGS_EQUAL(1, count);
  CHECK_OK(store->AddZoomWrite("h1", day + 1, &count));
  LONGS_EQUAL(1, count);
  std::unique_ptr<Store> other = OpenStore();
  CHECK_OK(other->GetZoomWrites("h1", day, &count));
  LONGS_EQUAL(3, count);
  CHECK_OK(other->GetZoomWrites("h3", day, &count));
  LONGS_EQUAL(0, count);
  // Counting two days later drops the days before yesterday.
  CHECK_OK(store->AddZoomWrite("h2", day + 2, &count));
  CHECK_OK(store->GetZoomWrites("h1", day, &count));
  LONGS_EQUAL(0, count);
  CHECK_OK(store->GetZoomWrites("h1", day + 1, &count));
  LONGS_EQUAL(1, count);
}

}  // namespace telemed
