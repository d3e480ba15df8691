import Foundation
import RtpEngine
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardSIP

/// Requests from the carrier: new calls, and what happens inside the calls' dialogs.
extension PhoneGateway {
    func received(_ request: SIPMessage, from source: SIPTransportAddress) async {
        // Only allowed sources get this far (`receive(_:from:)` refuses the others).
        guard let method = request.method, method != .ack else { return }
        if let refusal = profile.rejectDisallowedMethod(request) {
            await respond(refusal)
            return
        }
        if method == .options {
            await respond(profile.answerOptions(request))
            return
        }
        if request.to?.tag != nil {
            await receivedInDialog(request, method: method)
            return
        }
        switch method {
        case .invite:
            await incomingCall(request, from: source)
        default:
            await respond(request.makeResponse(.callDoesNotExist, toTag: SIPIdentifiers.tag()))
        }
    }

    /// A new call from the carrier: checked, admitted, given media, queued, answered.
    private func incomingCall(_ invite: SIPMessage, from source: SIPTransportAddress) async {
        if let refusal = profile.rejectUnsupportedExtensions(invite) {
            await respond(refusal)
            return
        }
        guard calls.count + settingUp.count < configuration.maximumCalls, admission.take(now: Double(now().milliseconds) / 1000) == nil else {
            var busy = invite.makeResponse(SIPStatus(code: 503, reason: "Service Unavailable (too many calls)"), toTag: SIPIdentifiers.tag())
            busy.headers.add(.retryAfter, "5")
            await respond(busy)
            return
        }
        guard let callId = invite.callID, sessionsByCallId[callId] == nil, settingUp[callId] == nil else {
            await respond(invite.makeResponse(SIPStatus(code: 482, reason: "Loop Detected"), toTag: SIPIdentifiers.tag()))
            return
        }
        guard invite.from?.tag != nil, invite.contacts.first != nil else {
            await respond(invite.makeResponse(SIPStatus(code: 400, reason: "Bad Request (an INVITE needs a From tag and a Contact)"), toTag: SIPIdentifiers.tag()))
            return
        }
        guard let number = Self.dialledNumber(invite), let binding = await binding(of: number) else {
            await respond(invite.makeResponse(SIPStatus(code: 404, reason: "Not Found (number not in service)"), toTag: SIPIdentifiers.tag()))
            return
        }
        guard invite.mediaType?.lowercased() == "application/sdp", !invite.body.isEmpty else {
            await respond(invite.makeResponse(SIPStatus(code: 488, reason: "Not Acceptable Here (an SDP offer is required)"), toTag: SIPIdentifiers.tag()))
            return
        }
        guard media != nil, sink != nil else {
            await respond(unavailable(invite, "media relay not running"))
            return
        }
        // The rest waits on rtpengine and a commit: it runs beside the SIP loop, so a burst of
        // INVITEs each gets its 100 Trying (sent above, by the transaction layer) at once.
        settingUp[callId] = .running
        spawn { await self.setUpIncomingCall(invite, from: source, number: number, binding: binding) }
    }

