import RtpEngine
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardSIP

/// Calls agents place (`Call.startOutboundCall`): dialled once the agent's browser has made its
/// offer, which becomes the INVITE's SDP through rtpengine.
extension PhoneGateway {
    /// Seconds the agent's browser has to make its offer after dialling.
    static let browserOfferSeconds: Int64 = 20

    /// Checks that the number may be dialled, then creates the session. The INVITE follows the
    /// browser's offer.
    func placeCall(by agent: AgentID, _ request: OutboundCall) async throws -> StartedCall {
        guard configuration.trunk != nil else {
            throw CallSignaling.Refusal("cannot call \(request.phoneNumber): no trunk for outbound calls is configured on this server (--trunk)")
        }
        guard configuration.allowsDialling(request.phoneNumber) else {
            throw CallSignaling.Refusal("calling \(request.phoneNumber) is not allowed on this server; an administrator can allow destinations with --dial-allow")
        }
        guard media != nil, currentStatus.ready else {
            throw CallSignaling.Refusal("cannot call \(request.phoneNumber) now: the phone channel is not ready (\(currentStatus.problem ?? "starting"))")
        }
        guard calls.count < configuration.maximumCalls else {
            throw CallSignaling.Refusal("cannot call \(request.phoneNumber) now: the server carries its maximum of \(configuration.maximumCalls) calls")
        }
        if let presented = request.callerPhoneNumber {
            let own = await routing.read { Array($0.phoneNumbers.keys) }
            guard configuration.allowsPresenting(presented, ownNumbers: own) else {
                throw CallSignaling.Refusal("cannot present \(presented) as the caller: only --caller-id and the numbers bound to this tenant (/api/v1/phone-numbers) may be presented")
            }
        }
        var dial = request
        dial.callerPhoneNumber = request.callerPhoneNumber ?? configuration.defaultCallerNumber
        let reply = try await routing.execute(.startOutboundCall(agent, dial))
        guard case .sessionCreated(let session) = reply else { throw CallSignaling.Refusal("the call was not placed; try again") }
        var call = PhoneCall(
            session: session, direction: .outbound, callId: SIPIdentifiers.callID(host: profile.viaHost),
            peer: SIPTransportAddress(host: configuration.trunk!.host, port: configuration.trunk!.port), stage: .awaitingAgentOffer)
        call.calleeNumber = dial.phoneNumber
        call.callerNumber = dial.callerPhoneNumber
        call.uui = dial.uui.map { String($0.utf8.prefix(128)) ?? $0 }
        call.deadline = now().adding(milliseconds: Self.browserOfferSeconds * 1000)
        register(call)
        logger.info("outbound call placed", metadata: ["session": "\(session)", "agent": "\(agent)", "number": "\(dial.phoneNumber)"])
        if let offer = earlyOffers.removeValue(forKey: session) {
            // The browser was quicker than this function.
            await dialOut(session, browserSDP: offer)
        }
        return StartedCall(sessionId: session.rawValue, calleePhoneNumber: dial.phoneNumber, callerPhoneNumber: dial.callerPhoneNumber, serverType: "staffSeat")
    }

    /// Sends the INVITE with the carrier-facing SDP rtpengine makes from the browser's offer.
    func dialOut(_ session: SessionID, browserSDP: String) async {
        guard var call = calls[session], call.stage == .awaitingAgentOffer, let media else { return }
        // Claimed before the await: a second offer meanwhile does not dial twice.
        calls[session]?.stage = .inviting(provisional: false)
        let carrierOffer: String
        do {
            carrierOffer = try await media.client.offer(
                callId: call.callId, fromTag: PhoneCall.agentTag, sdp: browserSDP, flags: RtpEngineFlags.agentAttachOffer + .injectDTMF)
        } catch {
            logger.warning("rtpengine refused the browser's offer", metadata: ["session": "\(session)", "error": "\(error)"])
            await failOutbound(call, .error, detail: "the agent's audio could not be set up: \(error)")
            return
        }
        guard let current = calls[session], !current.ending, !current.cancelWhenProvisional else {
            // The session ended while rtpengine answered (the agent hung up): nothing is dialled.
            if let current = calls[session] { tearDown(current) } else { await freeMedia(call.callId) }
            return
        }
        call = current
        let trunk = configuration.trunk!
        let callee = SIPNameAddress(uri: SIPURI(user: Self.escapedUser(call.calleeNumber ?? ""), host: trunk.host, port: trunk.port))
        // Trunks authenticate and bill by the From user at their own domain.
        let caller = SIPNameAddress(uri: SIPURI(user: Self.escapedUser(call.callerNumber ?? "anonymous"), host: trunk.host))
        // TCCC's uui goes as RFC 7433 User-to-User, hex-encoded: nothing an agent sends can break
        // out of the header.
        let extra = call.uui.map { [SIPHeaderField(SIPHeaderName("User-to-User"), Array($0.utf8).map { String(format: "%02x", $0) }.joined() + ";encoding=hex")] } ?? []
        let invite = SIPOutgoingInvite(
            to: callee, from: caller, agent: profile, sdp: Array(carrierOffer.utf8), callID: call.callId, extraHeaders: extra)
        call.outboundInvite = invite
        call.localSDP = carrierOffer
        call.stage = .inviting(provisional: false)
        call.deadline = now().adding(milliseconds: Int64(configuration.outboundRingSeconds) * 1000)
        calls[session] = call
        await sendRequest(invite.request, to: call.peer)
    }

