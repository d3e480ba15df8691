import Foundation
import NIOCore
import NIOPosix
import SwitchboardProtocol

/// One customer as `SimulatedCustomer`, written on NIO channel handlers instead of a WebSocket
/// client library: it connects, sends the upgrade request, its `start` once the 101 arrives, and
/// reads the server's frames until `ended` (or `serverBusy`), answering pings and the close.
///
/// Why: at thousands of customers a second the library's connection (an HTTP client pipeline,
/// an async channel and a task per side, a ping task) cost the load generator more CPU than the
/// server spent on the same customer, so the generator, not the server, set the pace of an
/// overload run (docs/benchmarks.md, "Overload"). Here a customer is one handler and one
/// suspended task. Plain `ws://` only; `wss://` keeps `SimulatedCustomer`.
struct WireCustomer: Sendable {
    /// Where customers connect: the URL's parts, and its host resolved once for the whole run.
    struct Endpoint: Sendable {
        let host: String
        let port: Int
        let path: String
        /// Connecting to one resolved address (not the host name) means one connection attempt
        /// per customer, so its one handler never sees a second attempt's channel.
        let address: SocketAddress
    }

    let endpoint: Endpoint
    let nickname: String
    /// The client address it claims (`X-Forwarded-For`), as `SimulatedCustomer`.
    let address: String
    let book: LatencyBook
    /// The local address its connection comes from, if not the system's choice (see
    /// `sourceAddress(for:host:)`).
    var source: String? = nil

    /// The endpoint of a `ws://` URL, or nil for anything else (or a host that does not resolve).
    static func endpoint(_ url: String) -> Endpoint? {
        guard let components = URLComponents(string: url), components.scheme == "ws", let host = components.host else { return nil }
        let port = components.port ?? 80
        guard let address = try? SocketAddress.makeAddressResolvingHost(host, port: port) else { return nil }
        return Endpoint(host: host, port: port, path: components.path.isEmpty ? "/" : components.path, address: address)
    }

    /// A loopback address to connect from, spreading a run's customers over 64 of them when the
    /// server is on this machine's loopback. Linux picks a connection's local port among those
    /// no other connection to the same address and port from the same address uses; with one
    /// source address the 28,000 ephemeral ports ran short at 15,000 open customers, and every
    /// `connect` searched them (a third of the generator's CPU, in `__inet_check_established`).
    /// Linux only: other systems configure 127.0.0.1 alone on the loopback interface.
    static func sourceAddress(for index: Int, host: String) -> String? {
        #if os(Linux)
        guard host == "127.0.0.1" || host == "localhost" else { return nil }
        return "127.0.0.\(1 + index % 64)"
        #else
        return nil
        #endif
    }

    func run() async {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = loop.makePromise(of: Void.self)
        let handler = CustomerWireHandler(customer: self, done: promise)
        var bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
        #if os(Linux)
        if let source, let local = try? SocketAddress(ipAddress: source, port: 0) {
            // IP_BIND_ADDRESS_NO_PORT (Linux's 24): the port is chosen at `connect`, for the
            // whole four-tuple.
            bootstrap = bootstrap
                .channelOption(ChannelOptions.Types.SocketOption(level: .ip, name: .init(rawValue: 24)), value: 1)
                .bind(to: local)
        }
        #endif
        let connected = bootstrap.connect(to: endpoint.address)
        // The handler completes the promise once, however the connection ends; a connection that
        // never opened is counted here.
        connected.whenFailure { error in
            book.error("customer \(nickname) failed: \(error)")
            handler.finish(error: nil)
        }
        try? await promise.futureResult.get()
    }

    /// The upgrade request; the key is fixed, as the server only echoes its digest.
    var upgradeRequest: String {
        "GET \(endpoint.path) HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "X-Forwarded-For: \(address)\r\n\r\n"
    }
}

