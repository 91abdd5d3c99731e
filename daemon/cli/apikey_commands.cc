// apikey create | list | revoke: managing the keys clinic software presents.
#include <memory>
#include <string>
#include <vector>

#include "base/random.h"
#include "base/time_format.h"
#include "cli/command.h"
#include "cli/table.h"

namespace telemed {
namespace cli {

namespace {

std::string FormatTimeOrNever(int64_t unix_seconds) {
  return unix_seconds == 0 ? "never" : FormatRfc3339Utc(unix_seconds);
}

TableRow KeyRow(const ApiKeyInfo& key) {
  return {key.name, key.revoked_at == 0 ? "active" : "revoked",
          FormatRfc3339Utc(key.created_at),
          FormatTimeOrNever(key.last_used_at)};
}

Status CreateKey(const Context& context, const std::string& name,
                 std::string* key) {
  StoreSession session;
  Status s = OpenStoreForSetup(context, &session);
  if (!s.ok()) return s;
  std::unique_ptr<RandomSource> random;
  s = RealRandom::Open(&random);
  if (!s.ok()) return s;
  return session.store->CreateApiKey(name, random.get(), key);
}

}  // namespace

int RunApiKeyCreate(const Context& context) {
  const std::string& name = context.args.positionals[0];
  std::string key;
  Status s = CreateKey(context, name, &key);
  if (s.code() == Status::Code::kAlreadyExists) {
    return Fail(context, "api key name '" + name + "' is already active");
  }
  if (!s.ok()) return Fail(context, s.message());
  // The key goes last, alone on its line, so scripts can take `tail -n 1`.
  *context.out << "Created API key '" << name
               << "'. Store it now: it is not shown again.\n"
               << key << "\n";
  return kExitOk;
}

int RunApiKeyList(const Context& context) {
  StoreSession session;
  std::vector<ApiKeyInfo> keys;
  Status s = OpenStore(context.config, &session);
  if (s.ok()) s = session.store->ListApiKeys(&keys);
  if (!s.ok()) return Fail(context, s.message());
  if (keys.empty()) {
    *context.out << "No API keys. Create one with: " << context.program
                 << " apikey create NAME\n";
    return kExitOk;
  }
  std::vector<TableRow> rows = {{"NAME", "STATUS", "CREATED", "LAST USED"}};
  for (const ApiKeyInfo& key : keys) rows.push_back(KeyRow(key));
  *context.out << FormatTable(rows);
  return kExitOk;
}

int RunApiKeyRevoke(const Context& context) {
  const std::string& name = context.args.positionals[0];
  StoreSession session;
  Status s = OpenStore(context.config, &session);
  if (!s.ok()) return Fail(context, s.message());
  // Checked apart from OpenStore: a missing database is NotFound too.
  s = session.store->RevokeApiKey(name);
  if (s.IsNotFound()) {
    return Fail(context, "no active api key is named '" + name + "'");
  }
  if (!s.ok()) return Fail(context, s.message());
  *context.out << "Revoked API key '" << name
               << "'; it is refused from now on, also by a running daemon.\n";
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
