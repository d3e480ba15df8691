import Crypto

/// A digest hash algorithm (RFC 7616 §3.3; RFC 8760 for SIP). `-sess` variants hash the client nonce
/// into HA1.
public enum SIPDigestAlgorithm: String, Hashable, Sendable, CaseIterable {
    /// MD5 (the RFC 2617 default when `algorithm` is absent).
    case md5 = "MD5"
    /// MD5-sess.
    case md5Session = "MD5-sess"
    /// SHA-256.
    case sha256 = "SHA-256"
    /// SHA-256-sess.
    case sha256Session = "SHA-256-sess"

    /// Parses an algorithm name case-insensitively.
    public init?(name: String) {
        guard let match = SIPDigestAlgorithm.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            return nil
        }
        self = match
    }

    var isSession: Bool { self == .md5Session || self == .sha256Session }

    func hash(_ text: String) -> String { hash(Array(text.utf8)) }

    func hash(_ bytes: [UInt8]) -> String {
        switch self {
        case .md5, .md5Session: hex(Insecure.MD5.hash(data: bytes))
        case .sha256, .sha256Session: hex(SHA256.hash(data: bytes))
        }
    }

    private func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A username and password for digest authentication.
public struct SIPDigestCredentials: Hashable, Sendable {
    /// The username.
    public var username: String
    /// The password.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// A `WWW-Authenticate` or `Proxy-Authenticate` digest challenge (RFC 2617 §3.2.1, RFC 7616 §3.3).
public struct SIPDigestChallenge: Hashable, Sendable {
    /// The protection realm.
    public var realm: String
    /// The server nonce.
    public var nonce: String
    /// Opaque data to echo back.
    public var opaque: String?
    /// The hash algorithm; MD5 when the challenge names none.
    public var algorithm: SIPDigestAlgorithm
    /// The offered qop values (`auth`, `auth-int`); empty for RFC 2069 style challenges.
    public var qop: [String]
    /// Whether the previous nonce was merely stale (retry with the same credentials).
    public var stale: Bool
    /// Whether this came in Proxy-Authenticate (answer with Proxy-Authorization).
    public var isProxy: Bool

    /// Creates a challenge.
    public init(realm: String, nonce: String, opaque: String? = nil, algorithm: SIPDigestAlgorithm = .md5,
                qop: [String] = [], stale: Bool = false, isProxy: Bool = false) {
        self.realm = realm
        self.nonce = nonce
        self.opaque = opaque
        self.algorithm = algorithm
        self.qop = qop
        self.stale = stale
        self.isProxy = isProxy
    }

    /// Parses a challenge header value such as `Digest realm="x", nonce="y", qop="auth"`.
    public init(parsing value: String, isProxy: Bool = false) throws(SIPError) {
        let header = isProxy ? "Proxy-Authenticate" : "WWW-Authenticate"
        let parameters = try SIPDigestChallenge.parseDigestParameters(value, header: header)
        guard let realm = parameters["realm"] else {
            throw SIPError(.authentication, "\(header) has no realm")
        }
        guard let nonce = parameters["nonce"] else {
            throw SIPError(.authentication, "\(header) has no nonce")
        }
        let algorithmName = parameters["algorithm"] ?? "MD5"
        guard let algorithm = SIPDigestAlgorithm(name: algorithmName) else {
            throw SIPError(.authentication, "\(header) asks for digest algorithm '\(algorithmName)', which is not supported (MD5, MD5-sess, SHA-256, SHA-256-sess are)")
        }
        self.init(
            realm: realm,
            nonce: nonce,
            opaque: parameters["opaque"],
            algorithm: algorithm,
            qop: (parameters["qop"] ?? "").split(separator: ",").map { SIPSyntax.trim($0).lowercased() }.filter { !$0.isEmpty },
            stale: parameters["stale"]?.lowercased() == "true",
            isProxy: isProxy
        )
    }

