#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#include "CSluiceSystem.h"

char *sluice_take_environment_secret(const char *name) {
    char *value = getenv(name);
    if (value == NULL) return NULL;
    char *copy = strdup(value);
    // The bytes stay where the kernel put them (what /proc/PID/environ shows) unless overwritten.
    memset(value, 0, strlen(value));
    unsetenv(name);
    return copy;
}

int sluice_make_undumpable(void) {
#if defined(__linux__)
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : errno;
#else
    return 0;
#endif
}

int sluice_syncfs(int fd) {
#if defined(__linux__)
    return syncfs(fd);
#else
    return fsync(fd);
#endif
}

int sluice_start_writeback(int fd) {
#if defined(__linux__)
    return sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
    return 0;
#endif
}

/// The child side of a spawn as another user: async-signal-safe calls only, raw system calls for the
/// credentials (they change this one thread, which after fork is the whole process). Reports the errno of
/// whatever failed on `report` and exits 127.
static void become_and_exec(const char *path, char *const argv[], char *const envp[], const char *directory,
                            int out, int err, int report, uid_t uid, gid_t gid) {
    sigset_t none;
    sigemptyset(&none);
    for (int number = 1; number < NSIG; number++) signal(number, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int failure = 0;
    int input = open("/dev/null", O_RDONLY);
    if (setpgid(0, 0) != 0 || input < 0 || dup2(input, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) failure = errno;
    if (failure == 0 && directory != NULL && chdir(directory) != 0) failure = errno;
#if defined(__linux__)
    if (failure == 0 && syscall(SYS_setgroups, 0, NULL) != 0) failure = errno;
    if (failure == 0 && syscall(SYS_setresgid, gid, gid, gid) != 0) failure = errno;
    if (failure == 0 && syscall(SYS_setresuid, uid, uid, uid) != 0) failure = errno;
#else
    if (failure == 0 && (setgid(gid) != 0 || setuid(uid) != 0)) failure = errno;
#endif
    if (failure == 0) {
        if (strchr(path, '/') != NULL) {
            execve(path, argv, envp);
        } else {
            execvpe(path, argv, envp);
        }
        failure = errno;
    }
    (void)!write(report, &failure, sizeof failure);
    _exit(127);
}

/// fork, then become `uid`/`gid` and exec; an exec failure comes back through a close-on-exec pipe.
static int spawn_as(const char *path, char *const argv[], char *const envp[], const char *directory, int out[2],
                    int err[2], uid_t uid, gid_t gid, pid_t *pid) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    pid_t child = fork();
    if (child < 0) {
        int saved = errno;
        close(report[0]);
        close(report[1]);
        return saved;
    }
    if (child == 0) become_and_exec(path, argv, envp, directory, out[1], err[1], report[1], uid, gid);
    close(report[1]);
    int failure = 0;
    ssize_t count;
    do {
        count = read(report[0], &failure, sizeof failure);
    } while (count < 0 && errno == EINTR);
    close(report[0]);
    if (count == (ssize_t)sizeof failure && failure != 0) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        return failure;
    }
    *pid = child;
    return 0;
}

static int spawn_here(const char *path, char *const argv[], char *const envp[], const char *directory, int out[2],
                      int err[2], pid_t *pid);

int sluice_spawn(const char *path, char *const argv[], char *const envp[], const char *directory, int as_uid,
                 int as_gid, int *out_fd, int *err_fd, pid_t *pid) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return errno;
    if (pipe2(err, O_CLOEXEC) != 0) {
        int saved = errno;
        close(out[0]);
        close(out[1]);
        return saved;
    }
    int status = as_uid >= 0
                     ? spawn_as(path, argv, envp, directory, out, err, (uid_t)as_uid, (gid_t)as_gid, pid)
                     : spawn_here(path, argv, envp, directory, out, err, pid);
    // The child holds its own copies of the write ends; ours close, and the read ends go to the caller.
    close(out[1]);
    close(err[1]);
    if (status != 0) {
        close(out[0]);
        close(err[0]);
        return status;
    }
    *out_fd = out[0];
    *err_fd = err[0];
    return 0;
}

/// posix_spawn into a process group of its own, with default signal handling and the pipes as output.
static int spawn_here(const char *path, char *const argv[], char *const envp[], const char *directory, int out[2],
                      int err[2], pid_t *pid) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int status = posix_spawnattr_init(&attributes);
    if (status == 0) status = posix_spawn_file_actions_init(&actions);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (status == 0) status = posix_spawnattr_setflags(&attributes, flags);
    if (status == 0) status = posix_spawnattr_setpgroup(&attributes, 0);
    if (status == 0) status = posix_spawnattr_setsigmask(&attributes, &none);
    if (status == 0) status = posix_spawnattr_setsigdefault(&attributes, &all);
    if (status == 0) status = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    // dup2 clears close-on-exec on the child's copies; the originals close at exec.
    if (status == 0) status = posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    if (status == 0) status = posix_spawn_file_actions_adddup2(&actions, err[1], 2);
#if defined(__linux__)
    if (status == 0 && directory != NULL) status = posix_spawn_file_actions_addchdir_np(&actions, directory);
#endif
    if (status == 0) {
        status = strchr(path, '/') != NULL ? posix_spawn(pid, path, &actions, &attributes, argv, envp)
                                           : posix_spawnp(pid, path, &actions, &attributes, argv, envp);
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return status;
}

int sluice_pidfd_open(pid_t pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}
