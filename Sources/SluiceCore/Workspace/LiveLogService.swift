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
        var sent: [String: Int] = [:]
        var finished = Set<String>()
        while true {
            let run = try await RunService(context: context).runRecord(id, step: step)
            for stepRun in run.steps where step == nil || stepRun.step == step {
                for attempt in stepRun.attempts {
                    for (stream, object) in [("stdout", attempt.stdout), ("stderr", attempt.stderr)] {
                        let key = "\(stepRun.step).\(attempt.number).\(stream)"
                        guard let object, !finished.contains(key) else { continue }
                        let data = try await objects.read(object)
                        try await emitNew(data, key: key, whole: true, &sent, emit)
                        finished.insert(key)
                    }
                }
                let number = stepRun.attempts.count + 1
                guard stepRun.status == .running, let folder = liveLogFolder(run: id) else { continue }
                for stream in ["stdout", "stderr"] {
                    let key = "\(stepRun.step).\(number).\(stream)"
                    let file = folder.appendingPathComponent("\(stepRun.step).\(number).\(stream)")
                    guard let data = files.contents(of: file, from: sent[key] ?? 0) else { continue }
                    try await emitNew(data, key: key, whole: false, &sent, emit, alreadyFrom: sent[key] ?? 0)
                }
            }
            if run.status != .running { return }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// Emits what of `data` was not sent yet under `key`: all of it when `whole`, else up to its last line
    /// break (a line printed in part, or a character cut in two, waits for the rest).
    private func emitNew(
        _ data: Data, key: String, whole: Bool, _ sent: inout [String: Int], _ emit: (LogChunk) async throws -> Void,
        alreadyFrom start: Int = 0
    ) async throws {
        let offset = (sent[key] ?? 0) - start
        guard offset >= 0, offset < data.count else { return }
        var end = data.endIndex
        if !whole {
            guard let newline = data[(data.startIndex + offset)...].lastIndex(of: UInt8(ascii: "\n")) else { return }
            end = newline + 1
        }
        let piece = data[(data.startIndex + offset)..<end]
        guard !piece.isEmpty else { return }
        let parts = key.split(separator: ".")
        sent[key] = (sent[key] ?? 0) + piece.count
        try await emit(
            LogChunk(
                step: parts.dropLast(2).joined(separator: "."), attempt: Int(parts[parts.count - 2]) ?? 0,
                stream: String(parts[parts.count - 1]), text: String(decoding: piece, as: UTF8.self)))
    }
}