    /// The challenges in a 401/407 response, proxy ones first, the ones we can answer only.
    public static func challenges(in response: SIPMessage) -> [SIPDigestChallenge] {
        let proxy = response.headers.values(.proxyAuthenticate).compactMap { try? SIPDigestChallenge(parsing: $0, isProxy: true) }
        let www = response.headers.values(.wwwAuthenticate).compactMap { try? SIPDigestChallenge(parsing: $0, isProxy: false) }
        return proxy + www
    }

    /// Answers the challenge for a request (RFC 2617 §3.2.2, RFC 7616 §3.4).
    ///
    /// With qop, `auth` is preferred over `auth-int`; `cnonce` and `nonceCount` are then sent. The
    /// client nonce is a parameter so tests can use the RFC's.
    public func authorization(
        method: SIPMethod,
        uri: String,
        credentials: SIPDigestCredentials,
        body: [UInt8] = [],
        cnonce: String = SIPIdentifiers.tag() + SIPIdentifiers.tag(),
        nonceCount: UInt32 = 1
    ) -> SIPDigestAuthorization {
        let chosenQop: String? = qop.contains("auth") ? "auth" : (qop.contains("auth-int") ? "auth-int" : nil)
        var answer = SIPDigestAuthorization(
            username: credentials.username, realm: realm, nonce: nonce, uri: uri, response: "",
            algorithm: algorithm, cnonce: (chosenQop != nil || algorithm.isSession) ? cnonce : nil,
            nonceCount: chosenQop != nil ? nonceCount : nil, qop: chosenQop, opaque: opaque, isProxy: isProxy
        )
        answer.response = answer.expectedResponse(method: method, password: credentials.password, body: body)
        return answer
    }

    static func parseDigestParameters(_ value: String, header: String) throws(SIPError) -> [String: String] {
        let trimmed = SIPSyntax.trim(value)
        guard let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }),
              trimmed[..<space].lowercased() == "digest"
        else {
            throw SIPError(.authentication, "\(header) is not a Digest challenge: '\(trimmed.prefix(40))'")
        }
        var parameters: [String: String] = [:]
        let split = SIPSyntax.splitTopLevel(trimmed[space...], on: UInt8(ascii: ","))
        guard split.balanced else { throw SIPError(.authentication, "\(header) has an unterminated quoted string") }
        for piece in split.parts {
            let item = SIPSyntax.trim(piece)
            if item.isEmpty { continue }
            guard let equals = item.firstIndex(of: "=") else {
                throw SIPError(.authentication, "\(header) parameter '\(item.prefix(30))' has no value")
            }
            let name = SIPSyntax.trim(item[..<equals]).lowercased()
            let raw = SIPSyntax.trim(item[item.index(after: equals)...])
            if raw.first == "\"" {
                guard let quoted = SIPSyntax.readQuoted(raw) else {
                    throw SIPError(.authentication, "\(header) parameter '\(name)' has a badly quoted value")
                }
                parameters[name] = quoted.content
            } else {
                parameters[name] = String(raw)
            }
        }
        return parameters
    }
}

/// An `Authorization` or `Proxy-Authorization` digest answer.
public struct SIPDigestAuthorization: Hashable, Sendable, CustomStringConvertible {
    /// The username.
    public var username: String
    /// The realm from the challenge.
    public var realm: String
    /// The nonce from the challenge.
    public var nonce: String
    /// The digest-uri: the Request-URI as written.
    public var uri: String
    /// The hex digest.
    public var response: String
    /// The algorithm.
    public var algorithm: SIPDigestAlgorithm
    /// The client nonce (with qop or -sess).
    public var cnonce: String?
    /// The nonce count (with qop).
    public var nonceCount: UInt32?
    /// The chosen qop.
    public var qop: String?
    /// The opaque value echoed from the challenge.
    public var opaque: String?
    /// Whether this goes in Proxy-Authorization.
    public var isProxy: Bool

