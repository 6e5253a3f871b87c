import Foundation
import OpenAPIRuntime
import SluiceCore

/// What a producer writes, spooled to a private file first (so that an error comes before any byte and memory
/// stays bounded), then served as a body of known length that removes the file once read or dropped.
enum SpooledDownload {
    static func body(_ produce: ((Data) throws -> Void) async throws -> Void) async throws -> HTTPBody {
        let file = try PrivateFile()
        do {
            let handle = try FileHandle(forWritingTo: file.url)
            defer { try? handle.close() }
            try await produce { try handle.write(contentsOf: $0) }
        } catch {
            file.remove()
            throw error
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? 0
        return HTTPBody(FileBytes(file: file), length: .known(Int64(size)), iterationBehavior: .single)
    }

    /// The file's bytes a mebibyte at a time; the file goes when the reading ends or the body is dropped.
    struct FileBytes: AsyncSequence, Sendable {
        typealias Element = ArraySlice<UInt8>
        let file: PrivateFile

        func makeAsyncIterator() -> Iterator { Iterator(owner: Owner(file: file)) }

        struct Iterator: AsyncIteratorProtocol {
            let owner: Owner

            mutating func next() async throws -> ArraySlice<UInt8>? {
                guard let data = try owner.handle()?.read(upToCount: 1 << 20), !data.isEmpty else {
                    owner.close()
                    return nil
                }
                return ArraySlice(data)
            }
        }

        /// Owns the file and its reader; the lock keeps `close` from the reading task and `deinit` apart.
        final class Owner: @unchecked Sendable {
            let file: PrivateFile
            private let lock = NSLock()
            private var reader: FileHandle?  // guarded by lock
            private var closed = false  // guarded by lock

            init(file: PrivateFile) { self.file = file }

            func handle() throws -> FileHandle? {
                try lock.withLock {
                    if closed { return nil }
                    if reader == nil { reader = try FileHandle(forReadingFrom: file.url) }
                    return reader
                }
            }

            func close() {
                lock.withLock {
                    guard !closed else { return }
                    closed = true
                    try? reader?.close()
                    file.remove()
                }
            }

            deinit { close() }
        }
    }
}
