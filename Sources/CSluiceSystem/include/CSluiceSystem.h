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
/// into two pipes whose read ends (close-on-exec) come back in `out_fd` and `err_fd`. One thread of this
/// process, made for it, spawns every child with vfork (no copy of this process's memory); with `as_uid` other
/// than -1 the child drops every supplementary group and becomes `as_uid`/`as_gid` before exec. The child gets
/// SIGKILL when this process dies (Linux). Returns 0 and the child's pid, or an errno value (exec failures
/// included).
int sluice_spawn(const char *path, char *const argv[], char *const envp[], const char *directory, int as_uid,
                 int as_gid, int *out_fd, int *err_fd, pid_t *pid);

/// A copy (to free) of the environment variable `name`, whose value is then overwritten with zero bytes
/// where it lies, so that /proc/PID/environ no longer shows it, and removed; NULL when unset.
char *sluice_take_environment_secret(const char *name);

/// Makes this process non-dumpable (Linux): other processes of the same user can no longer read its
/// memory, environment or working directory under /proc, nor attach a debugger. Returns 0 or an errno value.
int sluice_make_undumpable(void);

/// A descriptor that becomes readable when `pid` ends (Linux pidfd_open), or -1 where there is none.
int sluice_pidfd_open(pid_t pid);

#endif
