// The store's schema history: numbered migrations applied in order and
// tracked in PRAGMA user_version (0 = empty file). Internal to store/.
//
// Policy: a released migration is never edited; a schema change appends the
// next number. Each run of MigrateSchema applies every missing step in one
// transaction, so a crash leaves the old or the new schema, never half.
#ifndef TELEMED_STORE_MIGRATIONS_H_
#define TELEMED_STORE_MIGRATIONS_H_

#include <string>

#include "base/status.h"
#include "store/sqlite.h"

namespace telemed {

// The version the last migration produces.
int LatestSchemaVersion();

// Reads the schema version of `db` (0: no bridge schema yet).
// Corruption("not_a_database") when the file is not SQLite.
Status ReadUserVersion(SqliteDb* db, const std::string& path, int* version);

// Checks the version of `db` (opened from `path`, named in messages) and
// applies the missing migrations. Refuses with Conflict("schema_too_new")
// a file from a newer build, so an old binary never writes a schema it does
// not know, and with Corruption("not_a_database") a file that is not SQLite.
// Reads without locking when the schema is current (the common case).
Status MigrateSchema(SqliteDb* db, const std::string& path);

// MigrateSchema, stopping at version `target` (a file at or past it is left
// alone). Lets tests build a file as an older release left it.
Status MigrateSchemaTo(SqliteDb* db, const std::string& path, int target);

}  // namespace telemed

#endif  // TELEMED_STORE_MIGRATIONS_H_
