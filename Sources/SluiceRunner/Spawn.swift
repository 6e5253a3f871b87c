import CSluiceSystem
import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct SpawnError: Error {
    let message: String
}

/// Starting child processes and collecting what they print.
enum Spawn {
    struct Started {
        let pid: pid_t
        let stdout: Int32
        let stderr: Int32
    }

    struct Finished: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    /// Starts `program` in its own process group with its output going to pipes.
    static func start(
        _ program: String, arguments: [String], environment: [String: String], directory: String,
        user: StepUser? = nil
    ) throws -> Started {
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        var out: Int32 = -1
        var err: Int32 = -1
        let status = sluice_spawn(
            program, &argv, &envp, directory, user.map { Int32(bitPattern: $0.uid) } ?? -1,
            user.map { Int32(bitPattern: $0.gid) } ?? -1, &out, &err, &pid)
        guard status == 0 else {
            throw SpawnError(message: status == ENOENT ? "no such program" : String(cString: strerror(status)))
        }
        return Started(pid: pid, stdout: out, stderr: err)
    }

    /// A thread per running step (a concurrent queue would add threads about one a core, holding parallel
    /// steps back); kept apart from `Blocking`'s, since a step may hold its thread for hours.
    private static let waiters = Blocking.ThreadPool(limit: 4096)

    /// Reads both pipes and reaps the process, on a thread of its own so no task thread blocks. When the
    /// process ends, whatever it left running in its group is killed, so a background child holding a
    /// pipe cannot keep the step open. Each stream keeps its first `limit` bytes; with `live`, they are also
    /// appended as they come to `LIVE.stdout` and `LIVE.stderr` (owner-only), for whoever follows the logs.
    static func finish(_ started: Started, limit: Int, live: URL? = nil) async -> Finished {
        await withCheckedContinuation { continuation in
            // A pooled thread (blocking there is fine: one per running step), reused from step to step.
            waiters.submit { continuation.resume(returning: collect(started, limit: limit, live: live)) }
        }
    }

    private static func collect(_ started: Started, limit: Int, live: URL?) -> Finished {
        var result = Finished(status: 0, stdout: Data(), stderr: Data())
        var liveFiles: [Int32] = [-1, -1]
        defer { for fd in liveFiles where fd >= 0 { close(fd) } }
        func copyLive(_ stream: Int, _ bytes: UnsafeRawBufferPointer) {
            guard let live, !bytes.isEmpty else { return }
            if liveFiles[stream] < 0 {
                liveFiles[stream] = open(
                    live.path + (stream == 0 ? ".stdout" : ".stderr"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            }
            // Best effort: following the logs is a view; the attempt's log is what it keeps in memory.
            if liveFiles[stream] >= 0 { _ = write(liveFiles[stream], bytes.baseAddress, bytes.count) }
        }
        var dropped = [0, 0]
        let pidfd = sluice_pidfd_open(started.pid)
        var fds = [
            pollfd(fd: started.stdout, events: Int16(POLLIN), revents: 0),
            pollfd(fd: started.stderr, events: Int16(POLLIN), revents: 0),
            pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0),
        ]
        var exited = false
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 8)
        defer { buffer.deallocate() }
        func reap() {
            while waitpid(started.pid, &result.status, 0) < 0 && errno == EINTR {}
            exited = true
            fds[2].fd = -1
            _ = kill(-started.pid, SIGKILL)
        }
        while fds[0].fd >= 0 || fds[1].fd >= 0 {
            // Without a pidfd, look for the exit every 50 ms.
            let ready = poll(&fds, nfds_t(fds.count), !exited && pidfd < 0 ? 50 : -1)
            if ready < 0 && errno != EINTR { break }
            for stream in 0..<2 where fds[stream].fd >= 0 && fds[stream].revents != 0 {
                let count = read(fds[stream].fd, buffer.baseAddress, buffer.count)
                if count > 0 {
                    var room = limit - (stream == 0 ? result.stdout.count : result.stderr.count)
                    room = max(0, min(room, count))
                    let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<room])
                    copyLive(stream, bytes)
                    if stream == 0 {
                        result.stdout.append(contentsOf: bytes)
                    } else {
                        result.stderr.append(contentsOf: bytes)
                    }
                    dropped[stream] += count - room
                } else if count == 0 || errno != EINTR {
                    close(fds[stream].fd)
                    fds[stream].fd = -1
                }
            }
            if !exited && (fds[2].fd >= 0 && fds[2].revents != 0 || pidfd < 0 && hasExited(started.pid, &result.status))
            {
                if pidfd >= 0 { reap() } else { exited = true; _ = kill(-started.pid, SIGKILL) }
            }
        }
        if !exited { reap() }
        if pidfd >= 0 { close(pidfd) }
        if dropped[0] > 0 { result.stdout.append(Data("\n[sluice: \(dropped[0]) more bytes not kept]\n".utf8)) }
        if dropped[1] > 0 { result.stderr.append(Data("\n[sluice: \(dropped[1]) more bytes not kept]\n".utf8)) }
        return result
    }

    private static func hasExited(_ pid: pid_t, _ status: inout Int32) -> Bool {
        waitpid(pid, &status, WNOHANG) == pid
    }

    static func exited(_ status: Int32) -> Bool { status & 0x7F == 0 }
    static func exitCode(_ status: Int32) -> Int32 { (status >> 8) & 0xFF }
    static func signal(_ status: Int32) -> Int32 { status & 0x7F }
}
