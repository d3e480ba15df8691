// Adapted from hummingbird-websocket's `HTTP1WebSocketUpgradeChannel` (Apache-2.0, the Hummingbird
// authors): the same HTTP/1 pipeline and WebSocket upgrade, with one more outcome for the sockets
// this server serves from NIO handlers instead of tasks.

import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket
@_spi(WSInternal) import WSCore

/// Every connection of the server: HTTP/1, upgraded to a WebSocket where a route allows it.
///
/// A route upgrades in one of two ways. Most (`/ws/customer`, the cluster link, the echo floor)
/// run hummingbird-websocket's handler: a task per connection reading, another pinging, and the
/// route's own. `/ws/agent` chooses a native socket instead (``UpgradeChoice/native(_:)``), and its connection is
/// served by channel handlers (``NativeWebSocket``): an idle agent then holds no task at all, and
/// with it none of the 1 KB task-allocator slabs a suspended task keeps (docs/benchmarks.md,
/// "Idle agents").
struct SwitchboardHTTPChannel: ServerChildChannel, HTTPChannelHandler {
    typealias WebSocketChannelHandler = @Sendable (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, Logger) async -> Void

    /// How a route asked to upgrade.
    enum Upgrade: Sendable {
        case tasks(WebSocketChannelHandler)
        case native(NativeSocketStarter)
    }

