import SwitchboardCore
import SwitchboardStore

/// The leader's side of several nodes: every commit goes to each linked follower's stream, and
/// connections no live node holds any more are dropped.
extension RoutingService {
    /// One linked follower: its node tag and where its frames go.
    struct FollowerStream {
        var node: String
        var frames: AsyncStream<String>.Continuation
    }

    /// How many frames a follower may have unsent before it is cut off (it links again and catches
    /// up from the journal): a follower that stopped reading must not hold the leader's memory.
    static let followerBacklogLimit = 4096

    /// Starts feeding a follower that holds the connections `holding`. Returns its stream's key and
    /// the stream, which begins with `welcome`: the last entry committed before it (earlier ones
    /// are in the store's journal). Connections of that node it no longer holds (their disconnect could not reach
    /// a leader) are disconnected now.
    func subscribeFollower(node: String, holding: Set<String>) -> (key: Int, frames: AsyncStream<String>) {
        let gone = machine.agents.values.flatMap { agent in
            agent.connections.filter { Self.node(holding: $0) == node && !holding.contains($0.rawValue) }.map { (agent.id, $0) }
        }
        if !gone.isEmpty {
            Task {
                for (agent, connection) in gone { _ = try? await self.execute(.disconnect(agent, connection)) }
            }
        }
        let (frames, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(Self.followerBacklogLimit))
        nextFollowerStream += 1
        followerStreams[nextFollowerStream] = FollowerStream(node: node, frames: continuation)
        continuation.yield(LeaderFrame.welcome(sequence: committedSequence, answersSync: true).encodedText)
        logger.info("a follower linked", metadata: ["node": "\(node)", "from": "\(committedSequence)"])
        return (nextFollowerStream, frames)
    }

    func unsubscribeFollower(_ key: Int) {
        followerStreams.removeValue(forKey: key)?.frames.finish()
    }

    /// Sends a frame to one follower (a forwarded request's failure), after everything fed before it.
    func sendToFollower(_ key: Int, _ frame: LeaderFrame) {
        guard let stream = followerStreams[key] else { return }
        if case .dropped = stream.frames.yield(frame.encodedText) { cutOff(key) }
    }

    /// Answers a follower's read barrier. Each commit's batch went into the same stream in the
    /// actor turn that committed it, so every batch committed so far is ahead of this answer.
    func answerSync(_ key: Int, id: String) {
        sendToFollower(key, .synced(id: id))
    }

    /// One commit to every follower, encoded once.
    func feedFollowers(_ changes: [ReplicatedChange]) {
        guard !followerStreams.isEmpty, !changes.isEmpty else { return }
        let text = LeaderFrame.batch(changes).encodedText
        for (key, stream) in followerStreams {
            if case .dropped = stream.frames.yield(text) { cutOff(key) }
        }
    }

    private func cutOff(_ key: Int) {
        guard let stream = followerStreams.removeValue(forKey: key) else { return }
        logger.warning("a follower fell too far behind; cutting its link (it catches up from the journal)", metadata: ["node": "\(stream.node)"])
        stream.frames.finish()
    }

    /// A frame for sockets on other nodes: from a follower to the leader; from the leader to every
    /// follower but the one it came from (`except`).
    func relay(_ frame: RelayedFrame, except: Int? = nil) {
        if let following {
            let sent = following.send?(FollowerFrame.relay(frame).encodedText) ?? false
            // A forced logout must not be lost to a failover: it goes out on the next link.
            // (Signals and typing are of the moment; a late one would only mislead.)
            if !sent, case .disconnectAgent = frame, following.heldBack.count < 1000 {
                self.following?.heldBack.append(frame)
            }
            return
        }
        guard !followerStreams.isEmpty else { return }
        let text = LeaderFrame.relay(frame).encodedText
        for (key, stream) in followerStreams where key != except {
            if case .dropped = stream.frames.yield(text) { cutOff(key) }
        }
    }

    /// Tells every follower to look for the next leader, and ends their streams.
    func endFollowerStreams(reason: String) {
        for stream in followerStreams.values {
            stream.frames.yield(LeaderFrame.goodbye(reason: reason).encodedText)
            stream.frames.finish()
        }
        followerStreams.removeAll()
    }

    /// The nodes whose followers are linked now.
    var linkedNodes: Set<String> { Set(followerStreams.values.map(\.node)) }

    /// The node that holds a connection: the tag after its id's last dot (nil for ids from before
    /// nodes were tagged, which only a process that is gone could hold).
    nonisolated static func node(holding connection: ConnectionID) -> String? {
        let raw = connection.rawValue
        guard let dot = raw.lastIndex(of: ".") else { return nil }
        return String(raw[raw.index(after: dot)...])
    }

    /// Every second: a connection that neither this node nor a linked follower holds, and has not
    /// for `grace`, is disconnected (which starts its agent's reconnect grace period). Covers the
    /// old leader's sockets after a failover, a follower that died, and sockets of a process that
    /// restarted. Runs while this node leads.
    func reapUnheldConnections(grace: Duration) async {
        var unheldSince: [ConnectionID: ContinuousClock.Instant] = [:]
        while isLeading {
            let linked = linkedNodes
            let now = ContinuousClock.now
            var due: [(AgentID, ConnectionID)] = []
            var unheld: [ConnectionID: ContinuousClock.Instant] = [:]
            for agent in machine.agents.values {
                for connection in agent.connections {
                    // This node's own: held while its socket is open. Another's: while it is linked.
                    if let node = Self.node(holding: connection), node == nodeTag ? held.contains(connection.rawValue) : linked.contains(node) {
                        continue
                    }
                    let since = unheldSince[connection] ?? now
                    if now - since >= grace { due.append((agent.id, connection)) } else { unheld[connection] = since }
                }
            }
            unheldSince = unheld
            for (agent, connection) in due {
                do { try await execute(.disconnect(agent, connection)) } catch {
                    logger.warning("a connection no node holds was not dropped", metadata: ["agent": "\(agent)", "error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
