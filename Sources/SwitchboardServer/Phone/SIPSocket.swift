import NIOCore
import NIOPosix
import SwitchboardSIP

/// The UDP socket SIP arrives on and leaves from. Datagrams are handed over as an async sequence;
/// sending resolves the destination once per host.
struct SIPSocket: Sendable {
    typealias Envelope = AddressedEnvelope<ByteBuffer>
    let channel: NIOAsyncChannel<Envelope, Envelope>
    let localPort: Int

    /// Binds `host:port` (0 picks a free port).
    static func bind(host: String, port: Int) async throws -> SIPSocket {
        // No SO_REUSEADDR: a second server must fail to bind the SIP port, not share it silently.
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_507))
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<Envelope, Envelope>(wrappingChannelSynchronously: channel)
                }
            }
        return SIPSocket(channel: channel, localPort: channel.channel.localAddress?.port ?? port)
    }

    /// The address as the SIP layer names it.
    static func transportAddress(_ address: SocketAddress) -> SIPTransportAddress {
        SIPTransportAddress(host: address.ipAddress ?? "0.0.0.0", port: address.port ?? 0)
    }
}

/// A UDP socket that takes media and throws it away: the placeholder the carrier leg is bridged to
/// while no agent's browser holds the call (rtpengine must have somewhere to send the caller's audio).
struct MediaSink: Sendable {
    let channel: any Channel
    let port: Int

    static func bind(host: String) async throws -> MediaSink {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Discard()) } }
            .bind(host: host, port: 0).get()
        return MediaSink(channel: channel, port: channel.localAddress?.port ?? 0)
    }

    /// A plain-RTP SDP answer pointing at the sink, offering G.711 and telephone events.
    func placeholderSDP(address: String) -> String {
        [
            "v=0", "o=- 1 1 IN IP4 \(address)", "s=switchboard", "c=IN IP4 \(address)", "t=0 0",
            "m=audio \(port) RTP/AVP 0 8 101", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=sendrecv", "",
        ].joined(separator: "\r\n")
    }

    private final class Discard: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
    }
}
