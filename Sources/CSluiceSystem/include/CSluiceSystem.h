#ifndef CSLUICE_SYSTEM_H
#define CSLUICE_SYSTEM_H

/// Flushes every dirty page of the file system holding `fd` to disk (Linux syncfs(2); fsync elsewhere).
int sluice_syncfs(int fd);

/// Starts writing a file's dirty pages to disk without waiting (Linux sync_file_range; a no-op elsewhere),
/// so a later flush has less left to wait for.
int sluice_start_writeback(int fd);

/// Hints that `address` will be read soon, so a hash-table probe overlaps the cache misses of its neighbours.
static inline void sluice_prefetch(const void *address) { __builtin_prefetch(address, 0, 1); }

#endif