    /// A response from the carrier to one of our requests.
    func received(_ response: SIPMessage, to request: SIPMessage) async {
        guard request.method == .invite, let status = response.status else { return }
        guard let session = session(of: response), var call = calls[session], call.direction == .outbound else {
            if status.isSuccess { await refuseLateAnswer(response, to: request) }
            return
        }
        switch status.code {
        case 100..<200:
            if case .inviting = call.stage { call.stage = .inviting(provisional: true) }
            calls[session] = call
            if call.cancelWhenProvisional {
                await cancelInvite(session)
            } else if !response.body.isEmpty, !call.browserAnswered {
                // Early media: the agent hears the carrier's ringback or announcement.
                await answerBrowser(session, carrierSDP: response.bodyText)
            }
        case 200..<300:
            await calleeAnswered(session, response: response)
        case 401, 407:
            if call.ending || call.cancelWhenProvisional {
                // The agent hung up before the trunk even let the call through: never retry it.
                tearDown(call)
                return
            }
            call.challenges += 1
            guard call.challenges <= 2 else {
                await failOutbound(call, .operatorError, detail: "the trunk keeps challenging the credentials (\(status.code)); check --trunk-username and the password")
                return
            }
            guard let username = configuration.trunkUsername, let password = configuration.trunkPassword, var invite = call.outboundInvite else {
                await failOutbound(call, .operatorError, detail: "the trunk asked for credentials (\(status.code)); configure --trunk-username and SWITCHBOARD_TRUNK_PASSWORD")
                return
            }
            do {
                let retry = try invite.authenticate(after: response, credentials: SIPDigestCredentials(username: username, password: password))
                call.outboundInvite = invite
                calls[session] = call
                await sendRequest(retry, to: call.peer)
            } catch {
                await failOutbound(call, .operatorError, detail: "\(status.code) from the trunk: \(error)")
            }
        default:
            if call.cancelWhenProvisional || call.ending {
                // The agent hung up first; the 487 (or whatever came) closes it.
                tearDown(call)
                return
            }
            await failOutbound(call, Self.failure(for: status.code), detail: "\(status.code) \(status.reason)")
        }
    }

    /// A 2xx for a call we have already given up on (it rang out, the agent left): the callee
    /// picked up after all. ACK it, as RFC 3261 requires, and hang up at once.
    private func refuseLateAnswer(_ response: SIPMessage, to invite: SIPMessage) async {
        guard var dialog = SIPDialog(uacRequest: invite, response: response) else { return }
        let peer = invite.nextHop?.transportAddress ?? configuration.trunk.map { SIPTransportAddress(host: $0.host, port: $0.port) }
        guard let peer else { return }
        logger.info("a callee answered a call already given up; hanging up", metadata: ["callId": "\(response.callID ?? "-")"])
        await sendRequest(dialog.makeACK(for: response, agent: profile), to: peer)
        await sendRequest(dialog.makeRequest(.bye, agent: profile), to: peer)
    }

