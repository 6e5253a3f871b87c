#ifndef CSLUICE_SYSTEM_H
#define CSLUICE_SYSTEM_H

/// Flushes every dirty page of the file system holding `fd` to disk (Linux syncfs(2); fsync elsewhere).
int sluice_syncfs(int fd);

/// Starts writing a file's dirty pages to disk without waiting (Linux sync_file_range; a no-op elsewhere),
/// so a later flush has less left to wait for.
int sluice_start_writeback(int fd);

/// Hints that `address` will be read soon, so a hash-table probe overlaps the cache misses of its neighbours.
static inline void sluice_prefetch(const void *address) { __builtin_prefetch(address, 0, 1); }

#include <sys/types.h>

/// Starts `path` (an absolute path, or a name looked up on PATH) with `argv` and `envp` in its own
/// process group, in `directory`, with standard input from /dev/null and standard output and error
/// into two pipes whose read ends (close-on-exec) come back in `out_fd` and `err_fd`. posix_spawn: no
/// copy of this process's memory. Returns 0 and the child's pid, or an errno value (exec failures included).
int sluice_spawn(const char *path, char *const argv[], char *const envp[], const char *directory,
                 int *out_fd, int *err_fd, pid_t *pid);

/// A descriptor that becomes readable when `pid` ends (Linux pidfd_open), or -1 where there is none.
int sluice_pidfd_open(pid_t pid);

#endif
