#pragma once
// gocua-hub migrate --from DIR --to postgresql://USER@HOST:PORT/DB: moves a hub from its SQLite
// file (DIR/hub.db) to an EMPTY PostgreSQL hub database, so that a commune's or province's hub
// grows onto PostgreSQL without a laptop re-enrolling (docs/deploy.md, "Moving a hub").
//
// Contract:
// - Copied: the hub's ids (its device id, the log's id) and clock; devices (roles, names,
//   revoked, replaced_by, token hashes as stored), enrollment codes (hashes), origins, scopes;
//   every record (communes, villages, members, households, visits, reviews, conflicts, …);
//   the log with every op's server seq (laptops' cursors stay valid: nothing pulled twice or
//   missed); quarantined ops; the console's accounts, sessions, audit and settings.
// - All in ONE transaction of the target: a copy that dies half way leaves it as it was, and a
//   new run starts again. The source is only read (after its schema is brought up to date as a
//   hub opening it would): stop the SQLite hub first, or laptops syncing meanwhile are not in
//   the copy.
// - A target holding a hub's data already is refused (exit 1), with what it holds.
// - Progress on `out`, one line per step and per chunk of the log.
#include <cstdio>

#include "sync/hub/args.h"

namespace gocua::hub {

// Runs the command; exit code 0 done, 1 failed (said on `err`), 2 usage error.
int Migrate(const Args& args, std::FILE* out, std::FILE* err);

}  // namespace gocua::hub