    /// Gives an admitted call its media, queues it and answers it (or rings, per number). A CANCEL
    /// that arrives meanwhile takes the Call-ID out of `settingUp`; what was done is then undone.
    private func setUpIncomingCall(_ invite: SIPMessage, from source: SIPTransportAddress, number: String, binding: PhoneNumberBinding) async {
        guard let callId = invite.callID else { return }
        guard let media, let sink else {
            settingUp[callId] = .mediaLost
            _ = await stillWanted(invite)
            return
        }
        let carrierSDP = invite.bodyText
        let answerSDP: String
        do {
            // The carrier leg is answered by rtpengine at once, bridged to a placeholder until an
            // agent's browser takes the agent leg (phone-media.md, sequence 2).
            _ = try await media.client.offer(
                callId: callId, fromTag: PhoneCall.carrierTag, sdp: carrierSDP, flags: RtpEngineFlags.carrierOfferAnsweredAtOnce + .injectDTMF)
            answerSDP = try await media.client.answer(
                callId: callId, fromTag: PhoneCall.carrierTag, toTag: PhoneCall.agentTag,
                sdp: sink.placeholderSDP(address: configuration.mediaAddress), flags: RtpEngineFlags.carrierFacing + .injectDTMF)
        } catch {
            logger.warning("rtpengine refused the caller's SDP", metadata: ["callId": "\(callId)", "error": "\(error)"])
            _ = try? await media.client.delete(callId: callId)
            if settingUp.removeValue(forKey: callId) == .running {
                await respond(invite.makeResponse(SIPStatus(code: 488, reason: "Not Acceptable Here"), toTag: SIPIdentifiers.tag()))
            }
            return
        }
        guard await stillWanted(invite) else {
            _ = try? await media.client.delete(callId: callId)
            return
        }
        let caller = invite.from?.uri.user.map(Self.plainNumber)
        // What the carrier sends is shown to agents and kept in records: bounded here.
        let customer = CustomerDetails(
            nickname: (invite.from?.displayName ?? caller).map { String($0.prefix(200)) }, calleePhoneNumber: number,
            callerPhoneNumber: caller.map { String($0.prefix(64)) }, ivrPath: [], serverType: "staffSeat")
        if let flowId = binding.ivrFlowId {
            await setUpFlowCall(invite, from: source, flowId: flowId, customer: customer, carrierSDP: carrierSDP, answerSDP: answerSDP)
            return
        }
        guard let group = binding.skillGroupId else { return }
        let session: SessionID
        do {
            let reply = try await routing.execute(.createSession(NewSession(
                type: .phone, skillGroupId: group, priority: binding.priority, customer: customer)))
            switch reply {
            case .sessionCreated(let created):
                session = created
            case .sessionTurnedAway(_, let endStatus, let reason):
                // Recorded with its end status. A full queue sounds busy, as a line with no free
                // seat; nobody online or outside working hours, unavailable.
                logger.info("an inbound call was turned away", metadata: ["number": "\(number)", "endStatus": "\(endStatus)", "reason": "\(reason)"])
                _ = try? await media.client.delete(callId: callId)
                if settingUp.removeValue(forKey: callId) == .running {
                    await respond(invite.makeResponse(Self.turnedAwayStatus(endStatus), toTag: SIPIdentifiers.tag()))
                }
                return
            case .done, .sessionRecorded:
                throw RoutingService.Failure.unavailable("no session")
            }
        } catch {
            logger.warning("an inbound call could not be queued", metadata: ["number": "\(number)", "error": "\(error)"])
            _ = try? await media.client.delete(callId: callId)
            if settingUp.removeValue(forKey: callId) == .running {
                if case .refused = error as? RoutingService.Failure {
                    // Refused for good (e.g. the number's group is gone): retrying will not help.
                    await respond(invite.makeResponse(SIPStatus(code: 480, reason: "Temporarily Unavailable (cannot queue the call)"), toTag: SIPIdentifiers.tag()))
                } else {
                    await respond(unavailable(invite, "cannot queue the call"))
                }
            }
            return
        }
        let outcome = settingUp[callId]
        guard await stillWanted(invite) else {
            // Cancelled (or the media relay died) while the call was being queued.
            _ = try? await media.client.delete(callId: callId)
            if outcome == .mediaLost {
                _ = try? await routing.execute(.adminEnd(session, mainReason: "mediaFailure", subReason: "the media relay stopped"))
            } else {
                _ = try? await routing.execute(.customerLeft(session))
            }
            return
        }
        settingUp[callId] = nil
        var call = PhoneCall(session: session, direction: .inbound, callId: callId, peer: source, stage: .ringing)
        call.inboundInvite = invite
        call.carrierSDP = carrierSDP
        call.localSDP = answerSDP
        let toTag = SIPIdentifiers.tag()
        let ok = invite.makeResponse(.ok, toTag: toTag, contact: profile.contact, body: Array(answerSDP.utf8), contentType: "application/sdp")
        register(call)
        logger.info("inbound call queued", metadata: ["session": "\(session)", "number": "\(number)", "caller": "\(caller ?? "-")"])
        // Notifications about the session from before it was registered were not queued for this
        // gateway: look at where it is now instead.
        guard let state = await routing.read({ $0.sessions[session]?.state }), calls[session] != nil else {
            // It ended at once (an admin, a group that refuses): the INVITE is refused, not answered.
            if let current = calls[session] { tearDown(current) }
            await respond(invite.makeResponse(.temporarilyUnavailable, toTag: toTag))
            return
        }
        if binding.answerWhenAccepted == true {
            calls[session]?.heldAnswer = ok
            await respond(invite.makeResponse(.ringing, toTag: toTag))
            if case .accepted = state { await answerCarrier(session, with: ok) }
            return
        }
        await answerCarrier(session, with: ok)
        if let offer = earlyOffers.removeValue(forKey: session) {
            do { try await attachBrowser(session, browserSDP: offer) } catch {
                logger.warning("the agent's early offer could not be attached", metadata: ["session": "\(session)", "error": "\(error)"])
            }
        }
        await playQueueAudio(session)
    }

