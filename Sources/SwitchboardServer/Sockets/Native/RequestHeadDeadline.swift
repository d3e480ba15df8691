import NIOCore

/// Closes a connection that has not sent a whole request head within `timeout`, and one still
/// waiting for its first request when the server begins to shut down.
///
/// Until a connection's first request head is read it is neither HTTP (whose handler closes idle
/// connections) nor a WebSocket (which pings): NIO's upgrade handler alone holds it, and it has no
/// timer. A client that connects and sends nothing, or a byte a minute, held its socket for ever,
/// and the server's graceful shutdown waited for ever on it (it waits for every connection to
/// close). It sits first in the pipeline (after TLS, whose handshake counts towards the
/// deadline); ``SwitchboardHTTPChannel`` removes it once the head is read, whichever way the
/// connection goes on.
final class RequestHeadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private var timer: Scheduled<Void>?

    /// `timeout` (`--request-head-timeout`, 30 s) counts from connecting, as nginx's
    /// `client_header_timeout` (60 s there); browsers send their heads at once.
    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            channel.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Nothing was asked yet, so nothing is cut short: close now rather than hold the shutdown.
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