    private func calleeAnswered(_ session: SessionID, response: SIPMessage) async {
        guard var call = calls[session], let invite = call.outboundInvite else { return }
        if let answered = call.dialog, response.to?.tag != answered.id.remoteTag {
            // A second fork of the INVITE answered too: only one callee gets the call.
            await refuseLateAnswer(response, to: invite.request)
            return
        }
        var dialog = call.dialog ?? SIPDialog(uacRequest: invite.request, response: response)
        guard dialog != nil else { return }
        let ack = dialog!.makeACK(for: response, agent: profile)
        await sendRequest(ack, to: call.peer)
        if call.dialog != nil { return }  // a retransmitted 2xx: ACKed again, nothing else
        dialog!.update(with: response)
        call.dialog = dialog
        call.stage = .established
        call.deadline = nil
        calls[session] = call
        if call.cancelWhenProvisional || call.ending {
            // The agent hung up while the 200 was on its way.
            await hangUp(call, reason: "the agent hung up before the answer arrived")
            return
        }
        do { try ledger.save(leg(of: call, dialog: dialog!)) } catch {
            logger.error("cannot record the carrier leg; hanging up", metadata: ["session": "\(session)", "error": "\(error)"])
            await hangUp(call, reason: "cannot record the call")
            _ = try? await routing.execute(.adminEnd(session, mainReason: "error", subReason: "the server could not record the call: \(error)"))
            return
        }
        if !call.browserAnswered, !response.body.isEmpty { await answerBrowser(session, carrierSDP: response.bodyText) }
        // The callee answered: an outbound call is recorded from here.
        await startRecordingIfWanted(session)
        logger.info("outbound call answered", metadata: ["session": "\(session)"])
        do { try await routing.execute(.calleeAnswered(session)) } catch {
            // The session ended meanwhile (the agent's socket, an admin): the carrier goes too.
            if let call = calls[session] { await hangUp(call, reason: "the session ended before the answer") }
        }
    }

    /// Gives the agent's browser the SDP answer rtpengine makes from the carrier's SDP.
    func answerBrowser(_ session: SessionID, carrierSDP: String) async {
        guard var call = calls[session], let media else { return }
        do {
            let browserAnswer = try await media.client.answer(
                callId: call.callId, fromTag: PhoneCall.agentTag, toTag: PhoneCall.carrierTag, sdp: carrierSDP, flags: RtpEngineFlags.agentAttachAnswer + .injectDTMF)
            call.carrierSDP = carrierSDP
            call.browserAnswered = true
            calls[session] = call
            await sendToAgent(.answer(browserAnswer), in: session)
        } catch {
            logger.warning("rtpengine refused the carrier's answer", metadata: ["session": "\(session)", "error": "\(error)"])
        }
    }

    func failOutbound(_ call: PhoneCall, _ failure: OutboundCallFailure, detail: String) async {
        logger.info("outbound call failed", metadata: ["session": "\(call.session)", "why": "\(detail)"])
        tearDown(call)
        // What the carrier or a library said can be long; the record keeps a readable head of it.
        let shortened = detail.count > 300 ? String(detail.prefix(300)) + "…" : detail
        let session = call.session
        spawn { _ = try? await self.routing.execute(.outboundCallFailed(session, failure, detail: shortened)) }
    }

    func cancelInvite(_ session: SessionID) async {
        guard var call = calls[session], let invite = call.outboundInvite else { return }
        call.ending = true
        call.cancelWhenProvisional = false
        call.deadline = now().adding(milliseconds: endpoint.timers.transactionTimeout)
        calls[session] = call
        await sendRequest(invite.makeCancel(), to: call.peer)
    }

    /// A dialled number as a SIP URI user: `#` must be escaped (RFC 3261 §19.1.2); digits, `*` and
    /// a leading `+` (all `checkNumber` lets through) stand as they are.
    static func escapedUser(_ number: String) -> String {
        number.replacingOccurrences(of: "#", with: "%23")
    }

    /// Outbound calls that rang too long, whose browser never offered, or whose CANCEL was never
    /// answered.
    func checkDeadlines() async {
        let current = now()
        for call in calls.values {
            guard let deadline = call.deadline, deadline <= current else { continue }
            switch call.stage {
            case .awaitingAgentOffer:
                await failOutbound(call, .error, detail: "the agent's browser did not start the call's audio within \(Self.browserOfferSeconds) s")
            case .inviting where call.ending:
                tearDown(call)
            case .inviting:
                logger.info("outbound call not answered in time", metadata: ["session": "\(call.session)"])
                await hangUp(call, reason: "no answer")
                let session = call.session
                let detail = "no answer within \(configuration.outboundRingSeconds) s"
                spawn { _ = try? await self.routing.execute(.outboundCallFailed(session, .notAnswer, detail: detail)) }
            default:
                break
            }
        }
    }

    /// A request of ours got no final response.
    func requestTimedOut(_ request: SIPMessage) async {
        guard request.method == .invite, let session = session(of: request), let call = calls[session], call.direction == .outbound else { return }
        if call.ending {
            tearDown(call)
            return
        }
        await failOutbound(call, .operatorError, detail: "the trunk did not answer the INVITE")
    }

    /// How a final SIP failure is recorded, as TCCC's end statuses spell it.
    static func failure(for code: Int) -> OutboundCallFailure {
        switch code {
        case 486, 600: .busy
        case 408, 480, 487: .notAnswer
        case 603: .userReject
        case 404, 410, 484, 604: .numberNotExist
        case 500..<600: .operatorError
        default: .error
        }
    }
}
