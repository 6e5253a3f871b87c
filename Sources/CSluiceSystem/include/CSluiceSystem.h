#ifndef CSLUICE_SYSTEM_H
#define CSLUICE_SYSTEM_H

/// Flushes every dirty page of the file system holding `fd` to disk (Linux syncfs(2); fsync elsewhere).
int sluice_syncfs(int fd);

#endif
