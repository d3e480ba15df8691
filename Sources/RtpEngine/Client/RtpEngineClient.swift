import Logging
import NIOCore
import NIOPosix

/// A client of rtpengine's ng control protocol over UDP: one local socket, requests matched to
/// answers by cookie, lost requests resent with the same cookie, a clear error when no answer comes.
///
/// ```swift
/// let client = try await RtpEngineClient.connect(to: .init(ngAddress: try .init(ipAddress: "127.0.0.1", port: 2223)))
/// try await client.ping()
/// let sdpForBrowser = try await client.offer(callId: id, fromTag: "carrier", sdp: carrierSDP, flags: .browserFacing)
/// ```
public final class RtpEngineClient: Sendable {
    /// Where rtpengine listens and how patiently to wait for it.
    public struct Configuration: Sendable {
        /// rtpengine's `--listen-ng` address.
        public var ngAddress: SocketAddress
        /// How long one request may take, resends included, before it fails with `.timeout`.
        public var timeout: Duration = .seconds(5)
        /// How long to wait for an answer before resending the request (with the same cookie).
        public var retryInterval: Duration = .milliseconds(500)
        /// The encoding of requests; answers are read in either.
        public var encoding: NGEncoding = .bencode

        /// Talks to the rtpengine at `ngAddress` with the default timeout, resend interval and encoding.
        public init(ngAddress: SocketAddress) {
            self.ngAddress = ngAddress
        }
    }

    /// The configuration this client was connected with.
    public let configuration: Configuration
    private let channel: any Channel
    private let logger: Logger

    private init(configuration: Configuration, channel: any Channel, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.logger = logger
    }

    /// Opens a UDP socket for talking to rtpengine: on the loopback when rtpengine is there.
    public static func connect(
        to configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "switchboard.rtpengine")
    ) async throws(RtpEngineError) -> RtpEngineClient {
        // A loopback rtpengine is talked to from the loopback, so nothing leaves the host.
        let local: String
        switch configuration.ngAddress.ipAddress {
        case let address? where address.hasPrefix("127."): local = "127.0.0.1"
        case "::1": local = "::1"
        default: local = configuration.ngAddress.protocol == .inet6 ? "::" : "0.0.0.0"
        }
        do {
            let channel = try await DatagramBootstrap(group: eventLoopGroup)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                // The default receive buffer is 2 KiB; a `query` answer for a call with several
                // legs is larger, and a truncated datagram cannot be decoded.
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_507))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(NGClientHandler(
                            remote: configuration.ngAddress,
                            encoding: configuration.encoding,
                            timeout: TimeAmount(configuration.timeout),
                            retryInterval: TimeAmount(configuration.retryInterval),
                            logger: logger
                        ))
                    }
                }
                .bind(host: local, port: 0)
                .get()
            return RtpEngineClient(configuration: configuration, channel: channel, logger: logger)
        } catch {
            throw RtpEngineError(.transport, "could not open a UDP socket to talk to rtpengine at \(configuration.ngAddress)", underlying: error)
        }
    }

    /// Closes the socket; outstanding requests fail.
    public func close() async {
        try? await channel.close()
    }

    /// Sends one command and returns the answer's dictionary when its `result` is `ok` (or `pong`).
    ///
    /// - Throws: `.rejected` with rtpengine's `error-reason`, `.loadLimit`, `.timeout`, or
    ///   `.malformedAnswer`.
    public func request(_ command: String, _ arguments: [String: NGValue] = [:]) async throws(RtpEngineError) -> [String: NGValue] {
        var document = arguments
        document["command"] = .string(command)
        let reply = channel.eventLoop.makePromise(of: NGValue.self)
        let answer: NGValue
        do {
            answer = try await withTaskCancellationHandler {
                channel.writeAndFlush(NGRequest(document: .dictionary(document), reply: reply)).cascadeFailure(to: reply)
                return try await reply.futureResult.get()
            } onCancel: {
                reply.fail(CancellationError())
            }
        } catch let error as RtpEngineError {
            throw error
        } catch {
            throw RtpEngineError(.transport, "the request '\(command)' to rtpengine failed", underlying: error)
        }
        return try interpret(answer, of: command, callId: arguments["call-id"]?.string)
    }

    private func interpret(_ answer: NGValue, of command: String, callId: String?) throws(RtpEngineError) -> [String: NGValue] {
        guard let dictionary = answer.dictionary, let result = dictionary["result"]?.string else {
            throw RtpEngineError(.malformedAnswer, "rtpengine answered '\(command)' without a result: \(answer)")
        }
        let subject = callId.map { "'\(command)' for call \($0)" } ?? "'\(command)'"
        switch result {
        case "ok", "pong":
            if let warning = dictionary["warning"]?.string {
                // Deleting a call that is already gone is what every second hang-up path does.
                logger.log(
                    level: command == "delete" ? .debug : .warning, "rtpengine warns",
                    metadata: ["command": "\(command)", "call-id": "\(callId ?? "")", "warning": "\(warning)"]
                )
            }
            return dictionary
        case "error":
            let reason = dictionary["error-reason"]?.string ?? "no reason given"
            throw RtpEngineError(.rejected, "rtpengine refused \(subject): \(reason)", reason: reason)
        case "load limit":
            let reason = dictionary["message"]?.string ?? "load limit"
            throw RtpEngineError(.loadLimit, "rtpengine is over its load limit and refused \(subject): \(reason)", reason: reason)
        default:
            throw RtpEngineError(.malformedAnswer, "rtpengine answered \(subject) with the unknown result '\(result)'")
        }
    }
}