    /// A call to a number bound to an IVR flow: answered at once and handed to the flow, under a
    /// provisional id until the flow queues it.
    private func setUpFlowCall(_ invite: SIPMessage, from source: SIPTransportAddress, flowId: IVRFlowID, customer: CustomerDetails, carrierSDP: String, answerSDP: String) async {
        guard let callId = invite.callID else { return }
        guard let flow = await routing.read({ $0.ivrFlows[flowId] }) else {
            _ = try? await media?.client.delete(callId: callId)
            if settingUp.removeValue(forKey: callId) == .running {
                await respond(invite.makeResponse(SIPStatus(code: 480, reason: "Temporarily Unavailable (the number's IVR flow is gone)"), toTag: SIPIdentifiers.tag()))
            }
            return
        }
        // The caller may have cancelled while the flow was looked up: then it was answered 487
        // already and nothing of it may start (no 200, no menu, no queued phantom).
        guard settingUp.removeValue(forKey: callId) == .running else {
            _ = try? await media?.client.delete(callId: callId)
            return
        }
        let id = SessionID("ivr-\(nextFlowCall)")
        nextFlowCall += 1
        var call = PhoneCall(session: id, direction: .inbound, callId: callId, peer: source, stage: .ringing)
        call.inboundInvite = invite
        call.carrierSDP = carrierSDP
        call.localSDP = answerSDP
        let ok = invite.makeResponse(.ok, toTag: SIPIdentifiers.tag(), contact: profile.contact, body: Array(answerSDP.utf8), contentType: "application/sdp")
        await startFlow(call, ok: ok, flow: flow, customer: customer)
    }

    /// Whether a call being set up should go on; if not, answers it as its fate says (503 when the
    /// media relay died; nothing after a CANCEL, which was answered already) and forgets it.
    private func stillWanted(_ invite: SIPMessage) async -> Bool {
        guard let callId = invite.callID else { return false }
        switch settingUp[callId] {
        case .running:
            return true
        case .mediaLost:
            settingUp[callId] = nil
            await respond(unavailable(invite, "media relay restarting"))
            return false
        case .cancelled, nil:
            settingUp[callId] = nil
            return false
        }
    }

    /// The number the caller dialled: the Request-URI's user (else the To's), percent-decoded and
    /// without user parameters (`;npdi`, `;rn=`).
    static func dialledNumber(_ invite: SIPMessage) -> String? {
        (invite.requestURI?.user ?? invite.to?.uri.user).map(plainNumber)
    }

    static func plainNumber(_ user: String) -> String {
        let decoded = user.removingPercentEncoding ?? user
        return String(decoded.prefix { $0 != ";" })
    }

    /// The number's binding: from the admin API, else from `--phone-number`.
    private func binding(of number: String) async -> PhoneNumberBinding? {
        if let stored = await routing.read({ $0.phoneNumbers[number] }) { return stored }
        return configuration.numbers.first { $0.number == number }
    }

    /// The final answer to a call its skill group turned away, by the record's end status.
    static func turnedAwayStatus(_ endStatus: String) -> SIPStatus {
        switch endStatus {
        case "noSeatOnline": SIPStatus(code: 480, reason: "Temporarily Unavailable (no agent online)")
        case "notWorkTime": SIPStatus(code: 480, reason: "Temporarily Unavailable (outside working hours)")
        default: SIPStatus(code: 486, reason: "Busy Here (queue full)")
        }
    }

    private func unavailable(_ invite: SIPMessage, _ why: String) -> SIPMessage {
        var response = invite.makeResponse(SIPStatus(code: 503, reason: "Service Unavailable (\(why))"), toTag: SIPIdentifiers.tag())
        response.headers.add(.retryAfter, "10")
        return response
    }

    /// Sends the 200 OK for an inbound call, after recording the leg so a crash cannot orphan it.
    func answerCarrier(_ session: SessionID, with ok: SIPMessage) async {
        guard var call = calls[session], let invite = call.inboundInvite, let dialog = SIPDialog(uasRequest: invite, response: ok) else { return }
        call.dialog = dialog
        call.stage = .established
        call.heldAnswer = nil
        do {
            try ledger.save(leg(of: call, dialog: dialog))
        } catch {
            logger.error("cannot record the carrier leg; refusing the call", metadata: ["session": "\(session)", "error": "\(error)"])
            await respond(unavailable(invite, "cannot record the call"))
            _ = try? await media?.client.delete(callId: call.callId)
            forget(call)
            _ = try? await routing.execute(.adminEnd(session, mainReason: "error", subReason: "the server could not record the call: \(error)"))
            return
        }
        calls[session] = call
        await respond(ok)
    }

