import Testing
@testable import SwitchboardSIP

@Suite("Parsing the RFC 4475 valid torture messages")
struct ValidTortureTests {
    @Test func wsinvShortTortuousInvite() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.wsinv))
        #expect(message.method == .invite)
        #expect(message.requestURI?.user == "vivekg")
        #expect(message.requestURI?.parameters.contains("unknownparam") == true)
        #expect(message.to?.uri.host == "chair-dnrc.example.com")
        #expect(message.to?.tag == "1918181833n")
        #expect(message.from?.displayName == "J Rosenberg \\\"")
        #expect(message.from?.tag == "98asjd8")
        #expect(message.maxForwards == 68)
        #expect(message.cseq == SIPCSeq(9, .invite))
        #expect(message.callID == "wsinv.ndaksdj@192.0.2.1")
        #expect(message.headers[SIPHeaderName("Subject")] == "")
        #expect(message.headers["NewFangledHeader"] == "newfangled value continued newfangled value")
        #expect(message.headers["UnknownHeaderWithUnusualValue"] == ";;,,;;,;")
        #expect(message.routes.first?.uri.isLooseRouter == true)
        let vias = message.via
        #expect(vias.count == 3)
        #expect(vias.map(\.host) == ["192.0.2.2", "spindle.example.com", "192.168.255.111"])
        #expect(vias.map(\.transport) == ["UDP", "TCP", "UDP"])
        #expect(vias[1].branch == "z9hG4bK9ikj8")
        #expect(vias[2].branch == "z9hG4bK30239")
        let contact = try #require(message.contacts.first)
        #expect(contact.displayName == "Quoted string \"\"")
        #expect(contact.parameters.value("newparam") == "newvalue")
        #expect(contact.parameters.contains("secondparam"))
        #expect(contact.parameters.value("q") == "0.33")
        #expect(message.body.count == 150)
        #expect(message.mediaType == "application/sdp")
    }

    @Test func intmethWideRangeOfValidCharacters() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.intmeth))
        #expect(message.method == SIPMethod(rawValue: "!interesting-Method0123456789_*+`.%indeed'~"))
        #expect(message.method?.isExtension == true)
        #expect(message.requestURI?.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
        #expect(message.requestURI?.password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
        #expect(message.requestURI?.host == "example.com")
        #expect(message.to?.displayName == "BEL:\u{07} NUL:\u{00} DEL:\u{7F}")
        #expect(message.from?.displayName == "token1~` token2'+_ token3*%!.-")
        #expect(message.from?.tag == "_token~1'+`*%!-.")
        #expect(message.callID == "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{")
        #expect(message.maxForwards == 255)
        #expect(message.headers["extensionHeader-!.%*+_`'~"] == "\u{FEFF}大停電")
    }

    @Test func esc01EscapesAreKeptAsWritten() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.esc01))
        #expect(message.requestURI?.user == "sips%3Auser%40example.com")
        #expect(message.requestURI?.host == "example.net")
        #expect(message.to?.uri.user == "%75se%72")
        #expect(message.callID == "esc01.239409asdfakjkn23onasd0-3234", "i is the compact Call-ID")
        #expect(message.contentType == "application/sdp", "c is the compact Content-Type")
        #expect(message.contacts.first?.uri.parameters.value("n%61me") == "v%61lue%25%34%31")
    }

    @Test func escnullEscapedNullsAreAccepted() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.escnull))
        #expect(message.method == .register)
        #expect(message.contacts.map { $0.uri.user } == ["%00", "%00%00"])
        #expect(message.body.isEmpty)
    }

    @Test func lwsdispDisplayNameRightBeforeAngleBracket() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.lwsdisp))
        #expect(message.from?.displayName == "caller")
        #expect(message.from?.tag == "323")
    }

    @Test func longreqLongValuesAndManyCompactVias() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.longreq))
        #expect(message.via.count == 34)
        #expect(message.via.first?.host == "sip33.example.com")
        #expect(message.via.last?.received == "192.0.2.5")
        #expect(message.to?.uri.port == 6000)
        #expect(message.from?.tag?.hasSuffix("982424") == true)
        #expect(message.body.count == 150)
    }

    @Test func dblreqOnlyTheFirstMessageOfTheDatagramCounts() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.dblreq))
        #expect(message.method == .register)
        #expect(message.body.isEmpty, "Content-Length 0: the trailing INVITE is ignored")
        #expect(message.callID == "dblreq.0ha0isndaksdj99sdfafnl3lk233412")
    }

    @Test func semiuriSemicolonsInTheUserPart() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.semiuri))
        #expect(message.requestURI?.user == "user;par=u%40example.net")
        #expect(message.requestURI?.host == "example.com")
        #expect(message.requestURI?.parameters.items.isEmpty == true)
        #expect(message.headers.values(.accept).count == 6, "folded Accept list splits into six types")
    }

    @Test func transportsUnknownTransportsAreKept() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.transports))
        #expect(message.via.map(\.transport) == ["UDP", "SCTP", "TLS", "UNKNOWN", "TCP"])
    }

    @Test func unreasonUTF8ReasonPhrase() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.unreason))
        #expect(message.statusCode == 200)
        #expect(message.status?.reason.hasPrefix("= 2**3 * 5**2 но") == true)
        #expect(message.body.count == 154)
    }

    @Test func noreasonEmptyReasonPhrase() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.noreason))
        #expect(message.statusCode == 100)
        #expect(message.status?.reason == "")
    }

    @Test(arguments: [
        ("bcast", ValidTorture.bcast), ("cparam01", ValidTorture.cparam01), ("zeromf", ValidTorture.zeromf),
        ("inv2543", ValidTorture.inv2543), ("bext01", ValidTorture.bext01),
    ])
    func otherValidMessagesParse(name: String, text: String) throws {
        let message = try SIPMessage.parse(wire(text))
        #expect(message.callID?.hasPrefix(String(name.prefix(4))) == true)
    }

    @Test func inv2543WithoutContentLengthTakesTheRestOfTheDatagram() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.inv2543))
        #expect(message.bodyText.hasPrefix("v=0\r\n"))
        #expect(message.bodyText.hasSuffix("RTP/AVP 0\r\n"))
        #expect(message.from?.tag == nil)
    }

    @Test func cparam01ParametersAfterABareURIBelongToTheHeader() throws {
        let message = try SIPMessage.parse(wire(ValidTorture.cparam01))
        let contact = try #require(message.contacts.first)
        #expect(contact.uri.parameters.items.isEmpty)
        #expect(contact.parameters.contains("unknownparam"))
    }
}

