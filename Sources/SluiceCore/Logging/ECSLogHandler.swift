import Foundation
import Logging

/// Writes each log record as one line of Elastic Common Schema JSON, for the ELK stack: `@timestamp`,
/// `log.level`, `message` and `ecs.version` first (as ecs-logging requires), then `service.name`,
/// `log.logger`, the `event.*`, `error.*`, `user.*`, `url.*`, `http.*` and `trace.id` fields taken from the
/// metadata (and from the metadata provider: a run's trace id), and every other metadata value under `labels`.
public struct ECSLogHandler: LogHandler {
    public static let ecsVersion = "8.11.0"
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    /// Metadata of the task writing the line (the trace id of a run going on).
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    private let service: String
    private let write: @Sendable (String) -> Void

    public init(
        label: String, service: String = "sluice", metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data(line.utf8)) }
    ) {
        self.metadataProvider = metadataProvider
        self.label = label
        self.service = service
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        write(
            Self.line(level: event.level, message: "\(event.message)", metadata: merged, label: label, service: service)
        )
    }

    /// One ECS JSON line (with its line break).
    public static func line(
        level: Logger.Level, message: String, metadata: Logger.Metadata, label: String, service: String,
        time: Date = Date()
    ) -> String {
        var fields: [(String, String)] = [
            ("@timestamp", quoted(Timestamp(time).iso8601)), ("log.level", quoted(level.rawValue)),
            ("message", quoted(message)), ("ecs.version", quoted(ecsVersion)), ("service.name", quoted(service)),
            ("log.logger", quoted(label)),
        ]
        var labels: [(String, String)] = []
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            if Self.fieldPrefixes.contains(where: key.hasPrefix) || key == "trace.id" || key == "transaction.id"
                || key == "span.id"
            {
                fields.append((key, quoted("\(value)")))
            } else {
                // ECS labels are flat keyword values; dots in their names are not allowed.
                labels.append((key.replacingOccurrences(of: ".", with: "_"), quoted("\(value)")))
            }
        }
        var text = "{" + fields.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",")
        if !labels.isEmpty {
            text += ",\"labels\":{" + labels.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        }
        return text + "}\n"
    }

    /// Metadata written as ECS fields of their own rather than under `labels`.
    static let fieldPrefixes = ["event.", "error.", "user.", "url.", "http."]

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                result += String(format: "\\u%04x", control.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
