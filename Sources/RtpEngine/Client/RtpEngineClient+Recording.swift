/// Call recording through rtpengine's own `pcap` method: between `start recording` and
/// `stop recording` it captures every RTP packet it receives for the call, from every party, into
/// one pcap file in its recording spool (`RtpEngineProcess.Configuration.recordingDirectory`).
///
/// rtpengine 10.5 has no `pause recording`: a pause is a stop and a new start, which begins a new
/// capture file. `stop recording` closes the file before it answers.
extension RtpEngineClient {
    /// Starts capturing the call's media (a new capture file if none is open).
    public func startRecording(callId: String) async throws(RtpEngineError) {
        _ = try await request("start recording", ["call-id": .string(callId)])
    }

    /// Stops capturing the call's media and closes its capture file.
    public func stopRecording(callId: String) async throws(RtpEngineError) {
        _ = try await request("stop recording", ["call-id": .string(callId)])
    }
}
