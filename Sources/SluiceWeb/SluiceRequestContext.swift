import Hummingbird
import NIOCore

/// The request context of the service's routes: Hummingbird's basics plus the address the connection came
/// from, which failed sign-ins are counted and limited by.
public struct SluiceRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's IP address as text (`127.0.0.1`, `::1`), or `local` for a connection without one.
    public var clientAddress: String { remoteAddress?.ipAddress ?? "local" }
}