    /// Creates an answer.
    public init(username: String, realm: String, nonce: String, uri: String, response: String,
                algorithm: SIPDigestAlgorithm = .md5, cnonce: String? = nil, nonceCount: UInt32? = nil,
                qop: String? = nil, opaque: String? = nil, isProxy: Bool = false) {
        self.username = username
        self.realm = realm
        self.nonce = nonce
        self.uri = uri
        self.response = response
        self.algorithm = algorithm
        self.cnonce = cnonce
        self.nonceCount = nonceCount
        self.qop = qop
        self.opaque = opaque
        self.isProxy = isProxy
    }

    /// The header this answer goes in.
    public var headerName: SIPHeaderName { isProxy ? .proxyAuthorization : .authorization }

    /// `nc` as eight hex digits.
    public var nonceCountText: String? {
        nonceCount.map { count in
            let hex = String(count, radix: 16)
            return String(repeating: "0", count: max(0, 8 - hex.count)) + hex
        }
    }

    /// The header value.
    public var description: String {
        var parts = [
            "username=\(SIPSyntax.quote(username))", "realm=\(SIPSyntax.quote(realm))",
            "nonce=\(SIPSyntax.quote(nonce))", "uri=\(SIPSyntax.quote(uri))",
            "response=\(SIPSyntax.quote(response))", "algorithm=\(algorithm.rawValue)",
        ]
        if let cnonce { parts.append("cnonce=\(SIPSyntax.quote(cnonce))") }
        if let opaque { parts.append("opaque=\(SIPSyntax.quote(opaque))") }
        if let qop { parts.append("qop=\(qop)") }
        if let nc = nonceCountText, qop != nil { parts.append("nc=\(nc)") }
        return "Digest " + parts.joined(separator: ", ")
    }

    /// Parses an Authorization header value (server side).
    public init(parsing value: String, isProxy: Bool = false) throws(SIPError) {
        let header = isProxy ? "Proxy-Authorization" : "Authorization"
        let p = try SIPDigestChallenge.parseDigestParameters(value, header: header)
        guard let username = p["username"], let realm = p["realm"], let nonce = p["nonce"], let uri = p["uri"],
              let response = p["response"]
        else {
            throw SIPError(.authentication, "\(header) lacks one of username, realm, nonce, uri, response")
        }
        guard let algorithm = SIPDigestAlgorithm(name: p["algorithm"] ?? "MD5") else {
            throw SIPError(.authentication, "\(header) uses unsupported algorithm '\(p["algorithm"] ?? "")'")
        }
        self.init(username: username, realm: realm, nonce: nonce, uri: uri, response: response, algorithm: algorithm,
                  cnonce: p["cnonce"], nonceCount: p["nc"].flatMap { UInt32($0, radix: 16) }, qop: p["qop"],
                  opaque: p["opaque"], isProxy: isProxy)
    }

    /// The response a client knowing `password` must have computed.
    public func expectedResponse(method: SIPMethod, password: String, body: [UInt8] = []) -> String {
        var ha1 = algorithm.hash("\(username):\(realm):\(password)")
        if algorithm.isSession { ha1 = algorithm.hash("\(ha1):\(nonce):\(cnonce ?? "")") }
        let ha2 = qop == "auth-int"
            ? algorithm.hash("\(method):\(uri):\(algorithm.hash(body))")
            : algorithm.hash("\(method):\(uri)")
        if let qop {
            return algorithm.hash("\(ha1):\(nonce):\(nonceCountText ?? "00000001"):\(cnonce ?? ""):\(qop):\(ha2)")
        }
        return algorithm.hash("\(ha1):\(nonce):\(ha2)")
    }

    /// Server side: whether this answer proves knowledge of `password` for the request. The caller
    /// also checks that the nonce is one it issued and is fresh.
    public func verify(method: SIPMethod, password: String, body: [UInt8] = []) -> Bool {
        let expected = Array(expectedResponse(method: method, password: password, body: body).utf8)
        let given = Array(response.lowercased().utf8)
        guard expected.count == given.count else { return false }
        // Constant-time comparison: no early exit on the first differing byte.
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