    enum UpgradeResult: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, WebSocketChannelHandler, Logger)
        /// Served by the handlers now in the channel's pipeline; nothing left for a task to do.
        case native
        case notUpgraded(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case failedUpgrade(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, Logger)
    }

    struct Value: ServerChildChannelValue {
        let upgradeResult: EventLoopFuture<UpgradeResult>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    /// How long a new connection may take to send its first request's head.
    private let requestHeadTimeout: TimeAmount
    private let shouldUpgrade: @Sendable (HTTPRequest, any Channel, Logger) -> EventLoopFuture<ShouldUpgradeResult<Upgrade>>
    private let configuration: HTTP1WebSocketUpgradeChannel.Configuration

    init<WSResponder: HTTPResponder>(
        responder: @escaping HTTPChannelHandler.Responder,
        webSocketResponder: WSResponder,
        configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        requestHeadTimeout: TimeAmount
    ) where WSResponder.Context == ServerRequestContext {
        self.configuration = configuration
        self.requestHeadTimeout = requestHeadTimeout
        self.responder = Self.upgradeResponder(responder)
        self.shouldUpgrade = { head, channel, logger in
            let promise = channel.eventLoop.makePromise(of: ShouldUpgradeResult<Upgrade>.self)
            promise.completeWithTask {
                let request = Request(head: head, body: .init(buffer: .init()))
                let context = ServerRequestContext(source: .init(channel: channel, logger: logger))
                do {
                    let response = try await webSocketResponder.respond(to: request, context: context)
                    guard response.status == .ok else { return .dontUpgrade }
                    switch context.upgrade.choice {
                    case .native(let socket):
                        return .upgrade(response.headers, .native(socket))
                    case .tasks(let handler, let upgraded):
                        // No extensions are configured (no compression), so none is negotiated.
                        let handlerConfiguration = WebSocketHandler.Configuration(
                            extensions: [], autoPing: configuration.ws.autoPing, closeTimeout: configuration.ws.closeTimeout,
                            validateUTF8: configuration.ws.validateUTF8, maxFrameSize: configuration.ws.maxFrameSize)
                        return .upgrade(response.headers, .tasks({ asyncChannel, _ in
                            do {
                                _ = try await WebSocketHandler.handle(
                                    type: .server, configuration: handlerConfiguration, asyncChannel: asyncChannel,
                                    context: upgraded, handler: handler)
                            } catch {
                                logger.debug("WebSocket handler error", metadata: ["error.type": "\(error)"])
                            }
                        }))
                    case nil:
                        return .dontUpgrade
                    }
                } catch {
                    return .dontUpgrade
                }
            }
            return promise.futureResult
        }
    }

    /// As Hummingbird's: a WebSocket upgrade asked for on a connection that already carried an
    /// HTTP request cannot be upgraded (NIO's upgrader only looks at a connection's first
    /// request), so the client is redirected to the same URI on a new connection.
    private static func upgradeResponder(_ responder: @escaping HTTPChannelHandler.Responder) -> HTTPChannelHandler.Responder {
        struct RedirectCloseError: Error {}
        return { request, responseWriter, channel in
            if request.headers[.upgrade] == "websocket" {
                var path = request.uri.path
                if let query = request.uri.query { path += "?\(query)" }
                let response = HTTPResponse(status: .temporaryRedirect, headerFields: [.connection: "close", .location: path])
                try await responseWriter.writeResponse(response)
                throw RedirectCloseError()
            }
            try await responder(request, responseWriter, channel)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // A socket keeps the buffer of its last read for the next one, for as long as it is
            // open; NIO's first reads are 2 KiB. Most of what this server reads (requests, agent
            // frames) is far smaller, and a larger read grows the next one, so starting at 512
            // bytes spares an idle agent's connection 1.5 KiB (docs/benchmarks.md, "Idle agents").
            try channel.syncOptions?.setOption(
                ChannelOptions.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65536))
            // Removed once the first request's head is read: by `shouldUpgrade` for an upgrade,
            // by `notUpgradingCompletionHandler` otherwise.
            let headDeadline = NIOLoopBound(RequestHeadDeadline(timeout: requestHeadTimeout), eventLoop: channel.eventLoop)
            try channel.pipeline.syncOperations.addHandler(headDeadline.value)
            let upgradeAttempted = NIOLoopBoundBox(false, eventLoop: channel.eventLoop)
            let logger = logger.with(metadataKey: "hb.request.id", value: .stringConvertible(RequestID()))
            let chosen = NIOLockedValueBox<Upgrade?>(nil)
            let upgrader = NIOTypedWebSocketServerUpgrader<UpgradeResult>(
                maxFrameSize: configuration.ws.maxFrameSize,
                shouldUpgrade: { channel, head in
                    upgradeAttempted.value = true
                    // The head is read: the route's answer is not held to the deadline.
                    channel.pipeline.syncOperations.removeHandler(headDeadline.value, promise: nil)
                    let request: HTTPRequest
                    do { request = try HTTPRequest(head, secure: false, splitCookie: false) } catch {
                        return channel.eventLoop.makeFailedFuture(error)
                    }
                    return shouldUpgrade(request, channel, logger).map { result in
                        switch result {
                        case .dontUpgrade:
                            return nil
                        case .upgrade(let headers, let upgrade):
                            chosen.withLockedValue { $0 = upgrade }
                            return HTTPHeaders(headers)
                        }
                    }
                },
                upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        switch chosen.withLockedValue({ $0 }) {
                        case .native(let socket):
                            try socket.install(on: channel, logger: logger)
                            return .native
                        case .tasks(let handler):
                            let asyncChannel = try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(
                                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                            return .websocket(asyncChannel, handler, logger)
                        case nil:
                            preconditionFailure("the upgrade ran without shouldUpgrade choosing one")
                        }
                    }
                })
            let serverUpgradeConfiguration = NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        channel.pipeline.syncOperations.removeHandler(headDeadline.value, promise: nil)
                        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try channel.pipeline.syncOperations.addHandlers(configuration.http1.additionalChannelHandlers())
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPConnectionStateHandler(idleTimeout: configuration.http1.idleTimeout.map { .init($0) }, logger: logger))
                        let asyncChannel = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                        return upgradeAttempted.value ? .failedUpgrade(asyncChannel, logger) : .notUpgraded(asyncChannel)
                    }
                })
            var upgradeConfiguration = NIOUpgradableHTTPServerPipelineConfiguration<UpgradeResult>(upgradeConfiguration: serverUpgradeConfiguration)
            upgradeConfiguration.enablePipelining = false  // HTTP is pipelined by NIOAsyncChannel
            upgradeConfiguration.enableErrorHandling = false  // Hummingbird handles errors
            upgradeConfiguration.enableResponseHeaderValidation = false  // HTTPTypes validates
            upgradeConfiguration.decoderConfiguration.maxHeaderFieldSize = configuration.http1.httpDecoder.maxHeaderFieldSize
            upgradeConfiguration.decoderConfiguration.maxHeaderListSize = configuration.http1.httpDecoder.maxHeaderListSize
            upgradeConfiguration.decoderConfiguration.maxHeaderFieldCount = configuration.http1.httpDecoder.maxHeaderFieldCount
            let negotiation = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: upgradeConfiguration)
            return Value(upgradeResult: negotiation, channel: channel)
        }
    }

    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.upgradeResult.get() {
            case .notUpgraded(let http1):
                await handleHTTP(asyncChannel: http1, logger: logger)
            case .failedUpgrade(let http1, let logger):
                logger.debug("WebSocket upgrade failed")
                await Self.writeFailedUpgrade(http1, logger: logger)
            case .websocket(let asyncChannel, let handler, let logger):
                await handler(asyncChannel, logger)
            case .native:
                break
            }
        } catch let error as ChannelError where error == .inputClosed {
            logger.trace("Upgrade failed as input was closed")
        } catch let error as ChannelError where error == .inappropriateOperationForState || error == .ioOnClosedChannel || error == .eof {
            // NIO's upgrade handler fails its result so when the connection closes before a whole
            // request head arrived: the client went away, or `RequestHeadDeadline` closed it.
            logger.trace("Connection closed before its first request", metadata: ["error.type": "\(error)"])
        } catch {
            logger.error("Error handling upgrade result", metadata: ["error.type": .string("\(error)")])
        }
    }

    /// A refused upgrade: 400 and close.
    private static func writeFailedUpgrade(_ asyncChannel: NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>, logger: Logger) async {
        do {
            try await asyncChannel.executeThenClose { _, outbound in
                let head = HTTPResponse(status: .badRequest, headerFields: [.connection: "close", .contentLength: "0"])
                try await outbound.write(contentsOf: [.head(head), .end(nil)])
            }
        } catch {
            logger.trace("Failed to write to Channel. Error: \(error)")
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with WebSocket upgrades decided by `webSocketRouter`, agents' sockets served natively.
    static func switchboard(
        webSocketRouter: Router<ServerRequestContext>, configuration: HTTP1WebSocketUpgradeChannel.Configuration,
        requestHeadTimeout: TimeAmount
    ) -> HTTPServerBuilder {
        let webSocketResponder = webSocketRouter.buildResponder()
        return .init { responder in
            SwitchboardHTTPChannel(
                responder: responder, webSocketResponder: webSocketResponder, configuration: configuration,
                requestHeadTimeout: requestHeadTimeout)
        }
    }
}

extension Logger {
    fileprivate func with(metadataKey: String, value: MetadataValue) -> Logger {
        var logger = self
        logger[metadataKey: metadataKey] = value
        return logger
    }
}
