import HummingbirdWebSocket
import Logging
import NIOWebSocket
import SwitchboardCore
import SwitchboardProtocol

/// One chat widget connection on `/ws/customer`: `start` or `resume` first, then messages, and
/// `leave`. The customer is anonymous; the session id and its secret are its only credentials.
struct CustomerSocket: Sendable {
    let server: ServerComponents
    /// The client's address, for the per-address start limit.
    let address: String

    /// Runs the connection: reads `frames`, writes through `writer`, until either side ends it.
    func run(source frames: any FrameSource, writer: BridgedWriter, logger: Logger) async {
        var source: any FrameSource = frames
        let limit = server.configuration.maximumFrameSize
        let reply: @Sendable (CustomerServerFrame) async -> Void = { frame in await writer.write(frame.encodedText()) }

        // 1. start or resume (a web call through an IVR flow walks its menu first).
        var opened: (SessionID, CustomerHub.ConnectionKey, AsyncStream<String>, resumeFrom: String?, resuming: Bool)?
        while opened == nil {
            guard let message = await source.next() else { return }
            let frame: CustomerClientFrame
            switch message.frame(as: CustomerClientFrame.self, maximumSize: limit) {
            case .success(let decoded): frame = decoded
            case .failure(let error):
                await reply(.error(error))
                continue
            }
            switch frame {
            case .start(let start) where start.ivrFlowId != nil:
                let flowId = IVRFlowID(start.ivrFlowId ?? "")
                if let refusal = CustomerChannel(server: server).admit(start, from: address) {
                    await reply(.error(refusal))
                    continue
                }
                // On a follower, a flow another node has just acknowledged creating must be found.
                await server.awaitCurrentReplica()
                guard let flow = await server.routing.read({ $0.ivrFlows[flowId] }) else {
                    await reply(.error(ProtocolError(.invalidValue, "field 'ivrFlowId': IVR flow \(flowId) does not exist")))
                    continue
                }
                let pumped = PumpedFrames(frames)
                source = pumped
                switch await CustomerIVRWalk(server: server, flow: flow, start: start, logger: logger, reply: reply).run(pumped) {
                case .queued(let session):
                    pumped.stopTicking()
                    let (key, stream) = await attach(session)
                    opened = (session, key, stream, nil, false)
                case .ended:
                    writer.close(.normalClosure, reason: "")
                    return
                }
            case .start(let start):
                switch await CustomerChannel(server: server).start(start, from: address) {
                case .success(let session):
                    let (key, stream) = await attach(session)
                    opened = (session, key, stream, nil, false)
                case .failure(let error):
                    await reply(.error(error))
                }
            case .resume(let sessionId, let secret, let resumeFrom):
                let session = SessionID(sessionId)
                do {
                    guard try await CustomerChannel(server: server).isAuthorized(session, secret: secret) else {
                        await reply(.error(ProtocolError(.sessionNotFound, "no session matches that id and secret")))
                        continue
                    }
                } catch {
                    await reply(.error(ProtocolError(.internalError, "could not look the session up (\(error)); try again")))
                    continue
                }
                let (key, stream) = await attach(session)
                opened = (session, key, stream, resumeFrom, true)
            case .message, .typing, .leave, .signal, .digit:
                await reply(.error(ProtocolError(.unexpectedFrame, "send start or resume first")))
            }
        }
        guard let (session, key, stream, resumeFrom, resuming) = opened else { return }

        // 2. Replay the transcript after `resumeFrom` to this connection only. Live messages may
        //    arrive in between; the widget orders and de-duplicates by message id.
        if resuming {
            await replayMessages(of: session, after: resumeFrom, to: key)
        }

        // 3. Write what the hub queues; read what the customer sends.
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in stream {
                    guard await writer.write(text) else { break }
                }
                // The stream finishes after `ended`, or when this connection detaches.
                writer.close(.normalClosure, reason: "")
            }
            let rate = server.configuration.customerFrameRate
            var rateLimit = FrameRateLimit(perSecond: rate, burst: rate * 3)
            while let message = await source.next() {
                guard rateLimit.allow() else {
                    server.customerHub.send(.error(ProtocolError(.rateLimited, "too many frames: at most \(Int(rate)) a second on average; this one was not handled")), to: key)
                    continue
                }
                await handle(message, session: session, key: key, limit: limit)
            }
            server.customerHub.detach(key)
            group.cancelAll()
        }
        logger.debug("customer disconnected", metadata: ["session": "\(session)"])
        server.calls.hangUpIfAbandoned(session, logger: logger)
    }

    /// Attaches atomically with event delivery, so no frame falls between the state sent here and
    /// the live ones.
    private func attach(_ session: SessionID) async -> (CustomerHub.ConnectionKey, AsyncStream<String>) {
        let secret = server.authenticator.customerSecret(for: session)
        let ended = await server.routing.read { $0.sessions[session] == nil }
        var endedFrame: CustomerServerFrame?
        if ended, let record = try? await server.store.session(session) {
            endedFrame = .ended(closeBy: record.closeBy.map(WireTranslation.closeBy) ?? .timer)
        }
        let iceServers = server.configuration.ice.iceServers(for: "customer-\(session)")
        let onHold = server.calls.holds.contains(session)
        return await server.routing.read { machine in
            var prefix = [CustomerServerFrame.started(sessionId: session.rawValue, secret: secret).encodedText()]
            if var state = CustomerChannel.stateFrame(of: session, machine: machine) {
                if case .agentJoined(let nickname, _) = state,
                   machine.sessions[session].map({ CallSignaling.callTypes.contains($0.type) }) == true {
                    state = .agentJoined(nickname: nickname, iceServers: iceServers)
                }
                prefix.append(state.encodedText())
                if onHold { prefix.append(CustomerServerFrame.signal(.hold).encodedText()) }
            } else if let endedFrame {
                prefix.append(endedFrame.encodedText())
            }
            return server.customerHub.attach(session: session.rawValue, prefix: prefix)
        }
    }

    private func replayMessages(of session: SessionID, after resumeFrom: String?, to key: CustomerHub.ConnectionKey) async {
        var cursor = resumeFrom
        while true {
            let query = MessageQuery(sessionId: session.rawValue, order: .oldest, limit: MessageQuery.maximumLimit, cursor: cursor.map { .after($0) })
            guard let page = try? await server.messaging.page(query) else {
                server.customerHub.send(.error(ProtocolError(.invalidValue, "resumeFrom '\(resumeFrom ?? "")' is not a message id; sending nothing")), to: key)
                return
            }
            for message in page.messages { server.customerHub.send(.message(message), to: key) }
            guard page.hasMore, let last = page.messages.last else { return }
            cursor = last.messageId
        }
    }

    private func handle(_ message: WebSocketMessage, session: SessionID, key: CustomerHub.ConnectionKey, limit: Int) async {
        let frame: CustomerClientFrame
        switch message.frame(as: CustomerClientFrame.self, maximumSize: limit) {
        case .success(let decoded): frame = decoded
        case .failure(let error):
            server.customerHub.send(.error(error), to: key)
            return
        }
        switch frame {
        case .start, .resume:
            server.customerHub.send(.error(ProtocolError(.unexpectedFrame, "this connection already has session \(session); open a new one for another chat")), to: key)
        case .digit:
            server.customerHub.send(.error(ProtocolError(.unexpectedFrame, "no IVR menu is playing: keys go to a menu before the call is queued")), to: key)
        case .typing:
            do { try await server.messaging.customerTyping(in: session) } catch {
                server.customerHub.send(.error(ProtocolError(.unexpectedFrame, error.description)), to: key)
            }
        case .message(let text, let clientMessageId):
            do {
                _ = try await server.messaging.sendFromCustomer(session: session, text: text, clientMessageId: clientMessageId) { stored in
                    server.customerHub.send(.ack(clientMessageId: clientMessageId, messageId: ChatMessaging.wireId(stored.id)), to: key)
                }
            } catch {
                let code: ProtocolError.Code = error.retryAfter != nil ? .rateLimited : error.retryable ? .internalError : .invalidValue
                server.customerHub.send(.error(ProtocolError(code, error.description, retryAfter: error.retryAfter)), to: key)
            }
        case .signal(let signal):
            do {
                try await server.calls.relay(signal, in: session, from: .customer)
            } catch {
                server.customerHub.send(.error(ProtocolError(.invalidValue, "signal not sent: \(error.description)")), to: key)
            }
        case .leave:
            do {
                try await server.routing.execute(.customerLeft(session))
            } catch {
                // Already over: tell this connection so the widget can close.
                server.customerHub.send(.error(ProtocolError(.sessionNotFound, "session \(session) has already ended")), to: key)
            }
        }
    }
}
