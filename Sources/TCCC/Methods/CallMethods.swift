extension TCCC {
    /// The document's `tccc.Call`: voip, internal (and, once a trunk exists, phone) calls.
    ///
    /// The Swift SDK carries a call's control and signalling; it has no WebRTC media engine of
    /// its own. An app that plays the audio plugs one in with ``TCCC/onSignal(perform:)`` and
    /// ``sendSignal(sessionId:_:)``; the microphone state below is the app's to apply to it.
    public struct CallMethods: Sendable {
        let connection: AgentConnection

        /// `Call.accept`: answers a voip, internal or video call ringing at this agent. An im
        /// session is refused ("use the Chat methods").
        @discardableResult
        public func accept(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .callAccept(sessionId: sessionId, video: false))
        }

        /// `Call.hungUp`: ends a call this agent holds (`closeBy: 'seat'`), or hangs up an
        /// internal call it placed (`closeBy: 'client'`), answered or still ringing.
        @discardableResult
        public func hungUp(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.hangUp(sessionId: sessionId, video: false)
        }

        /// `Call.muteMic`: stops sending this agent's voice in the call (the app's media engine
        /// applies it; ``isMicMuted(sessionId:)`` reports it).
        @discardableResult
        public func muteMic(sessionId: String) -> CommonSDKResponse<Void> {
            connection.shared.setMuted(\.mutedMicrophones, sessionId, true)
        }

        /// `Call.unmuteMic`.
        @discardableResult
        public func unmuteMic(sessionId: String) -> CommonSDKResponse<Void> {
            connection.shared.setMuted(\.mutedMicrophones, sessionId, false)
        }

        /// `Call.isMicMuted`: whether the microphone is muted in the call.
        public func isMicMuted(sessionId: String) -> Bool {
            connection.shared.updateMedia { $0.mutedMicrophones.contains(sessionId) }
        }

        /// `Call.hold`: the other side hears hold audio and both sides stop sending media.
        @discardableResult
        public func hold(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .callHold(sessionId: sessionId))
        }

        /// `Call.unHold`: takes the call off hold.
        @discardableResult
        public func unHold(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .callUnHold(sessionId: sessionId))
        }

        /// `Call.sendDigits`: sends DTMF digits (`0`–`9`, `*`, `#`, `A`–`D`, `,`) to the other side.
        @discardableResult
        public func sendDigits(sessionId: String, dtmfText: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .callSendDigits(sessionId: sessionId, dtmfText: dtmfText))
        }

        /// `Call.startInternalCall`: calls another agent (rung directly) or a skill group (queued,
        /// never offered back to the caller); `data` holds the call's `sessionId`. The caller
        /// hears `callOuted`, then `calloutAccepted` when answered, and `sessionEnded`.
        public func startInternalCall(calleeUserId: String? = nil, skillGroupId: String? = nil) async -> CommonSDKResponse<StartedCall> {
            await connection.respond(to: .callStartInternalCall(calleeUserId: calleeUserId, skillGroupId: skillGroupId), with: StartedCall.self)
        }

        /// `Call.startOutboundCall`: dials a phone number through the server's trunk. The answer
        /// comes at once (`sessionId`, the numbers); `callOuted` follows, then `calloutAccepted`
        /// when the callee answers or `sessionEnded` with an `endStatus` when the call fails.
        public func startOutboundCall(
            phoneNumber: String, callerPhoneNumber: String? = nil, skillGroupId: String? = nil, phoneDesc: String? = nil, uui: String? = nil
        ) async -> CommonSDKResponse<StartedCall> {
            await connection.respond(
                to: .callStartOutboundCall(
                    phoneNumber: phoneNumber, callerPhoneNumber: callerPhoneNumber, skillGroupId: skillGroupId, phoneDesc: phoneDesc, uui: uui),
                with: StartedCall.self)
        }

        /// `Call.transfer`: hands a held call to a skill group's queue or to an online agent.
        @discardableResult
        public func transfer(sessionId: String, skillGroupId: String? = nil, userId: String? = nil) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .callTransfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId, video: false))
        }

        /// Sends an SDP offer or answer or an ICE candidate to the other side of an answered call
        /// this agent is in; false when the SDK is not connected (renegotiate after `ready`).
        @discardableResult
        public func sendSignal(sessionId: String, _ signal: CallSignal) async -> Bool {
            await connection.sendSignal(sessionId: sessionId, signal)
        }

        /// The STUN/TURN servers the server hands out for calls, for the media engine.
        public var iceServers: [IceServer] { connection.shared.iceServers }
    }

    /// The document's `tccc.Video`: video calls from the browser widget.
    public struct VideoMethods: Sendable {
        let connection: AgentConnection

        /// `Video.accept`: answers a video call ringing at this agent.
        @discardableResult
        public func accept(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .callAccept(sessionId: sessionId, video: true))
        }

        /// `Video.end`: ends a video call this agent holds.
        @discardableResult
        public func end(sessionId: String) async -> CommonSDKResponse<Void> {
            await connection.hangUp(sessionId: sessionId, video: true)
        }

        /// `Video.muteMic`.
        @discardableResult
        public func muteMic(sessionId: String) -> CommonSDKResponse<Void> {
            connection.shared.setMuted(\.mutedMicrophones, sessionId, true)
        }

        /// `Video.unmuteMic`.
        @discardableResult
        public func unmuteMic(sessionId: String) -> CommonSDKResponse<Void> {
            connection.shared.setMuted(\.mutedMicrophones, sessionId, false)
        }

        /// `Video.muteVideo`: stops sending this agent's camera (the app's media engine applies it).
        @discardableResult
        public func muteVideo(sessionId: String) -> CommonSDKResponse<Void> {
            connection.shared.setMuted(\.mutedVideo, sessionId, true)
        }

        /// `Video.unmuteVideo`.
        @discardableResult
        public func unmuteVideo(sessionId: String) -> CommonSDKResponse<Void> {
            connection.shared.setMuted(\.mutedVideo, sessionId, false)
        }

        /// Whether this agent's camera is muted in the call.
        public func isVideoMuted(sessionId: String) -> Bool {
            connection.shared.updateMedia { $0.mutedVideo.contains(sessionId) }
        }

        /// `Video.transfer`: hands a held video call to a skill group's queue or to an online agent.
        @discardableResult
        public func transfer(sessionId: String, skillGroupId: String? = nil, userId: String? = nil) async -> CommonSDKResponse<Void> {
            await connection.respond(to: .callTransfer(sessionId: sessionId, skillGroupId: skillGroupId, userId: userId, video: true))
        }
    }
}

extension AgentConnection {
    /// `Call.hungUp` / `Video.end`; the call's mute state is forgotten once it is over.
    nonisolated func hangUp(sessionId: String, video: Bool) async -> CommonSDKResponse<Void> {
        let response = await respond(to: .callHangUp(sessionId: sessionId, video: video))
        if response.isSuccess {
            shared.updateMedia { media in
                media.mutedMicrophones.remove(sessionId)
                media.mutedVideo.remove(sessionId)
            }
        }
        return response
    }
}

extension SharedState {
    /// Mutes or unmutes one kind of media of a call; always succeeds (it is the app's own state).
    func setMuted(_ kind: WritableKeyPath<CallMediaState, Set<String>>, _ sessionId: String, _ muted: Bool) -> CommonSDKResponse<Void> {
        updateMedia { media in
            if muted { media[keyPath: kind].insert(sessionId) } else { media[keyPath: kind].remove(sessionId) }
        }
        return .success(())
    }
}
