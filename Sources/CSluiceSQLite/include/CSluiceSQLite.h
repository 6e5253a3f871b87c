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

/// Binds parameter `index` (from 1) of `statement` (a `sqlite3_stmt *`) to `length` bytes of UTF-8 text, which
/// SQLite copies. Returns 0, or SQLite's result code.
int sluice_sqlite_bind_text(void *statement, int index, const void *bytes, int length);

/// Binds parameter `index` (from 1) of `statement` to a 64-bit integer. Returns 0, or SQLite's result code.
int sluice_sqlite_bind_int64(void *statement, int index, long long value);

/// Binds parameter `index` (from 1) of `statement` to a double. Returns 0, or SQLite's result code.
int sluice_sqlite_bind_double(void *statement, int index, double value);

/// Runs an INSERT (`statement`) once with its bindings, then readies it for the next row: reset, every
/// parameter NULL again. Returns 0, or SQLite's result code (then `sluice_sqlite_message` says why).
int sluice_sqlite_insert(void *statement);

/// The message of the last error on `statement`'s connection.
const char *sluice_sqlite_message(void *statement);

/// Steps a query (`statement`): 1 when a row is ready, 0 at its end, or SQLite's result code negated.
int sluice_sqlite_next_row(void *statement);

/// The SQLite type of column `index` (from 0) of the current row: 1 integer, 2 float, 3 text, 4 blob, 5 null.
int sluice_sqlite_column_type(void *statement, int index);

/// Column `index` (from 0) of the current row as a 64-bit integer.
long long sluice_sqlite_column_int64(void *statement, int index);

/// Column `index` (from 0) of the current row as a double.
double sluice_sqlite_column_double(void *statement, int index);

/// Column `index` (from 0) of the current row as UTF-8 text: its bytes (valid until the next step) and, in
/// `*length`, their count.
const void *sluice_sqlite_column_text(void *statement, int index, int *length);

#endif
