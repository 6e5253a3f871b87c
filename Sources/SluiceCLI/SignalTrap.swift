import Dispatch
import Foundation

/// SIGINT and SIGTERM as events instead of the default end of the process, for as long as the returned
/// sources are kept: long work (a pipeline run) then stops its children and records how it ended.
enum SignalTrap {
    static func install(_ handler: @escaping @Sendable (String) -> Void) -> [any DispatchSourceSignal] {
        [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(name) }
            source.resume()
            return source
        }
    }
}
