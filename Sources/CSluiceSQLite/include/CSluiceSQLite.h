#ifndef CSLUICE_SQLITE_H
#define CSLUICE_SQLITE_H

/// Locks an SQLite connection (a `sqlite3 *`, passed untyped so that this header needs no SQLite header)
/// down for running untrusted SELECT statements: defensive mode on, extension loading, triggers, views and
/// untrusted schema off, no further ATTACH, and an authorizer that allows reading and calling functions
/// only (never `load_extension`); any other statement fails to compile with SQLITE_AUTH. Returns 0, or
/// the SQLite result code of the first setting that failed.
int sluice_sqlite_lock_down(void *connection);

#endif
