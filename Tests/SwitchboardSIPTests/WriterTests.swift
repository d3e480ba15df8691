import Testing
@testable import SwitchboardSIP

@Suite("Writing messages")
struct WriterTests {
    @Test(arguments: [ValidTorture.wsinv, ValidTorture.intmeth, ValidTorture.esc01, ValidTorture.longreq,
                      ValidTorture.semiuri, ValidTorture.unreason, ValidTorture.noreason, ValidTorture.inv2543])
    func writtenMessagesParseBackToTheSameMessage(text: String) throws {
        let message = try SIPMessage.parse(wire(text))
        let reparsed = try SIPMessage.parse(message.bytes)
        #expect(reparsed.startLine == message.startLine)
        #expect(reparsed.body == message.body)
        #expect(reparsed.via == message.via)
        #expect(reparsed.from == message.from)
        #expect(reparsed.to == message.to)
        #expect(reparsed.cseq == message.cseq)
        #expect(reparsed.callID == message.callID)
        #expect(reparsed.contacts == message.contacts)
    }

    @Test func contentLengthIsAlwaysTheBodySize() throws {
        var request = SIPMessage(method: .info, uri: SIPURI(user: "bob", host: "example.com"))
        request.headers = [(.via, "SIP/2.0/UDP a.example.com;branch=z9hG4bK1"), (.from, "<sip:a@example.com>;tag=1"),
                           (.to, "<sip:bob@example.com>"), (.callID, "c1"), (.cseq, "2 INFO"), (.contentLength, "999")]
        request.setBody(Array("Signal=5\r\nDuration=160\r\n".utf8), contentType: "application/dtmf-relay")
        let text = request.description
        #expect(text.hasPrefix("INFO sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n"))
        #expect(text.contains("\r\nContent-Length: 24\r\n"))
        #expect(!text.contains("999"))
        #expect(text.hasSuffix("\r\n\r\nSignal=5\r\nDuration=160\r\n"))
        let parsed = try SIPMessage.parse(request.bytes)
        #expect(SIPDTMFRelay(info: parsed)?.digit == "5")
    }

    @Test func aResponseCopiesTheRFC3261Section8_2_6Headers() throws {
        let invite = try SIPMessage.parse("""
        INVITE sip:bob@biloxi.example.com SIP/2.0\r
        Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2\r
        Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK1\r
        Record-Route: <sip:proxy.example.com;lr>\r
        Max-Forwards: 69\r
        To: Bob <sip:bob@biloxi.example.com>\r
        From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r
        Call-ID: a84b4c76e66710\r
        CSeq: 314159 INVITE\r
        Contact: <sip:alice@pc33.atlanta.example.com>\r
        \r

        """)
        let ok = invite.makeResponse(.ok, toTag: "a6c85cf", contact: SIPURI(user: "bob", host: "192.0.2.4"))
        #expect(ok.via == invite.via)
        #expect(ok.from == invite.from)
        #expect(ok.to?.tag == "a6c85cf")
        #expect(ok.to?.displayName == "Bob")
        #expect(ok.callID == invite.callID)
        #expect(ok.cseq == invite.cseq)
        #expect(ok.recordRoutes == invite.recordRoutes, "2xx to INVITE copies Record-Route")
        #expect(ok.contacts.first?.uri.host == "192.0.2.4")
        #expect(ok.maxForwards == nil)
        let trying = invite.makeResponse(.trying, toTag: "ignored")
        #expect(trying.to?.tag == nil, "100 Trying never carries a To tag")
        #expect(trying.recordRoutes.isEmpty)
        let busy = invite.makeResponse(.busyHere, toTag: "x")
        #expect(busy.recordRoutes.isEmpty, "a failure creates no dialog")
    }
}

@Suite("Hostile input")
struct FuzzTests {
    /// Random mutations of valid messages (flipped, dropped, duplicated and inserted bytes, cut
    /// datagrams): the parser must return or throw, never trap or hang.
    @Test func mutatedMessagesNeverCrashTheParser() {
        var generator = SIPSeededGenerator(seed: 4475)
        let seeds = [ValidTorture.wsinv, ValidTorture.intmeth, ValidTorture.esc01, ValidTorture.longreq,
                     ValidTorture.semiuri, ValidTorture.unreason, InvalidTorture.badinv01, InvalidTorture.quotbal].map(wire)
        let interesting: [UInt8] = Array("\r\n \t:;,<>\"\\@=?%[]/0".utf8) + [0x00, 0xFF, 0xC3]
        var parsed = 0
        var rejected = 0
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(generator.next(upperBound: UInt64(8)))) {
                guard !bytes.isEmpty else { break }
                let position = Int(generator.next(upperBound: UInt64(bytes.count)))
                switch generator.next(upperBound: UInt64(5)) {
                case 0: bytes[position] = interesting[Int(generator.next(upperBound: UInt64(interesting.count)))]
                case 1: bytes.remove(at: position)
                case 2: bytes.insert(interesting[Int(generator.next(upperBound: UInt64(interesting.count)))], at: position)
                case 3: bytes.removeSubrange(position...)
                default: bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + 40)], at: position)
                }
            }
            do {
                let message = try SIPMessage.parse(bytes)
                _ = message.bytes
                _ = (message.via, message.contacts, message.from, message.to, message.routes)
                parsed += 1
            } catch {
                #expect(!error.message.isEmpty)
                rejected += 1
            }
        }
        #expect(parsed + rejected == 3000)
        #expect(parsed > 0 && rejected > 0)
    }

    @Test func pathologicalInputsAreRejectedQuickly() {
        let inputs: [[UInt8]] = [
            [],
            Array(repeating: UInt8(ascii: "\""), count: 100_000),
            Array("INVITE sip:a@b SIP/2.0\r\nTo: ".utf8) + Array(repeating: UInt8(ascii: "<"), count: 50_000),
            Array("INVITE sip:a@b SIP/2.0\r\nVia: ".utf8) + Array(repeating: UInt8(ascii: ";"), count: 50_000) + [13, 10, 13, 10],
            Array(repeating: UInt8(ascii: "\n"), count: 10_000),
            Array(repeating: 0, count: 1000),
            Array("SIP/2.0 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n".utf8),
        ]
        for input in inputs {
            #expect(throws: SIPError.self) { try SIPMessage.parse(input) }
        }
    }
}
