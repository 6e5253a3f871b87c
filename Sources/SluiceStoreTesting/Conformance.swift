import Foundation

/// A requirement of a store port that a backend does not meet: which check found it, and where.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public var message: String
    public var file: String
    public var line: Int

    public var description: String { "\(file):\(line): \(message)" }
}

/// One check of the store conformance suites, run against a store a backend's tests make. The checks throw
/// `ConformanceFailure` rather than record issues of a test framework, so that any test runner can call them.
public struct ConformanceCheck<Store: Sendable>: Sendable, CustomStringConvertible {
    public let name: String
    let body: @Sendable (Store) async throws -> Void

    public init(_ name: String, _ body: @escaping @Sendable (Store) async throws -> Void) {
        self.name = name
        self.body = body
    }

    public var description: String { name }

    public func run(on store: Store) async throws { try await body(store) }
}

/// Fails the check unless `condition` holds.
func expect(
    _ condition: Bool, _ message: @autoclosure () -> String = "", file: String = #fileID, line: Int = #line
) throws {
    guard condition else {
        throw ConformanceFailure(message: "expectation failed. \(message())", file: file, line: line)
    }
}

/// The value, or a failure of the check when there is none.
func require<T>(
    _ value: T?, _ message: @autoclosure () -> String = "", file: String = #fileID, line: Int = #line
)
    throws -> T
{
    guard let value else { throw ConformanceFailure(message: "required a value. \(message())", file: file, line: line) }
    return value
}

/// Fails the check unless `body` throws an error of type `E`.
@discardableResult
func expectThrows<E: Error>(
    _ type: E.Type, file: String = #fileID, line: Int = #line, _ body: () async throws -> Void
) async throws -> E {
    do {
        try await body()
    } catch let error as E {
        return error
    } catch {
        throw ConformanceFailure(message: "expected \(E.self), got \(error)", file: file, line: line)
    }
    throw ConformanceFailure(message: "expected \(E.self) to be thrown; nothing was", file: file, line: line)
}

/// A folder removed when released.
public final class ScratchFolder: Sendable {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
