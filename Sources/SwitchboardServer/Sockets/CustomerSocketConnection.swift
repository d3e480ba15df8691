import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import SwitchboardProtocol

/// One `/ws/customer` connection on a ``NativeWebSocket``: the per-address connection limit,
/// then ``CustomerSocket`` run on a task of its own over a ``SocketTaskBridge``.
///
/// The task starts with the first frame the overload guard lets through. While the server sheds
/// new customers, a `start` is answered `serverBusy` here on the event loop, as
/// ``CustomerChannel/admit(_:from:)`` would answer it. Under overload seven in ten customers are
/// shed, and a task, a bridge and their hops for each of them left the server routing a fifth
/// fewer of the others (docs/benchmarks.md, "Overload"). The connection stays open: the widget
/// may send `start` again on it once the retry time has passed.
final class CustomerSocketConnection: NativeWebSocketDelegate {
    private let server: ServerComponents
    private let address: String
    private let logger: Logger
    private var bridge: SocketTaskBridge?
    /// The connection holds its address's slot; the task takes it over once started.
    private var holdsSlot = false

    init(server: ServerComponents, address: String, logger: Logger) {
        self.server = server
        self.address = address
        self.logger = logger
    }

    /// What installs a connection's handler on an upgraded channel.
    static func starter(server: ServerComponents, address: String) -> NativeSocketStarter {
        NativeSocketStarter { channel, logger in
            let connection = CustomerSocketConnection(server: server, address: address, logger: logger)
            let socket = NativeWebSocket(configuration: .init(maximumMessageSize: AgentSocket.hardMessageLimit), delegate: connection)
            try channel.pipeline.syncOperations.addHandler(socket)
        }
    }

    func opened(_ socket: NativeWebSocket) {
        guard server.openSockets.insert(socket) else {
            socket.close(.goingAway, reason: "the server is stopping; reconnect")
            return
        }
        guard server.connectionLimiter.acquire(address) else {
            socket.refuseOverConnectionLimit(server.connectionLimiter.limit)
            return
        }
        holdsSlot = true
    }

    func received(_ message: WebSocketMessage, on socket: NativeWebSocket) {
        if let bridge {
            bridge.received(message)
        } else if holdsSlot {
            // A client that does not read its answers goes to the task, whose writes wait.
            if socket.isWritable, let busy = shedStart(message) {
                socket.send(text: busy, flush: true)
            } else {
                startTask(on: socket).received(message)
            }
        }
    }

    /// The `serverBusy` answer when `message` is a `start` and the server sheds new customers;
    /// nil when the task should read it (resumes are never shed, and bad frames get the task's
    /// errors). Decoded only while shedding: otherwise the task reads the frame as it always has.
    private func shedStart(_ message: WebSocketMessage) -> String? {
        guard server.overload.isShedding,
              case .success(.start) = message.frame(as: CustomerClientFrame.self, maximumSize: server.configuration.maximumFrameSize),
              let refusal = server.overload.refusal() else { return nil }
        return CustomerServerFrame.error(CustomerChannel.serverBusy(refusal)).encodedText()
    }

    private func startTask(on socket: NativeWebSocket) -> SocketTaskBridge {
        holdsSlot = false
        let bridge = SocketTaskBridge(socket: socket)
        self.bridge = bridge
        let customer = CustomerSocket(server: server, address: address)
        let (limiter, address, logger) = (server.connectionLimiter, self.address, self.logger)
        Task {
            await customer.run(source: bridge.frames, writer: bridge.writer, logger: logger)
            // The protocol is over (the session ended, or the client left): close if still open.
            bridge.writer.close(.normalClosure, reason: "")
            // The slot is the task's: an address has no more customers being served than its
            // limit, however fast it drops sockets.
            limiter.release(address)
        }
        return bridge
    }

    func becameWritable(_ socket: NativeWebSocket) {
        bridge?.becameWritable()
    }

    func closed(_ socket: NativeWebSocket) {
        server.openSockets.remove(socket)
        bridge?.closed()
        bridge = nil
        // No task was started (every start was shed, or none came): the slot is given back here.
        if holdsSlot {
            holdsSlot = false
            server.connectionLimiter.release(address)
        }
    }
}