@Suite("Rejecting the RFC 4475 invalid torture messages")
struct InvalidTortureTests {
    /// Parses a message that must fail; returns the error.
    func failure(_ text: String) -> SIPError? {
        do {
            _ = try SIPMessage.parse(wire(text))
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("badinv01", InvalidTorture.badinv01, "empty element"),
        ("clerr", InvalidTorture.clerr, "Content-Length says 9999 bytes"),
        ("ncl", InvalidTorture.ncl, "Content-Length '-999'"),
        ("scalar02", InvalidTorture.scalar02, "CSeq number '36893488147419103232'"),
        ("quotbal", InvalidTorture.quotbal, "unterminated quoted string"),
        ("ltgtruri", InvalidTorture.ltgtruri, "must not be enclosed in '<>'"),
        ("lwsruri", InvalidTorture.lwsruri, "single spaces"),
        ("lwsstart", InvalidTorture.lwsstart, "single spaces"),
        ("trws", InvalidTorture.trws, "single spaces"),
        ("escruri", InvalidTorture.escruri, "must not carry"),
        ("regbadct", InvalidTorture.regbadct, "must be enclosed in '<>'"),
        ("badaspec", InvalidTorture.badaspec, "To"),
        ("baddn", InvalidTorture.baddn, "need quotes"),
        ("mismatch01", InvalidTorture.mismatch01, "CSeq method 'INVITE' does not match request method 'OPTIONS'"),
        ("mismatch02", InvalidTorture.mismatch02, "CSeq method 'INVITE' does not match request method 'NEWMETHOD'"),
        ("insuf", InvalidTorture.insuf, "has no From header"),
        ("multi01", InvalidTorture.multi01, "more than one"),
        ("mcl01", InvalidTorture.mcl01, "conflicting Content-Length"),
    ])
    func invalidRequestsAreAnsweredWith400(name: String, text: String, reason: String) throws {
        let error = try #require(failure(text), "\(name) must be rejected")
        #expect(error.message.contains(reason), "\(name): \(error.message)")
        #expect(error.status == .badRequest, "\(name): a request the receiver must answer with 400")
        #expect(error.request?.isRequest == true, "\(name): the request is kept so a 400 can be built")
    }

