import Foundation

/// How to run a pipeline.
public struct RunOptions: Sendable {
    public var environment: String
    /// Only these steps (their other inputs come from the environment); empty for all.
    public var select: [String]
    /// A failed run to finish: its steps that succeeded with the same cache key are not run again.
    public var resume: String?
    public var maxParallel: Int
    public var useCache: Bool
    /// The run's id when the caller must know it before the run starts.
    public var runID: String?
    /// Set by the service for its own runs: they can be cancelled on their own, never by a signal to its process.
    public var inService: Bool = false

    public init(
        environment: String, select: [String] = [], resume: String? = nil,
        maxParallel: Int = ProcessInfo.processInfo.activeProcessorCount, useCache: Bool = true
    ) {
        self.environment = environment
        self.select = select
        self.resume = resume
        self.maxParallel = max(1, maxParallel)
        self.useCache = useCache
    }
}

extension RunRecord {
    /// Sortable by time and unique: `r` + UTC time + 6 random hex digits.
    public static func newID(now: Timestamp) -> String {
        // `YYYY-MM-DDTHH:MM:SS` → `YYYYMMDD-HHMMSS`, without a formatter per run.
        let digits = now.iso8601.prefix(19).filter(\.isWholeNumber)
        let suffix = String(UInt32.random(in: 0x10_0000...0xFF_FFFF), radix: 16)
        return "r\(digits.prefix(8))-\(digits.dropFirst(8))-\(suffix)"
    }

    /// 32 hex digits, as trace ids are written in W3C trace context and ECS.
    public static func newTraceID() -> String {
        (0..<2).map { _ in
            let value = UInt64.random(in: 1...UInt64.max)
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
