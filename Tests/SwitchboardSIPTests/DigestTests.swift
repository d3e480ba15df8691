import Testing
@testable import SwitchboardSIP

@Suite("Digest authentication")
struct DigestTests {
    @Test func rfc2617Section3_5Example() throws {
        let challenge = try SIPDigestChallenge(parsing: """
            Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", \
            opaque="5ccc069c403ebaf9f0171e9517f40e41"
            """)
        #expect(challenge.algorithm == .md5)
        #expect(challenge.qop == ["auth", "auth-int"])
        let answer = challenge.authorization(method: "GET", uri: "/dir/index.html",
                                             credentials: SIPDigestCredentials(username: "Mufasa", password: "Circle Of Life"),
                                             cnonce: "0a4f113b")
        #expect(answer.response == "6629fae49393a05397450978507c4ef1")
        #expect(answer.qop == "auth")
        #expect(answer.nonceCountText == "00000001")
        #expect(answer.description == """
            Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", \
            uri="/dir/index.html", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", \
            opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, nc=00000001
            """)
    }

    @Test(arguments: [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func rfc7616Section3_9_1Examples(algorithm: String, expected: String) throws {
        let challenge = try SIPDigestChallenge(parsing: """
            Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=\(algorithm), \
            nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"
            """)
        let answer = challenge.authorization(method: "GET", uri: "/dir/index.html",
                                             credentials: SIPDigestCredentials(username: "Mufasa", password: "Circle of Life"),
                                             cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ")
        #expect(answer.response == expected)
    }

    @Test func sipProxyChallengeWithoutQop() throws {
        // Expected value computed independently (Python hashlib) for this SIP INVITE.
        let response = try SIPMessage.parse("""
            SIP/2.0 407 Proxy Authentication Required\r
            Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1;rport=5060;received=192.0.2.10\r
            From: <sip:alice@trunk.example.net>;tag=a1\r
            To: <sip:+15551234567@trunk.example.net>;tag=p1\r
            Call-ID: call-1\r
            CSeq: 1 INVITE\r
            Proxy-Authenticate: Digest realm="trunk.example.net", nonce="4a7c2b9e", algorithm=MD5\r
            \r

            """)
        let challenge = try #require(SIPDigestChallenge.challenges(in: response).first)
        #expect(challenge.isProxy)
        let answer = challenge.authorization(method: .invite, uri: "sip:+15551234567@trunk.example.net",
                                             credentials: SIPDigestCredentials(username: "alice", password: "s3cret"))
        #expect(answer.response == "7d322f42464266ed76ffb075af8b8a14")
        #expect(answer.cnonce == nil && answer.nonceCount == nil, "no qop: no cnonce or nc")
        #expect(answer.headerName == .proxyAuthorization)
    }

    @Test func sha256SessWithAuthIntHashesTheBody() throws {
        let challenge = SIPDigestChallenge(realm: "trunk.example.net", nonce: "4a7c2b9e", algorithm: .sha256Session, qop: ["auth-int"])
        let answer = challenge.authorization(method: .invite, uri: "sip:+15551234567@trunk.example.net",
                                             credentials: SIPDigestCredentials(username: "alice", password: "s3cret"),
                                             body: Array("v=0\r\n".utf8), cnonce: "cn0nce")
        #expect(answer.response == "382e7b9fb6c663c28677a76630014bf35f674e5032f52893c18d384993465171")
        #expect(answer.qop == "auth-int")
    }

    @Test func theVerifierAcceptsTheRightPasswordOnly() throws {
        let challenge = SIPDigestChallenge(realm: "switchboard", nonce: "n1", qop: ["auth"])
        let sent = challenge.authorization(method: .register, uri: "sip:switchboard.example.com",
                                           credentials: SIPDigestCredentials(username: "agent7", password: "pw"), cnonce: "c")
        let received = try SIPDigestAuthorization(parsing: sent.description)
        #expect(received == sent)
        #expect(received.verify(method: .register, password: "pw"))
        #expect(!received.verify(method: .register, password: "wrong"))
        #expect(!received.verify(method: .invite, password: "pw"))
    }

    @Test func unsupportedAlgorithmsAndNonDigestSchemesAreExplained() {
        do {
            _ = try SIPDigestChallenge(parsing: "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256")
            Issue.record("SHA-512-256 is not implemented")
        } catch {
            #expect(error.message.contains("'SHA-512-256', which is not supported"))
        }
        #expect(throws: SIPError.self) { try SIPDigestChallenge(parsing: "Basic realm=\"r\"") }
        #expect(throws: SIPError.self) { try SIPDigestChallenge(parsing: "Digest nonce=\"n\"") }
    }
}
