/// The ng commands the phone gateway uses, typed. Tags name call participants: the `from-tag`
/// of an `offer` is the party whose SDP is given; the SDP returned is for the other party.
extension RtpEngineClient {
    /// Checks that rtpengine answers.
    public func ping() async throws(RtpEngineError) {
        _ = try await request("ping")
    }

    /// Gives rtpengine an offer from `fromTag` and returns the SDP to pass on to the other party,
    /// rewritten as `flags` say (they describe the receiving party).
    ///
    /// `toTag` is set when the offer comes from the side that answered the first offer, e.g. the
    /// agent's browser offering toward the carrier when it is attached to a call answered at once.
    public func offer(callId: String, fromTag: String, toTag: String? = nil, sdp: String, flags: RtpEngineFlags) async throws(RtpEngineError) -> String {
        var arguments = flags.entries
        arguments["call-id"] = .string(callId)
        arguments["from-tag"] = .string(fromTag)
        if let toTag { arguments["to-tag"] = .string(toTag) }
        arguments["sdp"] = .string(sdp)
        return try rewrittenSDP(of: await request("offer", arguments), command: "offer")
    }

    /// Gives rtpengine the answer of `toTag` to the offer from `fromTag` and returns the SDP to send
    /// back to the offerer, rewritten as `flags` say (they describe the offerer).
    public func answer(callId: String, fromTag: String, toTag: String, sdp: String, flags: RtpEngineFlags) async throws(RtpEngineError) -> String {
        var arguments = flags.entries
        arguments["call-id"] = .string(callId)
        arguments["from-tag"] = .string(fromTag)
        arguments["to-tag"] = .string(toTag)
        arguments["sdp"] = .string(sdp)
        return try rewrittenSDP(of: await request("answer", arguments), command: "answer")
    }

    private func rewrittenSDP(of answer: [String: NGValue], command: String) throws(RtpEngineError) -> String {
        guard let sdp = answer["sdp"]?.string else {
            throw RtpEngineError(.malformedAnswer, "rtpengine's answer to '\(command)' has no SDP")
        }
        return sdp
    }

    /// Ends a call (or, with `fromTag`, one branch of it) and frees its ports.
    ///
    /// rtpengine normally keeps a deleted call for `--delete-delay` (30 s) to absorb late
    /// signalling; `immediately` (the default) frees the ports now. An unknown call is not an
    /// error (rtpengine only warns), so every hang-up path can call this without checking first.
    /// rtpengine 10.5 answers with no counters: `query` first if the final counts matter.
    public func delete(callId: String, fromTag: String? = nil, immediately: Bool = true) async throws(RtpEngineError) {
        var arguments: [String: NGValue] = ["call-id": .string(callId)]
        if let fromTag { arguments["from-tag"] = .string(fromTag) }
        if immediately { arguments["delete delay"] = 0 }
        _ = try await request("delete", arguments)
    }

    /// The call's per-participant, per-stream packet and byte counters.
    public func query(callId: String) async throws(RtpEngineError) -> CallStatistics {
        CallStatistics(answer: try await request("query", ["call-id": .string(callId)]))
    }

    /// Plays an audio file (anything ffmpeg reads, e.g. WAV) to the participant `fromTag`, in its
    /// codec. During a live bridge the file's audio is *added* to what that participant hears, so
    /// hold also needs `blockMedia` on the other side.
    /// - Parameters:
    ///   - file: a path readable by the rtpengine process (relative paths are relative to its
    ///     working directory).
    ///   - repeatTimes: how many times to play it.
    /// - Returns: the file's length, when rtpengine could tell.
    @discardableResult
    public func playMedia(callId: String, fromTag: String, file: String, repeatTimes: Int = 1) async throws(RtpEngineError) -> Duration? {
        let answer = try await request("play media", [
            "call-id": .string(callId), "from-tag": .string(fromTag),
            "file": .string(file), "repeat-times": .integer(Int64(repeatTimes)),
        ])
        return answer["duration"]?.integer.map { .milliseconds($0) }
    }

    /// Stops what `playMedia` started for `fromTag`.
    public func stopMedia(callId: String, fromTag: String) async throws(RtpEngineError) {
        _ = try await request("stop media", ["call-id": .string(callId), "from-tag": .string(fromTag)])
    }

    /// Stops forwarding the media *sent by* `fromTag` (its telephone events still pass).
    public func blockMedia(callId: String, fromTag: String) async throws(RtpEngineError) {
        _ = try await request("block media", ["call-id": .string(callId), "from-tag": .string(fromTag)])
    }

    /// Forwards the media sent by `fromTag` again.
    public func unblockMedia(callId: String, fromTag: String) async throws(RtpEngineError) {
        _ = try await request("unblock media", ["call-id": .string(callId), "from-tag": .string(fromTag)])
    }

    /// Injects a telephone key as if the participant `fromTag` had pressed it: the event goes to
    /// the *other* party (rtpengine: "the selected call participant is the one generating the DTMF
    /// event"). So an agent's key toward the carrier is played with the agent leg's tag. As RFC 4733
    /// events if the receiver's SDP has `telephone-event`, otherwise as an in-band tone.
    ///
    /// rtpengine 10.5 only injects into calls whose `offer` and `answer` both carried
    /// `RtpEngineFlags.injectDTMF`; otherwise it answers with an error.
    public func playDTMF(callId: String, fromTag: String, digit: DTMFDigit, duration: Duration = .milliseconds(250)) async throws(RtpEngineError) {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        _ = try await request("play DTMF", [
            "call-id": .string(callId), "from-tag": .string(fromTag),
            "code": .string(String(digit.character)), "duration": .integer(milliseconds),
        ])
    }

    /// The call-ids rtpengine knows, at most `limit` (answers must fit in one datagram).
    public func listCalls(limit: Int = 32) async throws(RtpEngineError) -> [String] {
        let answer = try await request("list", ["limit": .integer(Int64(limit))])
        return (answer["calls"]?.list ?? []).compactMap(\.string)
    }

    /// rtpengine's global counters (sessions, packet rates, per-command counts), as it reports them.
    public func statistics() async throws(RtpEngineError) -> NGValue {
        let answer = try await request("statistics")
        return answer["statistics"] ?? .dictionary(answer)
    }
}
