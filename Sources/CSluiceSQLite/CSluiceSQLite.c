#include <sqlite3.h>
#include <stddef.h>
#include "CSluiceSQLite.h"

/// Allows only what a SELECT does: read tables and columns, call functions, recurse in a CTE.
/// SQLite calls it while compiling each statement; SQLITE_DENY makes compilation fail.
static int authorize(void *context, int action, const char *first, const char *second, const char *database,
                     const char *trigger) {
    (void)context;
    (void)first;
    (void)database;
    (void)trigger;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        // `second` is the function's name.
        if (second != NULL && (sqlite3_stricmp(second, "load_extension") == 0 ||
                               sqlite3_stricmp(second, "fts3_tokenizer") == 0)) {
            return SQLITE_DENY;
        }
        return SQLITE_OK;
    default:
        return SQLITE_DENY;
    }
}

int sluice_sqlite_lock_down(void *connection) {
    sqlite3 *db = connection;
    const int off[] = {SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, SQLITE_DBCONFIG_ENABLE_TRIGGER,
                       SQLITE_DBCONFIG_ENABLE_VIEW, SQLITE_DBCONFIG_TRUSTED_SCHEMA};
    for (size_t index = 0; index < sizeof off / sizeof off[0]; index++) {
        int status = sqlite3_db_config(db, off[index], 0, (int *)NULL);
        if (status != SQLITE_OK) return status;
    }
    int status = sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    if (status != SQLITE_OK) return status;
    // Databases already attached stay; no new one can be.
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    return sqlite3_set_authorizer(db, authorize, NULL);
}

static int sluice_progress(void *flag) { return __atomic_load_n((int *)flag, __ATOMIC_RELAXED) != 0; }

void sluice_sqlite_stop_when(void *connection, int *flag) {
    sqlite3_progress_handler((sqlite3 *)connection, 1000, sluice_progress, flag);
}

void sluice_flag_raise(int *flag) { __atomic_store_n(flag, 1, __ATOMIC_RELAXED); }

int sluice_sqlite_bind_text(void *statement, int index, const void *bytes, int length) {
    int status = sqlite3_bind_text((sqlite3_stmt *)statement, index, (const char *)bytes, length, SQLITE_TRANSIENT);
    return status == SQLITE_OK ? 0 : status;
}

int sluice_sqlite_bind_int64(void *statement, int index, long long value) {
    int status = sqlite3_bind_int64((sqlite3_stmt *)statement, index, (sqlite3_int64)value);
    return status == SQLITE_OK ? 0 : status;
}

int sluice_sqlite_bind_double(void *statement, int index, double value) {
    int status = sqlite3_bind_double((sqlite3_stmt *)statement, index, value);
    return status == SQLITE_OK ? 0 : status;
}

int sluice_sqlite_insert(void *statement) {
    sqlite3_stmt *insert = (sqlite3_stmt *)statement;
    int status = sqlite3_step(insert);
    sqlite3_reset(insert);
    sqlite3_clear_bindings(insert);
    return status == SQLITE_DONE ? 0 : status;
}

const char *sluice_sqlite_message(void *statement) {
    return sqlite3_errmsg(sqlite3_db_handle((sqlite3_stmt *)statement));
}

int sluice_sqlite_next_row(void *statement) {
    int status = sqlite3_step((sqlite3_stmt *)statement);
    if (status == SQLITE_ROW) return 1;
    if (status == SQLITE_DONE) return 0;
    return -status;
}

int sluice_sqlite_column_type(void *statement, int index) {
    return sqlite3_column_type((sqlite3_stmt *)statement, index);
}

long long sluice_sqlite_column_int64(void *statement, int index) {
    return (long long)sqlite3_column_int64((sqlite3_stmt *)statement, index);
}

double sluice_sqlite_column_double(void *statement, int index) {
    return sqlite3_column_double((sqlite3_stmt *)statement, index);
}

const void *sluice_sqlite_column_text(void *statement, int index, int *length) {
    const unsigned char *text = sqlite3_column_text((sqlite3_stmt *)statement, index);
    *length = sqlite3_column_bytes((sqlite3_stmt *)statement, index);
    return text;
}
