import RtpEngine
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardSIP

/// The agent's side of phone calls (its browser's offers, hold, digits), what the routing core
/// tells about them, and hanging up.
extension PhoneGateway {
    func agentSignal(_ signal: CallSignal, session: SessionID) async {
        guard var call = calls[session] else {
            // A browser can offer before its call is registered: an outbound call before `placeCall`
            // returns, an inbound one accepted the instant it was queued.
            if signal.kind == .offer, let sdp = signal.sdp, await routing.read({ $0.sessions[session]?.type == .phone }) {
                earlyOffers[session] = sdp
            }
            return
        }
        guard let media else { return }
        let id = call.callId
        do {
            switch signal.kind {
            case .offer:
                guard let sdp = signal.sdp else { return }
                if call.stage == .awaitingAgentOffer {
                    await dialOut(session, browserSDP: sdp)
                } else {
                    try await attachBrowser(session, browserSDP: sdp)
                }
            case .hold:
                guard call.stage == .established, !call.onHold else { return }
                if call.playing { try? await media.client.stopMedia(callId: id, fromTag: PhoneCall.carrierTag) }
                // Hold is not recorded: neither the hold audio nor what the caller says meanwhile.
                await pauseRecording(session)
                _ = try await media.client.playMedia(callId: id, fromTag: PhoneCall.carrierTag, file: holdAudio, repeatTimes: 10_000)
                // `play media` adds to what the agent sends; the agent's voice must stop too.
                try await media.client.blockMedia(callId: id, fromTag: PhoneCall.agentTag)
                call.onHold = true
                call.playing = true
                call.capturing = false
                calls[session] = call
            case .unhold:
                guard call.onHold else { return }
                try await media.client.stopMedia(callId: id, fromTag: PhoneCall.carrierTag)
                try await media.client.unblockMedia(callId: id, fromTag: PhoneCall.agentTag)
                call.onHold = false
                call.playing = false
                call.capturing = calls[session]?.capturing ?? call.capturing
                calls[session] = call
                await startRecordingIfWanted(session)
            case .dtmf:
                // RFC 4733 events to the carrier; a ',' is a pause the carrier does not need.
                for key in signal.digits ?? "" where key != "," {
                    guard let digit = DTMFDigit(key) else { continue }
                    try await media.client.playDTMF(callId: id, fromTag: PhoneCall.agentTag, digit: digit)
                }
            case .answer, .candidate, .restart:
                // The browser offers with its candidates gathered; rtpengine answers: nothing to relay.
                break
            }
        } catch {
            logger.warning("media control for a phone call failed", metadata: [
                "session": "\(session)", "signal": "\(signal.kind.rawValue)", "error": "\(error)",
            ])
        }
    }

    /// Binds the agent leg to this browser (first accept, a transfer, a reload) and answers it. The
    /// carrier-facing port stays as it is, so the carrier notices nothing (phone-media.md).
    func attachBrowser(_ session: SessionID, browserSDP: String) async throws {
        guard var call = calls[session], let media, let carrierSDP = call.carrierSDP else { return }
        if call.playing, !call.onHold {
            try? await media.client.stopMedia(callId: call.callId, fromTag: PhoneCall.carrierTag)
            call.playing = false
        }
        // The carrier keeps its telephone-event number (it got no re-INVITE), or rtpengine drops it and
        // `play DTMF` sends in-band tones instead of RFC 4733 events.
        let numbers = TelephoneEventPayloadTypes(browserSDP: browserSDP, carrierSDP: carrierSDP)
        _ = try await media.client.offer(
            callId: call.callId, fromTag: PhoneCall.agentTag, toTag: PhoneCall.carrierTag, sdp: numbers?.apply(to: browserSDP) ?? browserSDP,
            flags: RtpEngineFlags.agentAttachOffer + .injectDTMF)
        let answer = try await media.client.answer(
            callId: call.callId, fromTag: PhoneCall.agentTag, toTag: PhoneCall.carrierTag, sdp: carrierSDP, flags: RtpEngineFlags.agentAttachAnswer + .injectDTMF)
        call.browserAnswered = true
        call.agentAttached = true
        calls[session] = call
        await sendToAgent(.answer(numbers?.apply(to: answer) ?? answer), in: session)
        // The agent's answer: recording starts here (for a transfer's next agent, it goes on).
        if call.direction == .inbound { await startRecordingIfWanted(session) }
    }

