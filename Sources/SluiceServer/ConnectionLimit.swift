import HummingbirdCore
import Logging

/// At most `maximum` connections at once; past it the service stops accepting until one closes, and says so
/// once in its log (and again when it accepts again).
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    var open = 0

    mutating func connectionOpened() {
        open += 1
        if open == maximum {
            logger.warning(
                "the service holds its limit of \(maximum) connections; new connections wait until one closes",
                metadata: ["event.action": "connection.limit"])
        }
    }

    mutating func connectionClosed() {
        if open == maximum { logger.info("connections below the limit of \(maximum) again; accepting") }
        open -= 1
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }
}
