import Logging
import NIOCore
import NIOPosix

/// A telephone key a participant pressed, as rtpengine saw it in the RTP (RFC 4733 events).
public struct DTMFEvent: Sendable, Hashable {
    /// The call's id as given in `offer`.
    public var callId: String
    /// The tag of the participant who pressed the key.
    public var sourceTag: String
    /// The key.
    public var digit: DTMFDigit
    /// How long the key was held.
    public var duration: Duration
    /// The event's volume as sent, in -dBm0 (0 loudest).
    public var volume: Int
    /// The address the event's RTP came from.
    public var sourceAddress: String?

    /// Creates an event.
    public init(callId: String, sourceTag: String, digit: DTMFDigit, duration: Duration, volume: Int = 10, sourceAddress: String? = nil) {
        self.callId = callId
        self.sourceTag = sourceTag
        self.digit = digit
        self.duration = duration
        self.volume = volume
        self.sourceAddress = sourceAddress
    }

    /// Reads one `--dtmf-log-dest` datagram. rtpengine 10.5 sends one JSON object per key, when
    /// the key is released:
    /// `{"callid":"c1","source_tag":"carrier","tags":["carrier","agent"],"type":"DTMF",
    /// "timestamp":1795992006,"source_ip":"127.0.0.1","event":5,"duration":80,"volume":10}`
    /// (duration in ms). Returns nil for anything else, e.g. event 16 (flash) or a call-id
    /// containing a quote, which rtpengine writes without escaping.
    public init?(logDatagram bytes: some Collection<UInt8>) {
        guard let document = try? NGValue(json: bytes),
              let callId = document["callid"]?.string,
              let sourceTag = document["source_tag"]?.string,
              let event = document["event"]?.integer,
              let digit = DTMFDigit(event: Int(event))
        else { return nil }
        if let type = document["type"]?.string, type != "DTMF" { return nil }
        self.init(
            callId: callId,
            sourceTag: sourceTag,
            digit: digit,
            duration: .milliseconds(document["duration"]?.integer ?? 0),
            volume: Int(document["volume"]?.integer ?? 0),
            sourceAddress: document["source_ip"]?.string
        )
    }
}

/// The UDP socket rtpengine's `--dtmf-log-dest` points at: every key any caller presses, on any
/// call, arrives here as an `DTMFEvent`.
///
/// ```swift
/// let digits = try await DTMFListener.bind()
/// configuration.dtmfLogPort = digits.port   // before RtpEngineProcess.start
/// for await event in digits.events { route(event.callId, event.sourceTag, event.digit) }
/// ```
public final class DTMFListener: Sendable {
    /// The loopback port it listens on.
    public let port: Int
    /// The keys pressed, in arrival order; ends when the listener is closed.
    public let events: AsyncStream<DTMFEvent>
    private let channel: any Channel

    private init(port: Int, events: AsyncStream<DTMFEvent>, channel: any Channel) {
        self.port = port
        self.events = events
        self.channel = channel
    }

    /// Listens on `host`:`port` (port 0 picks a free one). Keep it on the loopback: anyone who can
    /// send to it can fake key presses.
    public static func bind(
        host: String = "127.0.0.1",
        port: Int = 0,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "switchboard.rtpengine.dtmf")
    ) async throws(RtpEngineError) -> DTMFListener {
        // Keys are few and small; if nobody reads for a while, keep the newest rather than grow.
        let (events, continuation) = AsyncStream.makeStream(of: DTMFEvent.self, bufferingPolicy: .bufferingNewest(1024))
        do {
            let channel = try await DatagramBootstrap(group: eventLoopGroup)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DTMFLogHandler(continuation: continuation, logger: logger))
                    }
                }
                .bind(host: host, port: port)
                .get()
            return DTMFListener(port: channel.localAddress?.port ?? port, events: events, channel: channel)
        } catch {
            continuation.finish()
            throw RtpEngineError(.transport, "could not listen for rtpengine's DTMF log on \(host):\(port); is the port taken?", underlying: error)
        }
    }

    /// Stops listening and ends `events`.
    public func close() async {
        try? await channel.close()
    }
}

private final class DTMFLogHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let continuation: AsyncStream<DTMFEvent>.Continuation
    private let logger: Logger

    init(continuation: AsyncStream<DTMFEvent>.Continuation, logger: Logger) {
        self.continuation = continuation
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let event = DTMFEvent(logDatagram: envelope.data.readableBytesView) else {
            logger.debug("ignoring a DTMF log datagram that is not a key event", metadata: ["text": "\(String(buffer: envelope.data))"])
            return
        }
        continuation.yield(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}