    /// Sends a signal to the agent holding the session.
    func sendToAgent(_ signal: CallSignal, in session: SessionID) async {
        guard let holder = await routing.read({ $0.sessions[session]?.state.agent }) else { return }
        _ = agents.broadcast(AgentServerFrame.signal(sessionId: session.rawValue, signal).encodedText(), to: holder.rawValue)
    }

    /// Plays queue audio to a caller no agent's browser is attached to.
    func playQueueAudio(_ session: SessionID) async {
        guard var call = calls[session], !call.agentAttached, !call.playing, let media else { return }
        // Marked before the request: an agent attaching meanwhile then stops it.
        call.playing = true
        calls[session] = call
        do {
            _ = try await media.client.playMedia(callId: call.callId, fromTag: PhoneCall.carrierTag, file: queueAudio, repeatTimes: 10_000)
        } catch {
            calls[session]?.playing = false
            logger.warning("cannot play audio to the caller", metadata: ["session": "\(session)", "error": "\(error)"])
        }
    }

    func handleNotification(_ notification: CustomerNotification, session: SessionID) async {
        guard var call = calls[session] else { return }
        switch notification {
        case .agentJoined:
            if let ok = call.heldAnswer { await answerCarrier(session, with: ok) }
        case .transferred, .queued:
            // Transferred, or back in the queue because its agent's connection was lost: the
            // agent leg goes quiet until the next agent's browser offers; the caller waits with
            // queue audio, off hold (a hold belongs to the agent who set it).
            guard call.stage == .established, let media else { return }
            calls[session]?.agentAttached = false
            if call.onHold {
                calls[session]?.onHold = false
                calls[session]?.playing = false
                try? await media.client.stopMedia(callId: call.callId, fromTag: PhoneCall.carrierTag)
                try? await media.client.unblockMedia(callId: call.callId, fromTag: PhoneCall.agentTag)
            }
            await playQueueAudio(session)
        case .ended(let closeBy):
            // A call already being closed from our side (CANCEL sent) needs nothing more.
            guard !call.ending else { return }
            logger.info("phone session ended", metadata: ["session": "\(session)", "closeBy": "\(closeBy.rawValue)"])
            await hangUp(call, reason: "session ended by \(closeBy.rawValue)")
        case .ringing:
            break
        }
    }

    /// Ends the carrier leg from our side: BYE once answered, 480 to an INVITE still ringing; then
    /// frees the media.
    func hangUp(_ call: PhoneCall, reason: String) async {
        if case .inviting(let provisional) = call.stage {
            // An INVITE still ringing: CANCEL it (RFC 3261 §9.1: once any provisional response has
            // come), and keep the call until its final response, or 64·T1, closes it.
            var ending = call
            ending.ending = true
            ending.deadline = now().adding(milliseconds: endpoint.timers.transactionTimeout)
            ending.cancelWhenProvisional = !provisional
            calls[call.session] = ending
            if provisional { await cancelInvite(call.session) }
            return
        }
        if var dialog = call.dialog {
            let bye = dialog.makeRequest(.bye, agent: profile)
            await sendRequest(bye, to: call.peer)
        } else if let invite = call.inboundInvite, call.heldAnswer != nil {
            await respond(invite.makeResponse(.temporarilyUnavailable, toTag: call.heldAnswer?.to?.tag))
        }
        tearDown(call)
    }

    /// Forgets the call now and frees its media beside the SIP loop.
    func tearDown(_ call: PhoneCall) {
        forget(call)
        let callId = call.callId
        let relay = media
        spawn {
            await self.finishRecording(of: call, relay: relay)
            await self.freeMedia(callId)
        }
    }

    func freeMedia(_ callId: String) async {
        _ = try? await media?.client.delete(callId: callId)
    }

