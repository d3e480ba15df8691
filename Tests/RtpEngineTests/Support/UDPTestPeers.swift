import Foundation
import NIOCore
import NIOPosix
import Synchronization

@testable import RtpEngine

/// A UDP socket the test owns: it records every datagram it receives and can send.
final class UDPPeer: Sendable {
    let channel: any Channel
    let port: Int
    private let box: ReceivedBox

    final class ReceivedBox: Sendable {
        let datagrams = Mutex<[(from: SocketAddress, bytes: [UInt8])]>([])
    }

    private final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let box: ReceivedBox
        init(box: ReceivedBox) { self.box = box }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            box.datagrams.withLock { $0.append((envelope.remoteAddress, Array(envelope.data.readableBytesView))) }
        }
    }

    private init(channel: any Channel, box: ReceivedBox) {
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.box = box
    }

    static func bind(port: Int = 0) async throws -> UDPPeer {
        let box = ReceivedBox()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_507))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Recorder(box: box)) }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
        return UDPPeer(channel: channel, box: box)
    }

    func send(_ bytes: [UInt8], toPort port: Int) async throws {
        let envelope = AddressedEnvelope(remoteAddress: try SocketAddress(ipAddress: "127.0.0.1", port: port), data: channel.allocator.buffer(bytes: bytes))
        try await channel.writeAndFlush(envelope)
    }

    var received: [[UInt8]] { box.datagrams.withLock { $0.map(\.bytes) } }

    func clear() { box.datagrams.withLock { $0.removeAll() } }

    /// Waits until `condition` holds for what was received, up to `timeout`; returns whether it did.
    func wait(upTo timeout: Duration = .seconds(3), until condition: ([[UInt8]]) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(received) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(received)
    }

    func close() async { try? await channel.close() }
}

/// A stand-in for rtpengine's ng socket whose answers the test scripts: `respond` gets each
/// request and how many times its cookie has been seen, and returns the answer or nil to drop it.
final class FakeRtpEngine: Sendable {
    let channel: any Channel
    let address: SocketAddress
    let requests: RequestLog

    final class RequestLog: Sendable {
        let messages = Mutex<[NGMessage]>([])
    }

    private final class Responder: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let requests: RequestLog
        let respond: @Sendable (NGMessage, Int) -> NGValue?
        init(requests: RequestLog, respond: @escaping @Sendable (NGMessage, Int) -> NGValue?) {
            self.requests = requests
            self.respond = respond
        }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            guard let message = try? NGMessage(datagram: bytes) else { return }
            let attempt = requests.messages.withLock { requests in
                requests.append(message)
                return requests.filter { $0.cookie == message.cookie }.count
            }
            guard let answer = respond(message, attempt) else { return }
            let isJSON = bytes.firstIndex(of: UInt8(ascii: " ")).map { bytes[$0 + 1] == UInt8(ascii: "{") } ?? false
            let reply = NGMessage(cookie: message.cookie, document: answer).encoded(as: isJSON ? .json : .bencode)
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: reply))), promise: nil)
        }
    }

    private init(channel: any Channel, requests: RequestLog) {
        self.channel = channel
        self.address = channel.localAddress!
        self.requests = requests
    }

    static func start(respond: @escaping @Sendable (NGMessage, Int) -> NGValue?) async throws -> FakeRtpEngine {
        let requests = RequestLog()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Responder(requests: requests, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeRtpEngine(channel: channel, requests: requests)
    }

    var received: [NGMessage] { requests.messages.withLock { $0 } }

    func close() async { try? await channel.close() }
}
