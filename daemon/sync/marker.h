// Meeting markers: a short opaque tag at the start of a meeting's agenda
// that lets the bridge recognise the meeting a lost create made (Zoom has
// no idempotency key; docs/sync.md, "Exactly once").
//
// "[tb:" + 10 hex digits + "]": HMAC-SHA256 under a subkey of the bridge's
// secret key, of the appointment id and the create generation. Stable
// across restarts, unique per attempt, and it says nothing to a patient who
// reads the agenda.
#ifndef TELEMED_SYNC_MARKER_H_
#define TELEMED_SYNC_MARKER_H_

#include <cstdint>
#include <string>

namespace telemed {

class SecretKey;

class MarkerMaker final {
 public:
  // Derives the marker subkey once; *key may go away afterwards.
  explicit MarkerMaker(const SecretKey& key);
  ~MarkerMaker();
  MarkerMaker(const MarkerMaker&) = delete;
  MarkerMaker& operator=(const MarkerMaker&) = delete;

  std::string Marker(const std::string& appointment_id,
                     int64_t generation) const;
  // True when `agenda` starts with `marker` (listings cut agendas to 250
  // characters, and the marker stands first so it survives the cut).
  static bool AgendaCarries(const std::string& agenda,
                            const std::string& marker);

 private:
  uint8_t subkey_[32];
};

}  // namespace telemed

#endif  // TELEMED_SYNC_MARKER_H_
