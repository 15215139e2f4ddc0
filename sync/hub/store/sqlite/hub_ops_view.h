#pragma once
// The SQLite hub's view hub_ops (hub schema 12, 13): one row per op of the log, with the texts
// and columns the table hub_log had before runs (hub schema 4), for people, tools and tests on
// a plain SQLite connection (no function of the hub's needed). It reads every form of a run's
// `rest`: JSON short and whole (hub schema 4..11) and binary (log_binary.h; field codes
// through the table hub_fields). Internal to sync/hub/store/sqlite/.
#include <string>

#include "storage/core/sqlite_db.h"

namespace gocua::hub_internal {

// CREATE VIEW hub_ops AS … (the statement, without a trailing ';').
std::string HubOpsViewSql();

// CREATE VIEW hub_log AS … of hub schema 12: hub_runs with the texts of its ids (hub_ids), a
// record id kept as its 16 bytes (a BLOB) shown as the UUID's text, an orig_hlc kept as 0
// (= hlc) shown as the hlc. The columns of the table hub_log had, in its order, then
// record_key: the record id as stored (16 bytes or text), which the log's reader turns into
// text itself (kLogColumns): the text in SQL cost a pull ~15 % more instructions. Since hub
// schema 13 field and value show op 0's also for a row of form 0x02 (log_binary.h), whose own
// columns are empty; field_key and value_key are the columns as stored (what kLogColumns reads).
std::string HubLogViewSql();

// hub_words(code, word): the word list of the binary form's tags 4 and 5 (log_words.h), for
// hub_ops. Rows are added, never changed (the list is append-only). Run on every open, inside
// the migration's transaction.
Status FillHubWords(Database::Impl& d);

// hub_fields(record_type, code, name): the field codes of the binary form, code k = field
// FieldName(def, k − 1) of every RecordDef. Rows are added, never changed (fields are only
// appended to a RecordDef). Run on every open, inside the migration's transaction.
Status FillHubFields(Database::Impl& d);

}  // namespace gocua::hub_internal
