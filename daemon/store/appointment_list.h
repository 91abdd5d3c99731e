// The SQL of ClinicRecords::ListAppointments, apart so that a test can ask
// SQLite for its query plan (that each variant walks an index, with no
// sort). Internal to store/.
#ifndef TELEMED_STORE_APPOINTMENT_LIST_H_
#define TELEMED_STORE_APPOINTMENT_LIST_H_

#include <string>

#include "store/clinic_records.h"
#include "store/sqlite.h"

namespace telemed {

// The statement for `query`'s shape (which filters it has); its values are
// bound by BindAppointmentQuery, never written into the text.
std::string AppointmentListSql(const AppointmentQuery& query);
// Binds `query`'s values to a statement of AppointmentListSql(query),
// asking for `rows` rows.
void BindAppointmentQuery(const AppointmentQuery& query, int rows,
                          SqliteStmt* stmt);

}  // namespace telemed

#endif  // TELEMED_STORE_APPOINTMENT_LIST_H_
