import Foundation

/// A piece of one attempt's output, as `sluice logs --follow` and `GET /runs/{id}/logs?follow=true` stream it.
public struct LogChunk: Sendable, Codable, Hashable {
    public var step: String
    public var attempt: Int
    /// `stdout` or `stderr`.
    public var stream: String
    public var text: String

    public init(step: String, attempt: Int, stream: String, text: String) {
        self.step = step
        self.attempt = attempt
        self.stream = stream
        self.text = text
    }
}

/// Attempt output as it is printed, for following a run's logs.
public struct LiveLogService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Where a run's attempts append their output as they print it (inside the store, so owner-only); nil
    /// when the store is not a folder on this machine.
    public func liveLogFolder(run id: String) -> URL? {
        guard files.kind(of: project.storeDirectory.path) == .directory else { return nil }
        return project.storeDirectory.appendingPathComponent("live", isDirectory: true).appendingPathComponent(id)
    }

    /// Hands `emit` each attempt's output of run `id` (or of its step `step`) as it appears: what finished
    /// attempts kept, then, while a step runs, the lines its attempt has printed so far. Returns when the run
    /// has ended and everything it kept was emitted. Reading needs the same grant as `attemptLogs`.
    public func followLogs(run id: String, step: String?, emit: (LogChunk) async throws -> Void) async throws {
        var sent: [Stream: Int] = [:]
        var finished = Set<Stream>()
        while true {
            let runs = RunService(context: context)
            let run = try await runs.runRecord(id, step: step)
            for stepRun in run.steps where step == nil || stepRun.step == step {
                try await authorize(
                    runs.logsPermission(of: run, step: stepRun.step), action: "logs", target: "\(id)/\(stepRun.step)")
                for attempt in stepRun.attempts {
                    for (name, object) in [("stdout", attempt.stdout), ("stderr", attempt.stderr)] {
                        let stream = Stream(step: stepRun.step, attempt: attempt.number, name: name)
                        guard let object, !finished.contains(stream) else { continue }
                        let kept = try await objects.read(object)
                        try await emitNew(kept.dropFirst(sent[stream] ?? 0), of: stream, whole: true, &sent, emit)
                        finished.insert(stream)
                    }
                }
                let number = stepRun.attempts.count + 1
                guard stepRun.status == .running, let folder = liveLogFolder(run: id) else { continue }
                for name in ["stdout", "stderr"] {
                    let stream = Stream(step: stepRun.step, attempt: number, name: name)
                    let file = folder.appendingPathComponent("\(stepRun.step).\(number).\(name)")
                    guard let fresh = files.contents(of: file, from: sent[stream] ?? 0) else { continue }
                    try await emitNew(fresh, of: stream, whole: false, &sent, emit)
                }
            }
            if run.status != .running { return }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// One output stream of one attempt.
    private struct Stream: Hashable {
        var step: String
        var attempt: Int
        var name: String
    }

    /// Emits `fresh` (the bytes of `stream` after those already sent): all of it when `whole`, else up to its
    /// last line break (a line printed in part, or a character cut in two, waits for the rest).
    private func emitNew(
        _ fresh: Data, of stream: Stream, whole: Bool, _ sent: inout [Stream: Int],
        _ emit: (LogChunk) async throws -> Void
    ) async throws {
        var end = fresh.endIndex
        if !whole {
            guard let newline = fresh.lastIndex(of: UInt8(ascii: "\n")) else { return }
            end = newline + 1
        }
        let piece = fresh[fresh.startIndex..<end]
        guard !piece.isEmpty else { return }
        sent[stream, default: 0] += piece.count
        try await emit(
            LogChunk(
                step: stream.step, attempt: stream.attempt, stream: stream.name,
                text: String(decoding: piece, as: UTF8.self)))
    }
}

/// What a running step has printed since a point, for pages that tail it.
public struct LiveTail: Sendable, Codable, Hashable {
    public var step: String
    /// The attempt printing now (nil once the step no longer runs).
    public var attempt: Int?
    public var stdout: String
    public var stderr: String
    /// Where the next call starts, per stream (bytes).
    public var stdoutEnd: Int
    public var stderrEnd: Int
    public var running: Bool
}

extension LiveLogService {
    /// The bytes step `step` of run `id` printed in its running attempt after `stdoutFrom` and `stderrFrom`, at
    /// most `limit` of each (cut after a line break when there is one). Reading needs the same grant as
    /// `attemptLogs`.
    public func liveTail(
        run id: String, step: String, stdoutFrom: Int, stderrFrom: Int, limit: Int = 256 * 1024
    ) async throws -> LiveTail {
        let runs = RunService(context: context)
        let run = try await runs.runRecord(id, step: step)
        try await authorize(runs.logsPermission(of: run, step: step), action: "logs", target: "\(id)/\(step)")
        guard let stepRun = run.step(step), stepRun.status == .running, let folder = liveLogFolder(run: id) else {
            return LiveTail(
                step: step, attempt: nil, stdout: "", stderr: "", stdoutEnd: stdoutFrom, stderrEnd: stderrFrom,
                running: false)
        }
        let number = stepRun.attempts.count + 1
        func read(_ name: String, from offset: Int) -> (String, Int) {
            let file = folder.appendingPathComponent("\(step).\(number).\(name)")
            guard var fresh = files.contents(of: file, from: max(0, offset)) else { return ("", offset) }
            if fresh.count > limit {
                fresh = fresh.prefix(limit)
                if let newline = fresh.lastIndex(of: UInt8(ascii: "\n")) { fresh = fresh[..<(newline + 1)] }
            }
            return (String(decoding: fresh, as: UTF8.self), max(0, offset) + fresh.count)
        }
        let (out, outEnd) = read("stdout", from: stdoutFrom)
        let (err, errEnd) = read("stderr", from: stderrFrom)
        return LiveTail(
            step: step, attempt: number, stdout: out, stderr: err, stdoutEnd: outEnd, stderrEnd: errEnd,
            running: true)
    }
}
