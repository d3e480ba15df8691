import Testing

@testable import RtpEngine

@Suite("DTMF digits and rtpengine's DTMF log")
struct DTMFTests {
    /// A datagram exactly as rtpengine 10.5.3.5 sent it to --dtmf-log-dest for an RFC 4733 "5".
    static let observed = #"{"callid":"c1","source_tag":"carrier","tags":["carrier","agent"],"type":"DTMF","timestamp":1795992006,"source_ip":"127.0.0.1","event":5,"duration":80,"volume":10}"#

    @Test("keys map to RFC 4733 event codes and back")
    func digits() {
        let keys = "0123456789*#ABCD"
        for (event, key) in keys.enumerated() {
            #expect(DTMFDigit(key)?.event == event)
            #expect(DTMFDigit(event: event)?.character == key)
        }
        #expect(DTMFDigit("a")?.event == 12)
        #expect(DTMFDigit("x") == nil)
        #expect(DTMFDigit(event: 16) == nil)
    }

    @Test("the observed log datagram reads as call, source tag and digit")
    func observedDatagram() throws {
        let event = try #require(DTMFEvent(logDatagram: Array(Self.observed.utf8)))
        #expect(event.callId == "c1")
        #expect(event.sourceTag == "carrier")
        #expect(event.digit.character == "5")
        #expect(event.duration == .milliseconds(80))
        #expect(event.volume == 10)
        #expect(event.sourceAddress == "127.0.0.1")
    }

    @Test("anything else in the log is skipped", arguments: [
        "", "garbage", #"{"callid":"c"}"#, #"{"callid":"c","source_tag":"t","event":16}"#,
        #"{"callid":"c"d","source_tag":"t","event":1}"#, #"{"callid":"c","source_tag":"t","event":1,"type":"other"}"#,
    ])
    func skipped(_ text: String) {
        #expect(DTMFEvent(logDatagram: Array(text.utf8)) == nil)
    }

    @Test("the listener turns datagrams into events on its stream")
    func listener() async throws {
        let listener = try await DTMFListener.bind()
        let sender = try await UDPPeer.bind()
        try await sender.send(Array("not json".utf8), toPort: listener.port)
        try await sender.send(Array(Self.observed.utf8), toPort: listener.port)
        var iterator = listener.events.makeAsyncIterator()
        let event = await iterator.next()
        #expect(event?.digit.character == "5")
        #expect(event?.callId == "c1")
        await listener.close()
        #expect(await iterator.next() == nil)
        await sender.close()
    }
}
