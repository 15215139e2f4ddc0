#pragma once
// The SQLite hub store's own schema and its numbered migrations (meta "hub_schema"). Internal
// to sync/hub/store/sqlite/.
//
// Since hub schema 6 the hub's file holds only what the hub uses: meta, the record tables
// (storage/core/schema.h: values, a tombstone and stamps per field, as the record store reads
// and writes them), the change log of the hub's own edits (outbox), and the hub's tables
// (devices, codes, origins, the server log, scopes; the view hub_ops). It is no longer the
// device's schema minus a list: the device's migrations never run on a hub file, so a device
// migration cannot stop a hub from opening.
//  - A new file gets schema 6 whole.
//  - A file of hub schema 1..5 (made over the device's schema 9 by hubs before 6) runs the
//    old steps up to 5, then step 6 keeps the objects of schema 6 and drops every other one
//    (the device's derived tables, indexes, triggers, the search index). Its records, devices,
//    tokens, codes and log rows stay as they are.
//  - Step 7 (every file): codes and devices get a role; the old token secret is deleted.
//  - Step 8 (every file): households.removed_reason, the mirror of device schema 10.
//  - Step 9 (every file): the web console's accounts, sessions, audit log and settings.
//  - Step 10: devices get replaced_by (a device that re-identified is retired).
//  - Step 11, the lean log (hub_internal.h): ids as numbers (hub_ids, hub_runs; the view
//    hub_log shows the texts), a run's ops after the first written short when they repeat the
//    first; the view hub_ops reads both forms and the rows there are rewritten.
//    (Since 12 the rows are rewritten after the migration, in batches: RewriteLogRows.)
//  - Step 12, the binary log (sync/hub/store/log_binary.h): a run whose ops after the first
//    are all short is written in binary (a BLOB `rest`: field codes, varint steps, UUIDs as
//    16 bytes); hub_ops (hub_ops_view.h) reads it in plain SQL through hub_fields.
//  - 13: a binary rest holds op 0's field and value too (form 0x02, the row's own columns
//    empty), dates, words of a fixed list (table hub_words) and objects of words in a few
//    bytes (log_binary.h); every row's rest is written again (RewriteLogRows).
//  - A later change is step 14, and so on: never edit a step once released.
#include "storage/core/sqlite_db.h"

namespace gocua::hub_internal {

// The hub schema this build writes.
inline constexpr int kHubSchemaVersion = 13;

// Brings the file to kHubSchemaVersion in one transaction (of its own: call before anything
// else uses the connection) and makes sure meta holds a device id (the hub's own ops' origin),
// which it puts in d.device_id. kTooNew for a file of a newer hub; kCorrupt for a file that is
// neither a hub's nor empty (a device's database, say).
// Then, if `rewrite`, rewrites the log's rows of an upgraded file (RewriteLogRows).
Status MigrateHubSchema(Database::Impl& d, bool rewrite = true);

// The log rows rewritten per transaction: ~1 MB of rows in memory at most.
inline constexpr int kLogBatch = 1000;

// Rewrites the log rows that steps 11 and 12 left in an older form, `batch_rows` rows a
// transaction (each its own, committed with its progress in meta "hub_rest_rewrite"), at most
// `max_batches` batches (< 0: until none is left). Resumable: a process killed half way leaves
// whole batches; the next call goes on. The log reads the same at every point (every reader
// reads every form). Outside any transaction.
Status RewriteLogRows(Database::Impl& d, int max_batches = -1, int batch_rows = kLogBatch);

}  // namespace gocua::hub_internal
