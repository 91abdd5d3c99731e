// Parsing of the query values of the local API's change feed (GET
// /appointments). The JSON bodies of PUT /doctors/{id} and PUT
// /appointments/{id} are read by model/json_body.h, shared with the admin
// page. Pure functions of their input, so the fuzz target (tests/fuzz/)
// drives them directly.
//
// Every refusal is a Status whose reason is the API's error code and whose
// field names the culprit: InvalidArgument (400) "invalid_query",
// Conflict (409) "cursor_invalid" (ResolveFeedCursor).
#ifndef TELEMED_API_REQUEST_PARSE_H_
#define TELEMED_API_REQUEST_PARSE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "model/json_body.h"  // the bodies the API reads with the feed

namespace telemed {

// A feed cursor (the `since` of GET /appointments) as the client sent it.
// The API hands out "<tag>-<seq>": tag is the first 8 hex digits of the
// database's id (Store::GetDatabaseId), seq the change_seq to list after.
// A bare decimal seq is a cursor from before cursors carried the tag (or
// "0", the start); "head" means the newest change at the time of asking.
struct FeedCursor {
  enum class Kind { kSeq, kHead };
  Kind kind = Kind::kSeq;
  std::string tag;  // "" for a bare decimal cursor (this database's)
  uint64_t seq = 0;
};

// The cursor after change `seq` of the database with id `database_id`.
// REQUIRES: database_id has at least 8 characters.
std::string FormatFeedCursor(const std::string& database_id, uint64_t seq);

// Query values of GET /appointments. Absent values take the defaults
// (since 0, limit 100, wait 0). since: a cursor FormatFeedCursor made, a
// bare decimal, or "head"; limit 1..500; wait 0..60 seconds, whole.
// InvalidArgument("invalid_query", field = the parameter) otherwise.
// `since` stays 0 here: ResolveFeedCursor sets it from `cursor`.
struct FeedQuery {
  FeedCursor cursor;
  uint64_t since = 0;  // the change_seq to list after, once resolved
  int limit = 100;
  int wait_seconds = 0;
};
Status ParseFeedQuery(const std::string* since, const std::string* limit,
                      const std::string* wait, FeedQuery* out);

// The change_seq to list after for `cursor`, given this database's id and
// its newest change_seq `head`. A cursor of another database (its tag is
// not this id's) or ahead of `head` (a database restored from an older
// copy) is Conflict("cursor_invalid", field "since"): its client must read
// the feed again from the start. "0" is the start of every database.
Status ResolveFeedCursor(const FeedCursor& cursor,
                         const std::string& database_id, uint64_t head,
                         uint64_t* after);

// InvalidArgument("invalid_query", field = the name) for the first query
// parameter in `names` that is not in `allowed` or is given more than once.
// `names` holds each occurrence (repeats included), in any order.
Status CheckQueryNames(const std::vector<std::string>& names,
                       const std::vector<std::string>& allowed);

}  // namespace telemed

#endif  // TELEMED_API_REQUEST_PARSE_H_
