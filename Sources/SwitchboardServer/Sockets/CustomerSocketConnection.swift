import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket

/// One `/ws/customer` connection on a ``NativeWebSocket``: the per-address connection limit,
/// then ``CustomerSocket`` run on a task of its own over a ``SocketTaskBridge``.
final class CustomerSocketConnection: NativeWebSocketDelegate {
    private let server: ServerComponents
    private let address: String
    private let logger: Logger
    private var bridge: SocketTaskBridge?

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
    }

    func received(_ message: WebSocketMessage, on socket: NativeWebSocket) {
        bridge?.received(message)
    }

    func becameWritable(_ socket: NativeWebSocket) {
        bridge?.becameWritable()
    }

    func closed(_ socket: NativeWebSocket) {
        server.openSockets.remove(socket)
        bridge?.closed()
        bridge = nil
    }
}
