import AsyncAlgorithms
import Foundation
import OpenAPIRuntime

/// The lines a producer sends, as a response body with back pressure: the producer's `send` waits until the
/// client has taken the previous line. When the body is dropped (the client went away, or the response
/// ended), the producer's task is cancelled and its pending `send` returns, so nothing runs on for nobody.
struct FollowedLines: AsyncSequence, Sendable {
    typealias Element = ArraySlice<UInt8>
    typealias Lines = AsyncThrowingChannel<ArraySlice<UInt8>, any Error>

    private let lines: Lines
    private let lifetime: Lifetime

    /// Starts `produce` with a sink for its lines; the body ends when it returns, and fails when it throws.
    init(_ produce: @escaping @Sendable (_ send: @Sendable (Data) async -> Void) async throws -> Void) {
        let lines = Lines()
        let task = Task {
            do {
                try await produce { await lines.send(ArraySlice($0)) }
                lines.finish()
            } catch {
                lines.fail(error)
            }
        }
        self.lines = lines
        lifetime = Lifetime(task: task, lines: lines)
    }

    var body: HTTPBody { HTTPBody(self, length: .unknown, iterationBehavior: .single) }

    func makeAsyncIterator() -> Iterator { Iterator(base: lines.makeAsyncIterator(), lifetime: lifetime) }

    struct Iterator: AsyncIteratorProtocol {
        var base: Lines.AsyncIterator
        let lifetime: Lifetime

        mutating func next() async throws -> ArraySlice<UInt8>? { try await base.next() }
    }

    /// Ends the producer once neither the body nor an iterator holds it.
    final class Lifetime: Sendable {
        let task: Task<Void, Never>
        let lines: Lines

        init(task: Task<Void, Never>, lines: Lines) {
            self.task = task
            self.lines = lines
        }

        deinit {
            task.cancel()
            lines.finish()
        }
    }
}