/// The customer's connection: HTTP upgrade, then WebSocket frames, on the event loop.
final class CustomerWireHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let customer: WireCustomer
    private let done: EventLoopPromise<Void>
    private var channel: (any Channel)?
    private var buffer = ByteBuffer()
    private var upgraded = false
    private var session = ""
    /// `ended` or `serverBusy` arrived: the connection's end is expected now.
    private var sessionOver = false
    /// The promise is fulfilled; nothing more is counted.
    private var completed = false
    private var timeout: Scheduled<Void>?

    init(customer: WireCustomer, done: EventLoopPromise<Void>) {
        self.customer = customer
        self.done = done
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // Whatever ended the connection has already counted itself; this only makes sure the
        // waiting task is released.
        finish(error: nil)
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: customer.upgradeRequest)), promise: nil)
        // A session that never ends is an error, not a hang of the whole run.
        timeout = context.eventLoop.scheduleTask(in: .seconds(60)) { [self] in
            finish(error: "\(customer.nickname): the session did not end within 60 s")
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(error: sessionOver ? nil : "customer socket closed before the session ended")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(error: "customer socket failed: \(error)")
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        if !upgraded {
            let readable = buffer.readableBytesView
            guard let end = readable.firstRange(of: [13, 10, 13, 10]) else { return }
            let head = String(decoding: readable[..<end.lowerBound], as: UTF8.self)
            buffer.moveReaderIndex(to: end.upperBound)
            guard head.hasPrefix("HTTP/1.1 101") else {
                finish(error: "customer upgrade refused: \(head.prefix(while: { $0 != "\r" }))")
                return
            }
            upgraded = true
            customer.book.startSent(nickname: customer.nickname)
            let start = CustomerClientFrame.start(ChatStart(skillGroupId: AdminSetup.group, nickname: customer.nickname, clientData: "loadtest"))
            send(context, opcode: 0x1, payload: Array(start.encodedText().utf8))
            customer.book.count("started")
        }
        while !completed, let (opcode, payload) = nextFrame() {
            switch opcode {
            case 0x1: handle(context, text: String(decoding: payload, as: UTF8.self))
            case 0x9: send(context, opcode: 0xA, payload: payload)
            case 0x8:
                // The answer to our close: the server now closes the connection (channelInactive).
                guard !sessionOver else { break }
                send(context, opcode: 0x8, payload: Array(payload.prefix(2)))
                finish(error: "the server closed the socket before the session ended")
            default: break
            }
        }
        buffer.discardReadBytes()
    }

    private func handle(_ context: ChannelHandlerContext, text: String) {
        guard let frame = try? CustomerServerFrame.decode(text) else { return }
        switch frame {
        case .started(let id, _): session = id
        case .agentJoined: customer.book.joinedReceived(session: session)
        case .message(let chat) where chat.from == .agent: customer.book.count("customerMessages")
        case .ended:
            customer.book.count("ended")
            leave(context)
        case .error(let error) where error.code == .serverBusy:
            // Turned away by an overloaded server: the answer it should give.
            customer.book.count("shed")
            leave(context)
        case .error(let error): customer.book.error("customer error frame: \(error)")
        default: break
        }
    }

    /// The session is over: a polite close (1000), then the server closes the connection, as
    /// RFC 6455 asks (7.1.1), so the TIME_WAIT stays on its side. When the client closed first,
    /// tens of thousands of connections in TIME_WAIT from one address to one port made every
    /// new `connect` search the ephemeral ports (half the generator's CPU at 4,000 customers a
    /// second, in `__inet_check_established`). A server that does not close in 5 s is left.
    private func leave(_ context: ChannelHandlerContext) {
        guard !sessionOver else { return }
        sessionOver = true
        send(context, opcode: 0x8, payload: [0x03, 0xE8])
        timeout?.cancel()
        timeout = context.eventLoop.scheduleTask(in: .seconds(5)) { [self] in finish(error: nil) }
    }

    /// Ends the customer once, on the event loop: counts `error` if any, closes the connection
    /// and fulfils the promise `run` waits on.
    func finish(error: String?) {
        guard !completed else { return }
        completed = true
        timeout?.cancel()
        timeout = nil
        if let error { customer.book.error(error) }
        channel?.close(promise: nil)
        done.succeed()
    }

    /// The next whole frame from the server (unmasked), or nil until more bytes arrive.
    private func nextFrame() -> (UInt8, [UInt8])? {
        guard buffer.readableBytes >= 2, let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return nil }
        var length = Int(second & 0x7F)
        var offset = 2
        if length == 126 {
            guard let extended = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self) else { return nil }
            length = Int(extended)
            offset = 4
        } else if length == 127 {
            // A length no frame of this protocol comes near is read as never complete; the
            // session timer then ends the customer.
            guard let extended = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt64.self), extended <= 1 << 30 else { return nil }
            length = Int(extended)
            offset = 10
        }
        guard buffer.readableBytes >= offset + length else { return nil }
        buffer.moveReaderIndex(forwardBy: offset)
        let payload = buffer.readBytes(length: length) ?? []
        return (first & 0x0F, payload)
    }

    /// One masked frame, as a client must send.
    private func send(_ context: ChannelHandlerContext, opcode: UInt8, payload: [UInt8]) {
        var frame = context.channel.allocator.buffer(capacity: payload.count + 14)
        frame.writeInteger(0x80 | opcode)
        if payload.count < 126 {
            frame.writeInteger(0x80 | UInt8(payload.count))
        } else if payload.count <= Int(UInt16.max) {
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.count))
        } else {
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(payload.count))
        }
        let mask = (UInt8.random(in: 0...255), UInt8.random(in: 0...255), UInt8.random(in: 0...255), UInt8.random(in: 0...255))
        frame.writeMultipleIntegers(mask.0, mask.1, mask.2, mask.3)
        let key = [mask.0, mask.1, mask.2, mask.3]
        frame.writeBytes(payload.enumerated().map { $0.element ^ key[$0.offset & 3] })
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}
