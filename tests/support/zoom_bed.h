// ZoomBed: what a test of code that talks to the fake Zoom over HTTPS
// needs, built in order: a temp dir, a FakeClock, a real random source, a
// store in the dir, and a ZoomHarness (fake Zoom + real client stack) on
// them, with the S2S app's credentials saved. Setup failures abort.
#ifndef TELEMED_TESTS_SUPPORT_ZOOM_BED_H_
#define TELEMED_TESTS_SUPPORT_ZOOM_BED_H_

#include <cstdint>
#include <memory>
#include <string>

#include "base/fake_clock.h"
#include "base/random.h"
#include "model/records.h"
#include "store/store.h"
#include "support/temp_dir.h"
#include "support/zoom_harness.h"

namespace telemed {
namespace test {

struct ZoomBed {
  // The clock starts at `start_micros` (FakeClock's default otherwise).
  explicit ZoomBed(int64_t start_micros = FakeClock().NowMicros());

  // Registers (or replaces) an S2S or OAuth doctor named "Dr. <id>".
  void PutDoctor(const std::string& id, const std::string& zoom_user,
                 AuthMode auth = AuthMode::kS2s);

  TempDir dir;
  FakeClock clock;
  std::unique_ptr<RandomSource> random;
  std::unique_ptr<Store> store;
  std::unique_ptr<ZoomHarness> harness;
};

}  // namespace test
}  // namespace telemed

#endif  // TELEMED_TESTS_SUPPORT_ZOOM_BED_H_
