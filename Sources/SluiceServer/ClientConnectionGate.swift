import Foundation
import Logging
import NIOCore

/// Open connections by client address, shared by every connection's `ClientConnectionGate`.
final class ConnectionsByClient: @unchecked Sendable {
    let maximum: Int
    private let lock = NSLock()
    private var open: [String: Int] = [:]  // guarded by lock

    init(maximum: Int) { self.maximum = maximum }

    /// Counts a new connection of `client`; false (and not counted) when the client already holds its maximum.
    func admit(_ client: String) -> Bool {
        lock.withLock {
            let count = open[client] ?? 0
            guard count < maximum else { return false }
            open[client] = count + 1
            return true
        }
    }

    func release(_ client: String) {
        lock.withLock {
            let left = (open[client] ?? 0) - 1
            open[client] = left > 0 ? left : nil
        }
    }
}

/// Closes a new connection at once when its client address already holds `maximum` connections, so that one
/// client's slow or idle connections cannot take every slot of the service while others wait to connect.
final class ClientConnectionGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let connections: ConnectionsByClient
    let logger: Logger
    private var client: String?

    init(connections: ConnectionsByClient, logger: Logger) {
        self.connections = connections
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        admit(context)
    }

    func channelActive(context: ChannelHandlerContext) {
        if client == nil { admit(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let client { connections.release(client) }
        client = nil
        context.fireChannelInactive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        let address = context.remoteAddress?.ipAddress ?? "local"
        guard connections.admit(address) else {
            logger.notice(
                "closed a connection from \(address): it already holds \(connections.maximum) connections",
                metadata: ["event.action": "connection.refused", "client.address": "\(address)"])
            context.close(promise: nil)
            return
        }
        client = address
    }
}
