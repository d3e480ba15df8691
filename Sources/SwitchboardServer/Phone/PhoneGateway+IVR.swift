import Foundation
import RtpEngine
import SwitchboardCore
import SwitchboardSIP

/// A call walking through an IVR flow: answered, hearing prompts, not yet known to the routing
/// core. It is carried under a provisional id (`ivr-N`) until the flow queues it; then it is the
/// session the core made, with the caller's choices as its `ivrPath`.
struct IVRCall: Sendable {
    var run: IVRRun
    let flowId: IVRFlowID
    let enteredAt: Timestamp
    var customer: CustomerDetails
    /// Counts the changes made to `run`. A prompt's length is fed back only if the run has not
    /// moved on since the `play` was asked for: a key pressed while rtpengine was starting the
    /// prompt (barge-in) already took the caller elsewhere, and the stale length must not set
    /// the deadline of the next prompt or wait.
    var changes = 0
}

/// Actions for one flow call, with the run's change count they were computed at.
struct IVRWork: Sendable {
    var actions: [IVRRun.Action]
    var changes: Int
}

extension PhoneGateway {
    /// Answers a call to a number bound to a flow and starts the flow. The call is answered at
    /// once: a menu needs the caller to hear it.
    func startFlow(_ call: PhoneCall, ok: SIPMessage, flow: IVRFlow, customer: CustomerDetails) async {
        register(call)
        await answerCarrier(call.session, with: ok)
        guard calls[call.session]?.stage == .established else { return }  // the answer could not be recorded: refused
        var run = IVRRun(flow: flow)
        let now = Timestamp.now()
        let actions = run.start(at: now)
        inFlow[call.session] = IVRCall(run: run, flowId: flow.id, enteredAt: now, customer: customer)
        logger.info("inbound call entered an IVR flow", metadata: ["call": "\(call.session)", "flow": "\(flow.id)"])
        schedule(actions, inFlow: call.session, at: 0)
    }

    /// A key the caller pressed while in a flow (RFC 4733 or SIP INFO); false when the call is not in one.
    func flowPressed(_ key: Character, in id: SessionID) async -> Bool {
        guard var walking = inFlow[id] else { return false }
        let actions = walking.run.pressed(key, at: Timestamp.now())
        walking.changes += 1
        inFlow[id] = walking
        schedule(actions, inFlow: id, at: walking.changes)
        return true
    }

    /// Prompt ends and key waits that are due (from the run loop's tick).
    func checkFlowDeadlines() async {
        let now = Timestamp.now()
        for id in inFlow.keys.sorted() {
            guard var walking = inFlow[id], let deadline = walking.run.deadline, deadline <= now else { continue }
            let actions = walking.run.timerFired(at: now)
            walking.changes += 1
            inFlow[id] = walking
            schedule(actions, inFlow: id, at: walking.changes)
        }
    }

    /// Queues a flow's actions to be carried out in order for that call, as a job of its own:
    /// synthesizing a prompt (espeak-ng, a few hundred ms the first time) and asking the media
    /// relay to play it must not hold up the SIP and DTMF handling of every other call, or the
    /// deadlines of other callers' menus.
    private func schedule(_ actions: [IVRRun.Action], inFlow id: SessionID, at changes: Int) {
        guard !actions.isEmpty else { return }
        flowWork[id, default: []].append(IVRWork(actions: actions, changes: changes))
        guard flowWork[id]?.count == 1 else { return }  // a job is already carrying this call's out
        spawn { await self.carryOutFlowWork(of: id) }
    }

    /// Performs the call's queued actions one batch after another until none are left.
    private func carryOutFlowWork(of id: SessionID) async {
        while let next = flowWork[id]?.first {
            await perform(next.actions, inFlow: id, computedAt: next.changes)
            flowWork[id]?.removeFirst()
            if flowWork[id]?.isEmpty == true { flowWork[id] = nil }
        }
    }

    /// The caller hung up in the flow: recorded as `ivrGiveUp` with what it had chosen.
    func callerLeftFlow(_ id: SessionID) {
        guard let walking = inFlow.removeValue(forKey: id) else { return }
        logger.info("the caller hung up in the IVR flow", metadata: ["call": "\(id)", "flow": "\(walking.flowId)"])
        let ending = ending(of: walking, status: IVREnding.ivrGiveUp)
        spawn { await self.record(ending) }
    }

