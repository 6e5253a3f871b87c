#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
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

/// The child side of a spawn: async-signal-safe calls only, raw system calls for the credentials (they change
/// this one task). With `uid` -1 the credentials stay. The child dies with its parent (PR_SET_PDEATHSIG, set
/// after the credentials change, which would clear it): the parent is the spawner thread, which lives as long
/// as the process, so a step never outlives a killed `sluice`. Reports the errno of whatever failed on
/// `report` and exits 127.
static void become_and_exec(const char *path, char *const argv[], char *const envp[], const char *directory,
                            int out, int err, int report, int uid, int gid, pid_t parent) {
    sigset_t none;
    sigemptyset(&none);
    for (int number = 1; number < NSIG; number++) signal(number, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int failure = 0;
    int input = open("/dev/null", O_RDONLY);
    if (setpgid(0, 0) != 0 || input < 0 || dup2(input, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) failure = errno;
    if (failure == 0 && directory != NULL && chdir(directory) != 0) failure = errno;
    if (uid >= 0) {
#if defined(__linux__)
        if (failure == 0 && syscall(SYS_setgroups, 0, NULL) != 0) failure = errno;
        if (failure == 0 && syscall(SYS_setresgid, (gid_t)gid, (gid_t)gid, (gid_t)gid) != 0) failure = errno;
        if (failure == 0 && syscall(SYS_setresuid, (uid_t)uid, (uid_t)uid, (uid_t)uid) != 0) failure = errno;
#else
        if (failure == 0 && (setgid((gid_t)gid) != 0 || setuid((uid_t)uid) != 0)) failure = errno;
#endif
    }
#if defined(__linux__)
    if (failure == 0 && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) failure = errno;
    if (failure == 0 && getppid() != parent) failure = ESRCH;  // the parent died before the line above
#else
    (void)parent;
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

/// vfork (the child borrows this process's memory until it execs: no copy of it), then set the child up and
/// exec; an exec failure comes back through a close-on-exec pipe.
static int spawn_child(const char *path, char *const argv[], char *const envp[], const char *directory, int out[2],
                       int err[2], int uid, int gid, pid_t *pid) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    pid_t parent = getpid();
    pid_t child = vfork();
    if (child < 0) {
        int saved = errno;
        close(report[0]);
        close(report[1]);
        return saved;
    }
    if (child == 0) become_and_exec(path, argv, envp, directory, out[1], err[1], report[1], uid, gid, parent);
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

/// One spawn asked of the spawner thread; the asker waits until `done`.
struct spawn_job {
    const char *path;
    char *const *argv;
    char *const *envp;
    const char *directory;
    int *out;
    int *err;
    int uid;
    int gid;
    pid_t *pid;
    int status;
    int done;
    struct spawn_job *next;
};

static pthread_mutex_t spawner_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t spawner_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t spawner_finished = PTHREAD_COND_INITIALIZER;
static struct spawn_job *spawner_head = NULL;
static struct spawn_job *spawner_tail = NULL;
static pthread_once_t spawner_once = PTHREAD_ONCE_INIT;
static int spawner_running = 0;

/// Every child is spawned by this one thread, which never ends: a child's parent-death signal (sent when the
/// thread that made it ends, not the process) then comes only when the whole process is gone.
static void *spawner_main(void *unused) {
    (void)unused;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&spawner_mutex);
    for (;;) {
        while (spawner_head == NULL) pthread_cond_wait(&spawner_wake, &spawner_mutex);
        struct spawn_job *job = spawner_head;
        spawner_head = job->next;
        if (spawner_head == NULL) spawner_tail = NULL;
        pthread_mutex_unlock(&spawner_mutex);
        job->status = spawn_child(job->path, job->argv, job->envp, job->directory, job->out, job->err, job->uid,
                                  job->gid, job->pid);
        pthread_mutex_lock(&spawner_mutex);
        job->done = 1;
        pthread_cond_broadcast(&spawner_finished);
    }
    return NULL;
}

static void start_spawner(void) {
    pthread_attr_t attributes;
    pthread_t thread;
    if (pthread_attr_init(&attributes) != 0) return;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    spawner_running = pthread_create(&thread, &attributes, spawner_main, NULL) == 0;
    pthread_attr_destroy(&attributes);
}

/// Hands the spawn to the spawner thread and waits for it (spawns in place if that thread could not start).
static int spawn_on_spawner(const char *path, char *const argv[], char *const envp[], const char *directory,
                            int out[2], int err[2], int uid, int gid, pid_t *pid) {
    pthread_once(&spawner_once, start_spawner);
    if (!spawner_running) return spawn_child(path, argv, envp, directory, out, err, uid, gid, pid);
    struct spawn_job job = {path, argv, envp, directory, out, err, uid, gid, pid, 0, 0, NULL};
    pthread_mutex_lock(&spawner_mutex);
    if (spawner_tail != NULL) {
        spawner_tail->next = &job;
    } else {
        spawner_head = &job;
    }
    spawner_tail = &job;
    pthread_cond_signal(&spawner_wake);
    while (!job.done) pthread_cond_wait(&spawner_finished, &spawner_mutex);
    pthread_mutex_unlock(&spawner_mutex);
    return job.status;
}

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
    int status = spawn_on_spawner(path, argv, envp, directory, out, err, as_uid, as_gid, pid);
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

int sluice_pidfd_open(pid_t pid) {
#if defined(__linux__) && defined(SYS_pidfd_open)
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}
