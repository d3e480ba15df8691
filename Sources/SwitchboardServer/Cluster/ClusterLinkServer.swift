import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import Synchronization
import SwitchboardCore

/// The leader's end of the cluster link: `/internal/cluster`, one WebSocket per follower,
/// authenticated by ``ClusterLinkCoding/credential(signingSecret:)``. It streams every commit to
/// the follower and carries out the requests the follower forwards, each under its origin id.
enum ClusterLinkServer {
    static let path = "/internal/cluster"

    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        // Only a node of several has a link; alone the path does not exist.
        guard server.leadership != nil else { return }
        let forwards = ForwardsInFlight()
        router.webSocket(RouterPath(stringLiteral: path), shouldUpgrade: { request, _ in
            let presented = request.headers[HTTPField.Name(ClusterLinkCoding.header)!]
            guard ClusterLinkCoding.same(presented, ClusterLinkCoding.credential(signingSecret: server.secrets.signingSecret)) else {
                throw APIError(.unauthorized, code: "unauthorized", "the cluster link is for the nodes of this cluster only")
            }
            guard await !server.routing.isFollowing, server.leadership?.lossReason == nil else {
                throw APIError(.serviceUnavailable, code: "notLeader", "this node does not lead; link to the node the lease names", retryAfter: 1)
            }
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            await serve(
                inbound: inbound, outbound: outbound, routing: server.routing, forwards: forwards, relayed: server.relayedFrames,
                signingSecret: server.secrets.signingSecret, logger: context.logger)
        })
    }

    private static func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, routing: RoutingService, forwards: ForwardsInFlight,
        relayed: RelayedFrameDelivery, signingSecret: String, logger: Logger
    ) async {
        let nonce = ClusterLinkCoding.newNonce()
        guard (try? await outbound.write(.text(LeaderFrame.challenge(nonce: nonce).encodedText))) != nil else { return }
        var messages = inbound.messages(maxSize: 1 << 24).makeAsyncIterator()
        guard case .text(let first)? = try? await messages.next(),
              case .hello(let node, let rules, let waiting, let holding, let proof)? = try? FollowerFrame.decode(first) else {
            try? await outbound.close(.protocolError, reason: "the first frame must be hello")
            return
        }
        guard ClusterLinkCoding.same(proof, ClusterLinkCoding.proof(nonce: nonce, node: node, signingSecret: signingSecret)) else {
            logger.warning("a cluster link failed its challenge; closed", metadata: ["node": "\(node)"])
            try? await outbound.close(.policyViolation, reason: "wrong proof")
            return
        }
        guard rules == RoutingStateMachine.rulesVersion else {
            try? await outbound.write(.text(LeaderFrame.goodbye(
                reason: "this leader decides by routing rules version \(RoutingStateMachine.rulesVersion), the follower by \(rules): run the same version on every node").encodedText))
            try? await outbound.close(.normalClosure, reason: "rules version differs")
            return
        }
        // What the follower's earlier link left unanswered is finished before its stream starts,
        // so its catch-up through the welcome's sequence tells it which of those were done.
        await forwards.waitFor(waiting)
        let (key, frames) = await routing.subscribeFollower(node: node, holding: Set(holding))
        // The stream to the follower on a task of its own; when it ends (the leader stops, or the
        // follower fell too far behind) the socket closes, which ends the reading below.
        let writer = Task {
            for await text in frames {
                do { try await outbound.write(.text(text)) } catch { break }
            }
            try? await outbound.close(.normalClosure, reason: nil)
        }
        while let message = try? await messages.next() {
            guard case .text(let text) = message, let frame = try? FollowerFrame.decode(text) else {
                logger.warning("the cluster link dropped a frame it cannot read", metadata: ["node": "\(node)"])
                continue
            }
            switch frame {
            case .hello: continue
            case .relay(let relayedFrame):
                relayed.deliver(relayedFrame)
                await routing.relay(relayedFrame, except: key)
            case .sync(let id):
                await routing.answerSync(key, id: id)
            case .command(let id, let command):
                forwards.start(id) {
                    do throws(RoutingService.Failure) { try await routing.execute(command, origin: id) } catch {
                        await routing.sendToFollower(key, .failed(id: id, error))
                    }
                }
            case .message(let id, let message):
                forwards.start(id) {
                    do throws(RoutingService.Failure) { _ = try await routing.commitMessage(message, origin: id) } catch {
                        await routing.sendToFollower(key, .failed(id: id, error))
                    }
                }
            }
        }
        await routing.unsubscribeFollower(key)
        await writer.value
        logger.info("a follower's link closed", metadata: ["node": "\(node)"])
    }
}

/// Forwarded requests being carried out, by origin id. They run on tasks of their own, not the
/// link's: a request goes on to its end when its link drops, and the follower's next link waits
/// for it (``waitFor(_:)``) so the follower learns its outcome from the journal.
final class ForwardsInFlight: Sendable {
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])

    func start(_ origin: String, _ work: @escaping @Sendable () async -> Void) {
        tasks.withLock { tasks in
            tasks[origin] = Task { [self] in
                await work()
                self.tasks.withLock { _ = $0.removeValue(forKey: origin) }
            }
        }
    }

    func waitFor(_ origins: [String]) async {
        for origin in origins {
            await tasks.withLock { $0[origin] }?.value
        }
    }
}
