import Logging
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow to be a client: the head of a request must arrive whole within
/// `headerTimeout` of the connection opening (or of the previous response ending), and a body may not stall
/// for longer than `bodyStallTimeout` between two chunks. Hummingbird's idle timeout closes connections that
/// say nothing at all; this closes those that say a byte now and then (slowloris). While a request is being
/// answered no timer runs, so long responses (a followed log) are never cut.
final class RequestTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headerTimeout: TimeAmount
    let bodyStallTimeout: TimeAmount
    let logger: Logger
    private var timer: Scheduled<Void>?

    init(headerTimeout: TimeAmount, bodyStallTimeout: TimeAmount, logger: Logger) {
        self.headerTimeout = headerTimeout
        self.bodyStallTimeout = bodyStallTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, after: headerTimeout, waitingFor: "a request's head") }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, after: headerTimeout, waitingFor: "a request's head")
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head, .body: arm(context, after: bodyStallTimeout, waitingFor: "the rest of a request's body")
        case .end: disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { arm(context, after: headerTimeout, waitingFor: "a request's head") }
        context.write(data, promise: promise)
    }

    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount, waitingFor what: String) {
        disarm()
        let logger = self.logger
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            let context = loopBound.value
            logger.info(
                "closed a connection that sent nothing usable for \(delay.nanoseconds / 1_000_000_000) s while the service waited for \(what)",
                metadata: [
                    "event.action": "connection.timeout",
                    "client.address": "\(context.remoteAddress?.ipAddress ?? "local")",
                ])
            context.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
