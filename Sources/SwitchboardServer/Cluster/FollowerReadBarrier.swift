import Hummingbird

/// On a follower, an API request or WebSocket sign-in first waits for the replica to hold
/// everything the leader had committed (``RoutingService/readBarrier()``): clients behind a load
/// balancer reach any node, and one must not be told "no such skill group" by a follower for a
/// group another node has just acknowledged creating. On a leader, or a single node, it costs
/// one read of the leader gate.
struct FollowerReadBarrier<Context: RequestContext>: RouterMiddleware {
    let server: ServerComponents

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.readsState(request) { await server.awaitCurrentReplica() }
        return try await next(request, context)
    }

    /// The APIs (admin, chat, agent, sign-in), the WebSocket sign-ins and the Cloud API (a POST to
    /// `/`); not the browser's files or the operations endpoints.
    static func readsState(_ request: Request) -> Bool {
        let path = request.uri.path
        return path.hasPrefix("/api/") || path.hasPrefix("/ws/") || request.method == .post
    }
}