    func leg(of call: PhoneCall, dialog: SIPDialog) -> CarrierLegLedger.Leg {
        CarrierLegLedger.Leg(
            sessionId: call.session.rawValue, callId: call.callId,
            localURI: dialog.local.description, remoteURI: dialog.remote.description, remoteTarget: dialog.remoteTarget.description,
            routeSet: dialog.routeSet.map(\.description), localCSeq: dialog.localSequence, peerHost: call.peer.host,
            peerPort: call.peer.port)
    }

    /// A request inside a call's dialog: BYE, a session refresh, INFO digits.
    private func receivedInDialog(_ request: SIPMessage, method: SIPMethod) async {
        guard let session = session(of: request), var call = calls[session], var dialog = call.dialog, dialog.matches(request) else {
            await respond(request.makeResponse(.callDoesNotExist))
            return
        }
        if let refusal = dialog.receive(request) {
            await respond(refusal)
            return
        }
        call.dialog = dialog
        calls[session] = call
        switch method {
        case .bye:
            await respond(request.makeResponse(.ok))
            logger.info("the caller hung up", metadata: ["session": "\(session)"])
            if inFlow[session] != nil {
                callerLeftFlow(session)
                tearDown(call)
                return
            }
            tearDown(call)
            spawn { _ = try? await self.routing.execute(.customerLeft(session)) }
        case .invite, .update:
            // A session refresh (RFC 4028) or a re-offer: the media stays as rtpengine has it. An
            // UPDATE without an offer gets no SDP back.
            let withOffer = method == .invite || !request.body.isEmpty
            let answer = profile.answerRefresh(request, dialog: dialog, sdp: withOffer ? call.localSDP.map { Array($0.utf8) } : nil)
            await respond(answer)
        case .info:
            await respond(request.makeResponse(.ok))
            if let relay = SIPDTMFRelay(info: request) { await recordCallerDigit(relay.digit, in: session) }
        default:
            await respond(request.makeResponse(.ok))
        }
    }

    /// The carrier cancelled an INVITE we had not answered (a number that rings until accepted).
    func carrierCancelled(_ invite: SIPMessage) async {
        guard let session = session(of: invite), let call = calls[session] else {
            // Still being set up: the set-up sees it cancelled and undoes what it did.
            if let callId = invite.callID, settingUp[callId] != nil { settingUp[callId] = .cancelled }
            return
        }
        logger.info("the caller gave up before the answer", metadata: ["session": "\(session)"])
        tearDown(call)
        spawn { _ = try? await self.routing.execute(.customerLeft(session)) }
    }

    /// Our 2xx was never ACKed: the carrier does not have the call; end it.
    func ackNeverCame(_ response: SIPMessage) async {
        guard let session = session(of: response), let call = calls[session] else { return }
        logger.warning("the carrier never acknowledged the answer; ending the call", metadata: ["session": "\(session)"])
        await hangUp(call, reason: "no ACK")
        _ = try? await routing.execute(.adminEnd(session, mainReason: "error", subReason: "the carrier never acknowledged the answer"))
    }

    /// Digits the caller pressed, reported by rtpengine (RFC 4733).
    func callerPressed(_ event: DTMFEvent) async {
        guard event.sourceTag == PhoneCall.carrierTag, let session = sessionsByCallId[event.callId] else { return }
        await recordCallerDigit(event.digit.character, in: session)
    }

    func recordCallerDigit(_ digit: Character, in session: SessionID) async {
        // Keys pressed in an IVR flow drive it; they reach the record with the flow's outcome.
        if await flowPressed(digit, in: session) { return }
        guard let call = calls[session], call.digitsRecorded < PhoneCall.maximumDigits else { return }
        calls[session]?.digitsRecorded += 1
        do {
            try await routing.execute(.callerDigits(session, String(digit)))
        } catch {
            logger.debug("caller digit not recorded", metadata: ["session": "\(session)", "error": "\(error)"])
            return
        }
        // The agent sees the key too (the workbench shows the caller's digits).
        await sendToAgent(.dtmf(String(digit)), in: session)
    }
}