    /// Carries out what the run asks, in order; a `play` feeds the prompt's length back to it.
    private func perform(_ actions: [IVRRun.Action], inFlow id: SessionID, computedAt changes: Int) async {
        var pending = actions[...]
        var expected = changes
        while let action = pending.popFirst() {
            // A call that left the flow (queued, hung up) meanwhile gets none of what was queued for it.
            guard inFlow[id] != nil, let call = calls[id], let media else { return }
            switch action {
            case .play(let prompt):
                if call.playing { try? await media.client.stopMedia(callId: call.callId, fromTag: PhoneCall.carrierTag) }
                var length: Int64 = 0
                do {
                    let file = try await prompts.file(for: prompt)
                    calls[id]?.playing = true
                    let reported = try await media.client.playMedia(callId: call.callId, fromTag: PhoneCall.carrierTag, file: file.path)
                    length = reported.map { $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000 } ?? file.milliseconds
                } catch {
                    // The flow goes on as if the prompt had been heard: a caller is never stuck on silence.
                    calls[id]?.playing = false
                    logger.warning("an IVR prompt could not be played", metadata: ["call": "\(id)", "error": "\(error)"])
                }
                guard var walking = inFlow[id] else { return }  // the caller hung up meanwhile
                // The caller pressed a key (or a wait ended) while the prompt was being started:
                // the run is elsewhere now, and its own actions, queued next, carry on from there.
                guard walking.changes == expected else { return }
                pending = walking.run.promptStarted(lasting: length, at: Timestamp.now())[...] + pending
                walking.changes += 1
                expected = walking.changes
                inFlow[id] = walking
            case .stopPlaying:
                if call.playing {
                    calls[id]?.playing = false
                    try? await media.client.stopMedia(callId: call.callId, fromTag: PhoneCall.carrierTag)
                }
            case .queue(let group, let priority, let path):
                await queueFromFlow(id, group: group, priority: priority, path: path)
                return
            case .hangUp(let endStatus, _):
                guard let walking = inFlow.removeValue(forKey: id) else { return }
                logger.info("the IVR flow hung up", metadata: ["call": "\(id)", "endStatus": "\(endStatus)"])
                await hangUp(call, reason: "IVR flow \(walking.flowId) ended the call")
                await record(ending(of: walking, status: endStatus))
                return
            }
        }
    }

    /// The flow queued the call: the routing core makes its session, which the call is carried
    /// under from now on.
    private func queueFromFlow(_ id: SessionID, group: SkillGroupID, priority: Int, path: [IVRStep]) async {
        guard let walking = inFlow.removeValue(forKey: id), let call = calls[id] else { return }
        if call.playing, let media {
            calls[id]?.playing = false
            try? await media.client.stopMedia(callId: call.callId, fromTag: PhoneCall.carrierTag)
        }
        var customer = walking.customer
        customer.ivrPath = path
        let session: SessionID
        do {
            let reply = try await routing.execute(.createSession(NewSession(type: .phone, skillGroupId: group, priority: priority, customer: customer, arrivedAt: walking.enteredAt)))
            guard case .sessionCreated(let created) = reply else {
                // Turned away (full, nobody online, closed): recorded by the core; the caller hears the line close.
                logger.info("a call from an IVR flow was turned away", metadata: ["call": "\(id)", "reply": "\(reply)"])
                if let current = calls[id] { await hangUp(current, reason: "turned away") }
                return
            }
            session = created
        } catch {
            logger.warning("a call from an IVR flow could not be queued", metadata: ["call": "\(id)", "error": "\(error)"])
            if let current = calls[id] { await hangUp(current, reason: "cannot queue") }
            return
        }
        guard var current = calls[id] else {
            // The caller hung up while the session was being made.
            _ = try? await routing.execute(.customerLeft(session))
            return
        }
        forget(current, keepingLeg: true)
        current.session = session
        register(current)
        if let dialog = current.dialog { try? ledger.save(leg(of: current, dialog: dialog)) }
        if !walking.run.keys.isEmpty { _ = try? await routing.execute(.callerDigits(session, walking.run.keys)) }
        logger.info("inbound call queued from an IVR flow", metadata: ["session": "\(session)", "flow": "\(walking.flowId)", "group": "\(group)"])
        // Notifications from before the call was carried under its session were not queued here.
        guard await routing.read({ $0.sessions[session] != nil }) else {
            if let ended = calls[session] { await hangUp(ended, reason: "the session ended at once") }
            return
        }
        if let offer = earlyOffers.removeValue(forKey: session) {
            do { try await attachBrowser(session, browserSDP: offer) } catch {
                logger.warning("the agent's early offer could not be attached", metadata: ["session": "\(session)", "error": "\(error)"])
            }
        }
        await playQueueAudio(session)
    }

    private func ending(of walking: IVRCall, status: String) -> IVREnding {
        var customer = walking.customer
        customer.ivrPath = walking.run.path
        return IVREnding(flowId: walking.flowId, customer: customer, keys: walking.run.keys, enteredAt: walking.enteredAt, endStatus: status)
    }

    private func record(_ ending: IVREnding) async {
        do {
            _ = try await routing.execute(.ivrEnded(ending))
        } catch {
            logger.warning("a call that ended in an IVR flow could not be recorded", metadata: ["flow": "\(ending.flowId)", "error": "\(error)"])
        }
    }
}
