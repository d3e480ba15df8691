import Foundation
import SwitchboardCore

/// Call recording: rtpengine captures the call's media from the agent's answer to the end, with a
/// gap while on hold (rtpengine 10.5 has no `pause recording`, so a hold stops the capture and the
/// unhold starts a new one); when the call ends its captures become one WAV (`RecordingLibrary`).
/// Every failure is written into the recording's entry, so a recording never silently goes missing.
extension PhoneGateway {
    /// Starts recording if the call's number says so (its `record`, when set), or else its skill
    /// group's `recordCalls`, and it is not recorded yet;
    /// resumes a recording paused by a hold the call is no longer in. Called when an agent answers
    /// (an inbound call's browser attaches, an outbound call's callee answers).
    func startRecordingIfWanted(_ session: SessionID) async {
        guard var call = calls[session], !call.capturing, !call.onHold, !call.ending else { return }
        if !call.recorded {
            let direction = call.direction
            let wanted = await routing.read { machine -> Bool in
                guard let live = machine.sessions[session] else { return false }
                let number = direction == .inbound ? live.customer.calleePhoneNumber : live.customer.callerPhoneNumber
                if let chosen = number.flatMap({ machine.phoneNumbers[$0]?.record }) { return chosen }
                return machine.skillGroups[live.skillGroupId]?.recordCalls == true
            }
            guard wanted else { return }
            let port = call.localSDP.flatMap(Self.audioPort) ?? 0
            do {
                try recordings.begin(session, callId: call.callId, callerPort: port, at: Timestamp.now().milliseconds)
            } catch {
                // Marked recorded, so a later answer or unhold does not try (and fail) again.
                calls[session]?.recorded = true
                recordings.failedToBegin(session, callId: call.callId, callerPort: port,
                                         reason: "the recording could not begin: \(error)", at: Timestamp.now().milliseconds)
                return
            }
            call.recorded = true
        }
        // A recording that already failed (it could not begin, rtpengine refused it) stays failed:
        // an unhold does not start capturing audio that nothing would keep.
        guard recordings.entry(of: session)?.status == .recording else { return }
        guard let media, media.recordingSpool != nil else {
            calls[session] = call
            recordings.fail(session, reason: media == nil
                ? "the media relay was not running when the recording should have started"
                : "recording needs the rtpengine this server starts: one given with --rtpengine writes its captures where this server cannot read them",
                at: Timestamp.now().milliseconds)
            return
        }
        do {
            try await media.client.startRecording(callId: call.callId)
            call.capturing = true
        } catch {
            recordings.fail(session, reason: "rtpengine did not start recording: \(error)", at: Timestamp.now().milliseconds)
        }
        // Re-read: the awaits above let other work for this call run.
        guard calls[session] != nil else { return }
        calls[session]?.recorded = call.recorded
        calls[session]?.capturing = call.capturing
    }

    /// Pauses the recording for a hold: the capture so far is closed and set aside.
    func pauseRecording(_ session: SessionID) async {
        guard let call = calls[session], call.capturing, let media else { return }
        calls[session]?.capturing = false
        do {
            try await media.client.stopRecording(callId: call.callId)
        } catch {
            recordings.fail(session, reason: "rtpengine did not pause the recording for a hold: \(error)", at: Timestamp.now().milliseconds)
        }
        if let spool = media.recordingSpool { recordings.collectCaptures(of: session, callId: call.callId, spool: spool) }
    }

    /// Ends the recording of a call that is over and writes its WAV (beside the SIP loop: a long
    /// call takes a moment to convert). rtpengine must still know the call: run before `delete`.
    nonisolated func finishRecording(of call: PhoneCall, relay: PhoneMediaRelay?) async {
        guard call.recorded else { return }
        if call.capturing { _ = try? await relay?.client.stopRecording(callId: call.callId) }
        if let spool = relay?.recordingSpool { recordings.collectCaptures(of: call.session, callId: call.callId, spool: spool) }
        await recordings.finishAside(call.session, at: Timestamp.now().milliseconds)
    }

    /// Recordings still marked as being made when the server last stopped: their calls are gone.
    /// What rtpengine captured is turned into audio; a call with nothing captured is marked failed.
    func finishRecordingsLeftByACrash() {
        let spool = media?.recordingSpool
        for entry in recordings.unfinished() {
            let session = SessionID(entry.sessionId)
            if let spool { recordings.collectCaptures(of: session, callId: entry.callId, spool: spool) }
            // Converted beside the gateway's start, as any ending call's recording is.
            spawn { [recordings, logger] in
                await recordings.finishAside(session, at: Timestamp.now().milliseconds)
                logger.notice("a recording left by a stop mid-call was closed", metadata: ["session": "\(session)", "status": "\(recordings.entry(of: session)?.status.rawValue ?? "?")"])
            }
        }
    }

    /// The port of the first `m=audio` line of an SDP.
    static func audioPort(_ sdp: String) -> Int? {
        for line in sdp.split(whereSeparator: \.isNewline) where line.hasPrefix("m=audio ") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        return nil
    }
}
