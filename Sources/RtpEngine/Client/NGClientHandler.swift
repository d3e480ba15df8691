import Logging
import NIOCore

/// A request handed to the channel: the pipeline gives it a cookie, sends it, resends it with the
/// same cookie until it is answered, and completes `reply` with the answer's dictionary.
struct NGRequest: Sendable {
    var document: NGValue
    var reply: EventLoopPromise<NGValue>
}

/// Sends ng requests to one rtpengine and matches answers to them by cookie. Lives on the
/// channel's event loop, so its table of outstanding requests needs no lock.
final class NGClientHandler: ChannelDuplexHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundIn = NGRequest
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private struct Outstanding {
        var datagram: ByteBuffer
        var command: String
        var reply: EventLoopPromise<NGValue>
        var attempts: Int
        var retry: Scheduled<Void>?
        var deadline: Scheduled<Void>?
    }

    private let remote: SocketAddress
    private let encoding: NGEncoding
    private let timeout: TimeAmount
    private let retryInterval: TimeAmount
    private let logger: Logger
    /// Random per client, so a restarted server never reuses a cookie whose answer rtpengine still
    /// has cached from the previous run (it would get that stale answer back).
    private let cookiePrefix: String
    private var nextSequence: UInt64 = 1
    private var outstanding: [String: Outstanding] = [:]

    init(remote: SocketAddress, encoding: NGEncoding, timeout: TimeAmount, retryInterval: TimeAmount, logger: Logger) {
        self.remote = remote
        self.encoding = encoding
        self.timeout = timeout
        self.retryInterval = retryInterval
        self.logger = logger
        self.cookiePrefix = String(UInt32.random(in: .min ... .max), radix: 16)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        let cookie = "\(cookiePrefix)_\(nextSequence)"
        nextSequence += 1
        let command = request.document["command"]?.string ?? "?"
        let datagram = context.channel.allocator.buffer(bytes: NGMessage(cookie: cookie, document: request.document).encoded(as: encoding))
        let loop = context.eventLoop.assumeIsolated()
        let deadline = loop.scheduleTask(in: timeout) { [self] in
            guard let entry = outstanding[cookie] else { return }
            entry.reply.fail(RtpEngineError(
                .timeout,
                "rtpengine at \(remote) did not answer '\(command)' within \(timeout.nanoseconds / 1_000_000) ms (\(entry.attempts) attempts): check that it is running and listening there (--listen-ng)"
            ))
        }
        outstanding[cookie] = Outstanding(datagram: datagram, command: command, reply: request.reply, attempts: 0, deadline: deadline)
        // Every way a request ends (answer, timeout, the caller's cancellation, the channel
        // closing) completes the promise, so this is the one place that forgets it.
        request.reply.futureResult.assumeIsolated().whenComplete { [self] _ in
            if let entry = outstanding.removeValue(forKey: cookie) {
                entry.retry?.cancel()
                entry.deadline?.cancel()
            }
        }
        send(cookie: cookie, context: context)
        promise?.succeed()
    }

    /// Sends (or resends) a request and arms the next resend. rtpengine caches each answer under
    /// its cookie, so a resend of a request that did arrive gets the same answer, not a second call.
    private func send(cookie: String, context: ChannelHandlerContext) {
        guard var entry = outstanding[cookie] else { return }
        entry.attempts += 1
        if entry.attempts > 1 {
            logger.debug("resending ng request", metadata: ["cookie": "\(cookie)", "command": "\(entry.command)", "attempt": "\(entry.attempts)"])
        }
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: remote, data: entry.datagram)), promise: nil)
        let contextBox = NIOLoopBound(context, eventLoop: context.eventLoop)
        entry.retry = context.eventLoop.assumeIsolated().scheduleTask(in: retryInterval) { [self] in
            send(cookie: cookie, context: contextBox.value)
        }
        outstanding[cookie] = entry
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard envelope.remoteAddress == remote else {
            logger.debug("ignoring a datagram that is not from rtpengine", metadata: ["from": "\(envelope.remoteAddress)"])
            return
        }
        let bytes = Array(envelope.data.readableBytesView)
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else {
            logger.warning("ignoring an ng answer without a cookie", metadata: ["bytes": "\(bytes.count)"])
            return
        }
        let cookie = String(decoding: bytes[..<space], as: UTF8.self)
        guard let entry = outstanding[cookie] else {
            // A second answer to a request that was resent, or an answer after its timeout.
            logger.debug("ignoring an ng answer to no outstanding request", metadata: ["cookie": "\(cookie)"])
            return
        }
        do {
            let message = try NGMessage(datagram: bytes)
            entry.reply.succeed(message.document)
        } catch {
            entry.reply.fail(RtpEngineError(
                .malformedAnswer,
                "rtpengine's answer to '\(entry.command)' could not be read; is the ng port (--listen-ng) really rtpengine's?",
                underlying: error
            ))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An unconnected UDP socket reports little; a lost request is resent and then times out.
        logger.debug("ng socket error", metadata: ["error": "\(error)"])
    }

    func channelInactive(context: ChannelHandlerContext) {
        let closed = RtpEngineError(.transport, "the rtpengine client was closed while requests were outstanding")
        for entry in outstanding.values { entry.reply.fail(closed) }
        context.fireChannelInactive()
    }
}
