import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// How a WebSocket route serves the connection it upgrades; set by the route while the upgrade
/// request is routed, read by ``SwitchboardHTTPChannel`` once the route said yes.
enum UpgradeChoice: Sendable {
    /// hummingbird-websocket's task-per-connection handler.
    case tasks(WebSocketDataHandler<UpgradedContext>, UpgradedContext)
    /// Channel handlers, no task (``NativeSocketStarter``).
    case native(NativeSocketStarter)
}

/// Where a route leaves its ``UpgradeChoice``: a reference, because the request context is
/// copied on its way through the middlewares and the route.
final class UpgradeChoiceBox: Sendable {
    private let value = Mutex<UpgradeChoice?>(nil)

    var choice: UpgradeChoice? { value.withLock { $0 } }

    func choose(_ choice: UpgradeChoice) { value.withLock { $0 = choice } }
}

/// What a task-served WebSocket handler knows of the request that opened it.
struct UpgradedContext: WebSocketContext {
    let request: Request
    let requestContext: ServerRequestContext

    var logger: Logger { requestContext.logger }
}

/// Starts a native socket's handlers on the upgraded channel, on its event loop.
struct NativeSocketStarter: Sendable {
    let install: @Sendable (any Channel, Logger) throws -> Void

    func install(on channel: any Channel, logger: Logger) throws {
        try install(channel, logger)
    }
}

extension Router<ServerRequestContext> {
    /// A WebSocket route served by hummingbird-websocket's tasks. `shouldUpgrade` throws (an
    /// `APIError` answer) or says no to refuse.
    func webSocket(
        _ path: RouterPath,
        shouldUpgrade: @escaping @Sendable (Request, ServerRequestContext) async throws -> RouterShouldUpgrade,
        onUpgrade handler: @escaping WebSocketDataHandler<UpgradedContext>
    ) {
        upgradeRoute(path, shouldUpgrade: shouldUpgrade) { request, context in
            .tasks(handler, UpgradedContext(request: request, requestContext: context))
        }
    }

    /// A WebSocket route served by channel handlers: `socket` gives what installs them.
    func nativeWebSocket(
        _ path: RouterPath,
        shouldUpgrade: @escaping @Sendable (Request, ServerRequestContext) async throws -> RouterShouldUpgrade,
        socket: @escaping @Sendable (Request, ServerRequestContext) -> NativeSocketStarter
    ) {
        upgradeRoute(path, shouldUpgrade: shouldUpgrade) { request, context in .native(socket(request, context)) }
    }

    private func upgradeRoute(
        _ path: RouterPath,
        shouldUpgrade: @escaping @Sendable (Request, ServerRequestContext) async throws -> RouterShouldUpgrade,
        choice: @escaping @Sendable (Request, ServerRequestContext) -> UpgradeChoice
    ) {
        on(path, method: .get) { request, context -> Response in
            switch try await shouldUpgrade(request, context) {
            case .dontUpgrade:
                return Response(status: .methodNotAllowed)
            case .upgrade(let headers):
                context.upgrade.choose(choice(request, context))
                return Response(status: .ok, headers: headers)
            }
        }
    }
}