    @Test func badversIsAnsweredWith505() throws {
        let error = try #require(failure(InvalidTorture.badvers))
        #expect(error.code == .unsupportedVersion)
        #expect(error.status == .versionNotSupported)
        #expect(error.message == "SIP version '7.0' is not supported (only 2.0)")
    }

    @Test func novelscUnknownRequestURISchemeIsAnsweredWith416() throws {
        let error = try #require(failure(ValidTorture.novelsc))
        #expect(error.code == .unsupportedURIScheme)
        #expect(error.status == .unsupportedURIScheme)
    }

    @Test(arguments: [("bigcode", InvalidTorture.bigcode), ("scalarlg", InvalidTorture.scalarlg)])
    func invalidResponsesAreDroppedWithoutAnAnswer(name: String, text: String) throws {
        let error = try #require(failure(text), "\(name) must be rejected")
        #expect(error.status == nil, "nobody answers a response")
        #expect(error.request == nil)
    }

    @Test func aRejectedRequestCanStillBeAnswered() throws {
        let error = try #require(failure(InvalidTorture.mismatch01))
        let request = try #require(error.request)
        let answer = request.makeResponse(try #require(error.status), toTag: "t1")
        #expect(answer.statusCode == 400)
        #expect(answer.callID == "mismatch01.dj0234sxdfl3")
        #expect(answer.to?.tag == "t1")
    }

    @Test func bext01ParsesButIsRefusedWith420() throws {
        let request = try SIPMessage.parse(wire(ValidTorture.bext01))
        let agent = SIPAgentProfile(viaHost: "192.0.2.1", contact: SIPURI(user: "sb", host: "192.0.2.1"))
        let answer = try #require(agent.rejectUnsupportedExtensions(request, toTag: "x"))
        #expect(answer.statusCode == 420)
        #expect(answer.unsupported == ["nothingSupportsThis", "nothingSupportsThisEither"])
    }
}

@Suite("Parser details")
struct ParserDetailTests {
    @Test func aKeepAliveIsReportedAsEmpty() {
        #expect(throws: SIPError.self) { try SIPMessage.parse("\r\n\r\n") }
        do {
            _ = try SIPMessage.parse("\r\n\r\n")
        } catch {
            #expect(error.code == .empty)
        }
    }

    @Test func aBodyLongerThanContentLengthIsTruncated() throws {
        let text = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 3\r\n\r\nabcdef"
        let message = try SIPMessage.parse(text)
        #expect(message.bodyText == "abc")
    }

    @Test func compactFormsExpandToFullNames() {
        #expect(SIPHeaderName("i") == .callID)
        #expect(SIPHeaderName("m") == .contact)
        #expect(SIPHeaderName("e").description == "Content-Encoding")
        #expect(SIPHeaderName("l") == .contentLength)
        #expect(SIPHeaderName("f") == .from)
        #expect(SIPHeaderName("t") == .to)
        #expect(SIPHeaderName("v") == .via)
        #expect(SIPHeaderName("k") == .supported)
        #expect(SIPHeaderName("c") == .contentType)
        #expect(SIPHeaderName("s").description == "Subject")
        #expect(SIPHeaderName("CALL-ID").description == "Call-ID")
        #expect(SIPHeaderName("X-Custom").description == "X-Custom")
    }

