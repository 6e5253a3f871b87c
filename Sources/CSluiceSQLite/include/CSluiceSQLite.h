#ifndef CSLUICE_SQLITE_H
#define CSLUICE_SQLITE_H

/// Locks an SQLite connection (a `sqlite3 *`, passed untyped so that this header needs no SQLite header)
/// down for running untrusted SELECT statements: defensive mode on, extension loading, triggers, views and
/// untrusted schema off, no further ATTACH, and an authorizer that allows reading and calling functions
/// only (never `load_extension`); any other statement fails to compile with SQLITE_AUTH. Returns 0, or
/// the SQLite result code of the first setting that failed.
int sluice_sqlite_lock_down(void *connection);

/// Makes every statement of `connection` stop with SQLITE_INTERRUPT soon after `*flag` becomes non-zero: a
/// progress handler reads it every thousand virtual-machine steps, so a stop is never lost, whether it comes
/// before, during or between statements (unlike `sqlite3_interrupt`, which only stops a statement running at
/// that moment). `flag` must outlive the connection's use; set it with `sluice_flag_raise`.
void sluice_sqlite_stop_when(void *connection, int *flag);

/// Raises `*flag` (atomically), for `sluice_sqlite_stop_when`.
void sluice_flag_raise(int *flag);

#endif