    /// rtpengine died: every call has lost its audio. End them cleanly, say so in `/readyz`, and
    /// start a new rtpengine for the calls to come (retrying until one runs).
    func mediaRelayStopped(pid: Int32?, _ why: String) async {
        guard let relay = media, relay.process?.pid == pid else { return }  // a report about one already replaced
        logger.error("the media relay stopped; ending the calls it carried", metadata: ["why": "\(why)"])
        updateStatus { $0.ready = false; $0.problem = "the media relay stopped; a new one is starting" }
        media = nil
        await relay.stop()
        for callId in settingUp.keys where settingUp[callId] == .running { settingUp[callId] = .mediaLost }
        for session in Array(calls.keys) {
            guard let call = calls[session] else { continue }
            await hangUp(call, reason: "media relay stopped")
            spawn { _ = try? await self.routing.execute(.adminEnd(session, mainReason: "mediaFailure", subReason: why)) }
        }
        // Retries sleep between attempts: beside the SIP loop, which answers 503 meanwhile.
        spawn { await self.restartMediaRelay() }
    }

    private func restartMediaRelay() async {
        var delay = Duration.milliseconds(500)
        while media == nil, !Task.isCancelled {
            do {
                media = try await PhoneMediaRelay.start(
                    configuration: configuration, stateDirectory: dataDirectory, digitsPort: digits?.port ?? 0, logger: logger)
                updateStatus { $0.ready = true; $0.problem = nil }
                logger.notice("a new media relay is running")
                return
            } catch {
                updateStatus { $0.problem = "the media relay stopped and could not be restarted: \(error); retrying" }
                logger.error("the media relay could not be restarted; retrying", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(30))
            }
        }
    }

    /// After a crash: the carrier still has the calls this server answered or placed. BYE each one,
    /// and end the phone sessions the routing core still has (`closeBy: 'admin'`,
    /// `mainReason: 'serverRestart'`): their audio went with the old process.
    func hangUpCallsLeftByACrash() async {
        for leg in ledger.leftovers() {
            guard let target = try? SIPURI(parsing: leg.remoteTarget) else {
                ledger.remove(callId: leg.callId)
                continue
            }
            var bye = SIPMessage(method: .bye, uri: target)
            bye.headers.add(.via, profile.via(branch: SIPIdentifiers.branch()).description)
            bye.headers.add(.maxForwards, "70")
            for route in leg.routeSet { bye.headers.add(.route, route) }
            bye.headers.add(.from, leg.localURI)
            bye.headers.add(.to, leg.remoteURI)
            bye.headers.add(.callID, leg.callId)
            bye.headers.add(.cseq, SIPCSeq(leg.localCSeq + 1, .bye).description)
            logger.notice("hanging up a call left by a crash", metadata: ["session": "\(leg.sessionId)", "callId": "\(leg.callId)"])
            await sendRequest(bye, to: SIPTransportAddress(host: leg.peerHost, port: leg.peerPort))
            _ = try? await media?.client.delete(callId: leg.callId)
            ledger.remove(callId: leg.callId)
        }
        let live = await routing.read { machine in machine.sessions.values.filter { $0.type == .phone }.map(\.id) }
        for session in live {
            do {
                try await routing.execute(.adminEnd(session, mainReason: "serverRestart", subReason: "the server restarted and the call's audio was lost"))
            } catch {
                logger.warning("a phone session left by a crash could not be ended", metadata: ["session": "\(session)", "error": "\(error)"])
            }
        }
    }
}

extension PhoneGateway {
    /// What rtpengine counted for a live phone call, per leg; nil when the session is not a phone
    /// call this gateway carries.
    func mediaCounters(of session: SessionID) async throws -> [PhoneLegCounters]? {
        guard let call = calls[session], let media else { return nil }
        let statistics = try await media.client.query(callId: call.callId)
        return [PhoneCall.carrierTag, PhoneCall.agentTag].compactMap { tag in
            statistics.participants[tag].map { participant in
                PhoneLegCounters(
                    leg: tag, codec: participant.medias.first?.codec, transport: participant.medias.first?.transport,
                    packetsReceived: participant.rtpPacketsReceived, bytesReceived: participant.rtpBytesReceived)
            }
        }
    }
}

/// One leg of a phone call as rtpengine counts it: what it received from that side.
public struct PhoneLegCounters: Sendable, Codable, Equatable {
    /// `carrier` (the telephone network) or `agent` (the agent's browser).
    public var leg: String
    /// The codec in use on that leg, once known.
    public var codec: String?
    /// `RTP/AVP` (carrier) or `UDP/TLS/RTP/SAVPF` (browser).
    public var transport: String?
    /// RTP packets received from that side.
    public var packetsReceived: Int64
    /// RTP bytes received from that side.
    public var bytesReceived: Int64
}