    @Test func listHeadersSplitOnTopLevelCommasOnly() {
        var headers = SIPHeaders()
        headers.add(.contact, "\"Doe, John\" <sip:j@x;a=1,2>;q=1, <sip:k@y>")
        headers.add(.contact, "<sip:l@z>")
        headers.add(.wwwAuthenticate, "Digest realm=\"a\", nonce=\"b\"")
        #expect(headers.values(.contact) == ["\"Doe, John\" <sip:j@x;a=1,2>;q=1", "<sip:k@y>", "<sip:l@z>"])
        #expect(headers.values(.wwwAuthenticate).count == 1, "WWW-Authenticate is not a list")
    }

    @Test func uriWithIPv6PortParametersAndHeaders() throws {
        let uri = try SIPURI(parsing: "sips:alice@[2001:db8::10]:5061;transport=tcp;lr?subject=hi&priority=urgent")
        #expect(uri.isSecure)
        #expect(uri.user == "alice")
        #expect(uri.host == "[2001:db8::10]")
        #expect(uri.bareHost == "2001:db8::10")
        #expect(uri.port == 5061)
        #expect(uri.parameters.value("transport") == "tcp")
        #expect(uri.isLooseRouter)
        #expect(uri.headers == [SIPParameter("subject", "hi"), SIPParameter("priority", "urgent")])
        #expect(uri.description == "sips:alice@[2001:db8::10]:5061;transport=tcp;lr?subject=hi&priority=urgent")
    }

    @Test(arguments: ["sip:", "sip:user@", "sip:host:99999", "sip:ho st", "sip:[::1", "sip:a@b;;c", "tel"])
    func malformedURIsAreRejected(text: String) {
        #expect(throws: SIPError.self) { try SIPURI(parsing: text) }
    }

    @Test func viaWithRportWithAndWithoutValue() throws {
        let asked = try SIPVia(parsing: "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKabc;rport")
        #expect(asked.hasRport)
        #expect(asked.rport == nil)
        #expect(asked.sentBy == "10.0.0.1:5070")
        let answered = try SIPVia(parsing: "SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bKabc;rport=40000;received=203.0.113.9")
        #expect(answered.rport == 40000)
        #expect(answered.received == "203.0.113.9")
        #expect(answered.responseAddress == SIPTransportAddress(host: "203.0.113.9", port: 40000))
        let ipv6 = try SIPVia(parsing: "SIP/2.0/UDP [2001:db8::1];branch=z9hG4bKx")
        #expect(ipv6.responseAddress == SIPTransportAddress(host: "2001:db8::1", port: 5060))
    }

    @Test func typedAccessorsForOptionTagsRetryAfterAndContentType() throws {
        let text = """
        SIP/2.0 503 Service Unavailable\r
        Via: SIP/2.0/UDP h;branch=z9hG4bK1\r
        From: <sip:x@y>;tag=1\r
        To: <sip:a@b>;tag=2\r
        Call-ID: c\r
        CSeq: 1 INVITE\r
        Retry-After: 120 (maintenance);duration=60\r
        Require: timer\r
        Supported: timer, 100rel\r
        k: replaces\r
        Unsupported: foo\r
        Allow: INVITE, ACK,BYE\r
        Content-Type: application/sdp; charset=utf-8\r
        \r

        """
        let message = try SIPMessage.parse(text)
        #expect(message.retryAfter == 120)
        #expect(message.require == ["timer"])
        #expect(message.supported == ["timer", "100rel", "replaces"])
        #expect(message.unsupported == ["foo"])
        #expect(message.allow == [.invite, .ack, .bye])
        #expect(message.mediaType == "application/sdp")
    }
}
