// doctor put | list | remove | connect | disconnect: the doctors
// appointments refer to.
//
// `doctor put` builds the doctor with the validation the API uses
// (model/validation.h), so the command line can never store a doctor the
// API would refuse.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/time_format.h"
#include "cli/command.h"
#include "cli/table.h"
#include "model/validation.h"
#include "service/zoom_session.h"
#include "sync/doctor_disconnect.h"
#include "zoom/oauth_connect.h"
#include "zoom/zoom_check.h"

namespace telemed {
namespace cli {

namespace {

// The flag a user wrote for each field the validator may blame.
std::string FlagForField(const std::string& field) {
  if (field == "zoom_user") return "--zoom-user";
  if (field == "name" || field == "auth") return "--" + field;
  return field == "id" ? "ID" : field;
}

// Overrides *field with the flag `name` when it was given.
void TakeFlag(const ParsedArgs& args, const char* name,
              std::optional<std::string>* field) {
  if (const std::string* flag = args.Flag(name)) *field = *flag;
}

// The doctor's fields: each flag given, else the stored doctor's value
// (when there is one), else nothing, so the validation applies its
// defaults and its rules for missing fields.
DoctorFields PickFields(const ParsedArgs& args, const Doctor* stored) {
  DoctorFields fields;
  if (stored != nullptr) {
    fields.name = stored->name;
    fields.auth = AuthModeName(stored->auth);
    // A stored "" means none, as a missing flag does.
    if (!stored->zoom_user.empty()) fields.zoom_user = stored->zoom_user;
  }
  TakeFlag(args, "name", &fields.name);
  TakeFlag(args, "zoom-user", &fields.zoom_user);
  TakeFlag(args, "auth", &fields.auth);
  return fields;
}

// Looks the doctor up; *found tells whether it exists.
Status FindDoctor(ClinicRecords* records, const std::string& id, Doctor* out,
                  bool* found) {
  Status s = records->GetDoctor(id, out);
  *found = s.ok();
  return s.IsNotFound() ? Status::OK() : s;
}

const char* OutcomeVerb(WriteOutcome outcome) {
  switch (outcome) {
    case WriteOutcome::kCreated:
      return "Registered";
    case WriteOutcome::kReplaced:
      return "Updated";
    case WriteOutcome::kUnchanged:
      return "Unchanged:";
  }
  return "Stored";
}

// An OAuth doctor's connection state ("-" for an S2S doctor).
std::string OauthState(const Doctor& doctor,
                       const std::map<std::string, GrantState>& grants) {
  if (doctor.auth != AuthMode::kOauth) return "-";
  auto it = grants.find(doctor.id);
  return it == grants.end() ? "not_connected" : GrantStateName(it->second);
}

TableRow DoctorRow(const Doctor& doctor,
                   const std::map<std::string, GrantState>& grants) {
  return {doctor.id, doctor.name, AuthModeName(doctor.auth),
          doctor.zoom_user.empty() ? "-" : doctor.zoom_user,
          OauthState(doctor, grants)};
}

// Checks the command's ID, then opens the store (creating it only for a
// set-up command); a failure's message is ready to print.
Status OpenForDoctor(const Context& context, StoreSession* session,
                     bool setup = false) {
  const std::string& id = context.args.positionals[0];
  Status s = CheckId(id);
  if (!s.ok()) {
    return Status::InvalidArgument(
        s.reason(), "invalid ID '" + id + "': " + s.message(), s.field());
  }
  return setup ? OpenStoreForSetup(context, session)
               : OpenStore(context.config, session);
}

// The key first (OpenStore gives up root, and the key file is root's), then
// the store, then Zoom's session; a failure's message is ready to print.
Status OpenForOauth(const Context& context, StoreSession* store,
                    ZoomSession* zoom) {
  Status s = PreloadSecretKey(context.config, zoom);
  if (s.ok()) s = OpenForDoctor(context, store);
  if (s.ok()) s = OpenZoomSession(context.config, store, zoom);
  return s;
}

// What connecting and disconnecting borrow, over the open sessions.
OAuthConnectDeps OauthDeps(const Context& context, StoreSession* store,
                           ZoomSession* zoom) {
  OAuthConnectDeps deps;
  deps.records = store->store.get();
  deps.grants = store->store.get();
  deps.revokes = store->store.get();
  deps.settings = store->store.get();
  deps.box = zoom->box.get();
  deps.random = zoom->random.get();
  deps.public_url = PublicUrl(context.config);
  deps.oauth =
      OAuthEndpoint{zoom->oauth_url, zoom->client->transport(), &store->clock};
  return deps;
}

// Whether removing `id` needs Zoom's session: an OAuth doctor with a grant
// to revoke and purge.
Status HasGrantToDrop(Store* store, const std::string& id, bool* needs) {
  Doctor doctor;
  bool found = false;
  Status s = FindDoctor(store, id, &doctor, &found);
  DoctorGrant grant;
  bool granted = false;
  if (s.ok() && found && doctor.auth == AuthMode::kOauth) {
    s = store->GetGrant(id, &grant, &granted);
  }
  *needs = granted;
  return s;
}

}  // namespace

int RunDoctorPut(const Context& context) {
  const std::string& id = context.args.positionals[0];
  StoreSession session;
  Status s = OpenForDoctor(context, &session, /*setup=*/true);
  Doctor stored;
  bool found = false;
  if (s.ok()) s = FindDoctor(session.store.get(), id, &stored, &found);
  if (!s.ok()) return Fail(context, s.message());
  Doctor doctor;
  s = BuildDoctor(id, PickFields(context.args, found ? &stored : nullptr),
                  &doctor);
  if (!s.ok()) {
    return Fail(context,
                "invalid " + FlagForField(s.field()) + ": " + s.message());
  }
  WriteOutcome outcome;
  s = session.store->PutDoctor(doctor, &outcome);
  if (!s.ok()) return Fail(context, s.message());
  *context.out << OutcomeVerb(outcome) << " doctor " << id << ".\n";
  if (doctor.auth == AuthMode::kOauth && outcome == WriteOutcome::kCreated) {
    *context.err << "doctor " << id << ": " << kOauthDoctorCannotSync << "\n";
  }
  return kExitOk;
}

int RunDoctorRemove(const Context& context) {
  const std::string& id = context.args.positionals[0];
  StoreSession session;
  ZoomSession zoom;
  // The key is read before OpenStore gives up root, but needed only for an
  // OAuth doctor's grant: Zoom's session opens before anything is removed.
  const Status key = PreloadSecretKey(context.config, &zoom);
  Status s = OpenForDoctor(context, &session);
  bool needs_zoom = false;
  if (s.ok()) s = HasGrantToDrop(session.store.get(), id, &needs_zoom);
  if (s.ok() && needs_zoom) s = key;
  if (s.ok() && needs_zoom) {
    s = OpenZoomSession(context.config, &session, &zoom);
  }
  Doctor removed;
  int appointments = 0;
  if (s.ok()) s = session.store->RemoveDoctor(id, &removed, &appointments);
  if (s.ok() && needs_zoom) {
    s = DropGrantOfRemovedDoctor(OauthDeps(context, &session, &zoom), id,
                                 session.clock.NowSeconds());
  }
  if (!s.ok()) return Fail(context, s.message());
  *context.out << "Removed doctor " << id << " ("
               << EscapeControls(removed.name) << ", "
               << AuthModeName(removed.auth);
  if (!removed.zoom_user.empty()) {
    *context.out << ", " << EscapeControls(removed.zoom_user);
  }
  *context.out << ")";
  if (appointments > 0) {
    *context.out << " and its " << appointments << " cancelled or ended "
                 << (appointments == 1 ? "appointment" : "appointments");
  }
  *context.out << ".\n";
  return kExitOk;
}

int RunDoctorConnect(const Context& context) {
  const std::string& id = context.args.positionals[0];
  StoreSession store;
  ZoomSession zoom;
  Status s = OpenForOauth(context, &store, &zoom);
  if (!s.ok()) return Fail(context, s.message());
  ConnectLink link;
  s = CreateConnectLink(OauthDeps(context, &store, &zoom), id,
                        store.clock.NowSeconds(), &link);
  if (!s.ok()) return Fail(context, s.message());
  *context.out << link.url << "\n";
  *context.err << "Give this link to the doctor: it works once, until "
               << FormatRfc3339Utc(link.expires_at) << ".\n";
  return kExitOk;
}

int RunDoctorDisconnect(const Context& context) {
  const std::string& id = context.args.positionals[0];
  StoreSession store;
  ZoomSession zoom;
  Status s = OpenForOauth(context, &store, &zoom);
  DisconnectResult result;
  if (s.ok()) {
    s = DisconnectDoctor(OauthDeps(context, &store, &zoom), id,
                         context.args.Flag("delete-meetings") != nullptr,
                         store.clock.NowSeconds(), &result);
  }
  if (!s.ok()) return Fail(context, s.message());
  if (!result.was_connected) {
    *context.out << "Doctor " << id << " was not connected to Zoom.\n";
  } else if (result.meetings_to_delete > 0) {
    *context.out << "Disconnected doctor " << id << ": deleting "
                 << result.meetings_to_delete
                 << " Zoom meetings first (the daemon does; its grant is "
                    "purged when they are gone, within 10 minutes).\n";
  } else {
    *context.out << "Disconnected doctor " << id
                 << " from Zoom: its grant is revoked and purged.\n";
  }
  return kExitOk;
}

int RunDoctorList(const Context& context) {
  StoreSession session;
  std::vector<Doctor> doctors;
  std::vector<DoctorGrant> grants;
  Status s = OpenStore(context.config, &session);
  if (s.ok()) s = session.store->ListDoctors(&doctors);
  if (s.ok()) s = session.store->ListGrants(&grants);
  if (!s.ok()) return Fail(context, s.message());
  if (doctors.empty()) {
    *context.out << "No doctors. Register one with: " << context.program
                 << " doctor put ID --name NAME --zoom-user EMAIL_OR_ID\n";
    return kExitOk;
  }
  std::map<std::string, GrantState> states;
  for (const DoctorGrant& grant : grants) states[grant.doctor_id] = grant.state;
  std::vector<TableRow> rows = {{"ID", "NAME", "AUTH", "ZOOM USER", "OAUTH"}};
  for (const Doctor& doctor : doctors)
    rows.push_back(DoctorRow(doctor, states));
  *context.out << FormatTable(rows);
  return kExitOk;
}

}  // namespace cli
}  // namespace telemed
