import HummingbirdWebSocket
import NIOCore
import NIOWebSocket

/// What owns a ``NativeWebSocket``'s messages. Every call comes on the channel's event loop.
protocol NativeWebSocketDelegate: AnyObject {
    /// The handler is in the pipeline and the socket open.
    func opened(_ socket: NativeWebSocket)
    /// One whole message, its fragments joined.
    func received(_ message: WebSocketMessage, on socket: NativeWebSocket)
    /// The socket's send buffer, full before, takes writes again.
    func becameWritable(_ socket: NativeWebSocket)
    /// The connection is gone (whoever closed it); called once, last.
    func closed(_ socket: NativeWebSocket)
}

/// A server WebSocket served by a channel handler rather than by tasks: RFC 6455's message layer
/// over NIO's frame codec, as hummingbird-websocket's handler provides it to a task.
///
/// - Fragments are joined into messages of at most `maximumMessageSize` bytes (1009 beyond).
/// - Pings are answered; the server pings every `pingInterval` and closes a connection that did
///   not answer the previous one (1001, "ping timeout"), as hummingbird-websocket's auto-ping does.
/// - Closing is the close handshake: a close frame, then the channel is closed when the client
///   answers, or after `closeTimeout`. A client's close is answered with its own code.
/// - Reading can be paused (``pauseReading()``), which stops reading the socket: TCP then holds the
///   client back, as a task that stops iterating its inbound stream would.
///
/// Event-loop bound: every method must be called on the channel's event loop.
final class NativeWebSocket: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    struct Configuration: Sendable {
        var maximumMessageSize: Int
        var pingInterval: TimeAmount = .seconds(30)
        var closeTimeout: TimeAmount = .seconds(15)
    }

    private let configuration: Configuration
    private var delegate: (any NativeWebSocketDelegate)?
    private var context: ChannelHandlerContext?

    /// A message being received in fragments: its opcode and the bytes so far.
    private var fragments: (opcode: WebSocketOpcode, data: ByteBuffer)?
    private var readingPaused = false
    /// A read NIO asked for while reading was paused, issued when it resumes.
    private var readWithheld = false
    private var pinger: Scheduled<Void>?
    private var awaitingPong = false
    private var closeSent = false
    private var closeTimer: Scheduled<Void>?
    private var isClosed = false

    init(configuration: Configuration, delegate: any NativeWebSocketDelegate) {
        self.configuration = configuration
        self.delegate = delegate
    }

    /// The channel's event loop (for the delegate's timers and hops back from tasks).
    var eventLoop: any EventLoop { context!.eventLoop }

    /// Whether the socket takes more writes without them piling up in its send buffer.
    var isWritable: Bool { context?.channel.isWritable ?? false }

    /// Whether a close frame went out (nothing more is sent after it), or the channel is gone.
    var isClosing: Bool { closeSent || isClosed }

    // MARK: The pipeline

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        schedulePing()
        delegate?.opened(self)
        // The upgrade ran on an active channel: NIO will not tell this handler it became active.
        if !context.channel.isActive { finish() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Hummingbird's server allows half-closed connections, so a client's FIN arrives as this
        // event and the channel stays open: a WebSocket without its input is over.
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        } else if event is ChannelShouldQuiesceEvent {
            // The HTTP server is shutting down (before routing stops, so the owner's last work,
            // an agent's disconnect, still goes through): the close handshake, as
            // hummingbird-websocket's handler does on graceful shutdown.
            close(.goingAway, reason: "the server is stopping; reconnect")
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // NIO's protocol error handler, before this one, has already sent the close frame for a
        // malformed or oversized frame; whatever the error, the connection is done.
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { delegate?.becameWritable(self) }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readWithheld = true
        } else {
            context.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        // No extension is negotiated, so no reserved bit may be set (RFC 6455 § 5.2).
        guard frame.rsv1 == false, frame.rsv2 == false, frame.rsv3 == false else {
            return fail(.protocolError, "reserved bits set without an extension")
        }
        switch frame.opcode {
        case .text, .binary:
            guard fragments == nil else { return fail(.protocolError, "a new message began before the last one ended") }
            guard frame.length <= configuration.maximumMessageSize else {
                return fail(.messageTooLarge, "messages are at most \(configuration.maximumMessageSize) bytes")
            }
            if frame.fin {
                deliver(frame.opcode, frame.unmaskedData)
            } else {
                fragments = (frame.opcode, frame.unmaskedData)
            }
        case .continuation:
            guard case (let opcode, var data)? = fragments else { return fail(.protocolError, "a continuation frame without a message") }
            var more = frame.unmaskedData
            guard data.readableBytes + more.readableBytes <= configuration.maximumMessageSize else {
                fragments = nil
                return fail(.messageTooLarge, "messages are at most \(configuration.maximumMessageSize) bytes")
            }
            fragments = nil
            data.writeBuffer(&more)
            if frame.fin {
                deliver(opcode, data)
            } else {
                fragments = (opcode, data)
            }
        case .ping:
            guard frame.fin else { return fail(.protocolError, "a fragmented ping") }
            if !closeSent { send(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData), flush: true) }
        case .pong:
            awaitingPong = false
        case .connectionClose:
            if closeSent {
                context.close(promise: nil)
            } else {
                // Answered with the client's own code, as RFC 6455 § 5.5.1 asks, when it is one a
                // close frame may carry (§ 7.4); a malformed close is a protocol error. Then closed.
                var data = frame.unmaskedData
                let code: WebSocketErrorCode
                switch data.readableBytes {
                case 0: code = .normalClosure
                case 1: code = .protocolError
                default: code = data.readWebSocketErrorCode().flatMap(Self.answerable) ?? .protocolError
                }
                closeSent = true
                var reply = context.channel.allocator.buffer(capacity: 2)
                reply.write(webSocketErrorCode: code)
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: reply)))
                    .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        default:
            fail(.protocolError, "an unknown opcode")
        }
    }

    /// A close code a peer may send, or nil (RFC 6455 § 7.4: 1004-1006 and 1015 are never sent,
    /// codes below 1000 and 1016-2999 are not defined, 3000-4999 are for applications).
    private static func answerable(_ code: WebSocketErrorCode) -> WebSocketErrorCode? {
        let value = UInt16(webSocketErrorCode: code)
        switch value {
        case 1000...1003, 1007...1014, 3000...4999: return code
        default: return nil
        }
    }

    private func deliver(_ opcode: WebSocketOpcode, _ data: ByteBuffer) {
        guard !isClosing, let delegate else { return }
        let message: WebSocketMessage = opcode == .text ? .text(String(buffer: data)) : .binary(data)
        delegate.received(message, on: self)
    }

    // MARK: For the delegate

    /// Queues a text message; `flush` sends what is queued.
    func send(text: String, flush: Bool) {
        guard let context, !closeSent else { return }
        let buffer = context.channel.allocator.buffer(string: text)
        send(WebSocketFrame(fin: true, opcode: .text, data: buffer), flush: flush)
    }

    func flush() {
        context?.flush()
    }

    /// Starts the close handshake.
    func close(_ code: WebSocketErrorCode, reason: String) {
        guard let context, !closeSent else { return }
        closeSent = true
        var data = context.channel.allocator.buffer(capacity: 2 + reason.utf8.count)
        data.write(webSocketErrorCode: code)
        // A control frame carries at most 125 bytes.
        data.writeString(String(decoding: reason.utf8.prefix(123), as: UTF8.self))
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)), promise: nil)
        closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.closeTimeout) { [weak self] in
            self?.context?.close(promise: nil)
        }
        // The client's answer must be read, however many frames its owner had left waiting.
        resumeReading()
    }

    /// Stops reading the socket until ``resumeReading()``.
    func pauseReading() {
        readingPaused = true
    }

    func resumeReading() {
        guard readingPaused else { return }
        readingPaused = false
        if readWithheld, let context {
            readWithheld = false
            context.read()
        }
    }

    // MARK: Inside

    private func send(_ frame: WebSocketFrame, flush: Bool) {
        guard let context else { return }
        if flush {
            context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
        } else {
            context.write(wrapOutboundOut(frame), promise: nil)
        }
    }

    private func schedulePing() {
        pinger = context?.eventLoop.assumeIsolated().scheduleTask(in: configuration.pingInterval) { [weak self] in
            self?.ping()
        }
    }

    private func ping() {
        guard !isClosing, let context else { return }
        schedulePing()
        if awaitingPong {
            close(.goingAway, reason: "ping timeout")
            return
        }
        awaitingPong = true
        send(WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(string: "ping")), flush: true)
    }

    /// A protocol violation: close with `code`, and read nothing more.
    private func fail(_ code: WebSocketErrorCode, _ reason: String) {
        fragments = nil
        close(code, reason: reason)
    }

    /// Once, when the connection is gone: timers stopped, the delegate told and let go.
    private func finish() {
        guard !isClosed else { return }
        isClosed = true
        pinger?.cancel()
        pinger = nil
        closeTimer?.cancel()
        closeTimer = nil
        fragments = nil
        let delegate = self.delegate
        self.delegate = nil
        delegate?.closed(self)
    }
}
