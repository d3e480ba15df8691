extension SIPMessage {
    /// Parses one datagram into a message (RFC 3261 §7, §18.3 for UDP framing).
    ///
    /// Folded header lines are unfolded; Content-Length is honoured (a shorter body is an error, extra
    /// bytes are dropped); without Content-Length the body runs to the end of the datagram. The
    /// headers every message needs (Via, From, To, Call-ID, CSeq) are checked, as are Max-Forwards,
    /// Contact and Content-Length. Never traps and runs in time linear in the input.
    public static func parse(_ bytes: [UInt8]) throws(SIPError) -> SIPMessage {
        try parse(bytes[...])
    }

    /// Parses text (as UTF-8).
    public static func parse(_ text: String) throws(SIPError) -> SIPMessage {
        try parse(Array(text.utf8)[...])
    }

    static func parse(_ input: ArraySlice<UInt8>) throws(SIPError) -> SIPMessage {
        var start = input.startIndex
        // RFC 3261 §7.5: CRLFs before the start line are ignored (they are also keep-alives).
        while start < input.endIndex, input[start] == 0x0D || input[start] == 0x0A { start += 1 }
        guard start < input.endIndex else {
            throw SIPError(.empty, "the datagram holds no SIP message (only line breaks: a keep-alive)")
        }

        // Split the head into lines; a line starting with SP/HT continues the previous one.
        var lines: [[UInt8]] = []
        var index = start
        var bodyStart: Int?
        var line: [UInt8] = []
        while index < input.endIndex {
            let byte = input[index]
            if byte == 0x0A || byte == 0x0D {
                var next = index + 1
                if byte == 0x0D, next < input.endIndex, input[next] == 0x0A { next += 1 }
                if line.isEmpty {
                    bodyStart = next
                    break
                }
                if next < input.endIndex, SIPSyntax.isWhitespace(input[next]), !lines.isEmpty {
                    // Folded: the line break plus leading whitespace becomes one space.
                    line.append(0x20)
                    index = next
                    while index < input.endIndex, SIPSyntax.isWhitespace(input[index]) { index += 1 }
                    continue
                }
                lines.append(line)
                line = []
                index = next
                continue
            }
            line.append(byte)
            index += 1
        }
        if !line.isEmpty { lines.append(line) }
        guard let startLineBytes = lines.first else {
            throw SIPError(.malformedStartLine, "the message has no start line")
        }
        guard bodyStart != nil else {
            throw SIPError(.malformedHeader, "the message headers are not ended by an empty line")
        }

        // A bad request line still leaves headers worth reading: they are what a 400 answer copies.
        let startLine: StartLine
        var startLineError: SIPError?
        do {
            startLine = try parseStartLine(startLineBytes)
        } catch {
            guard !startLineBytes.starts(with: Array("SIP/".utf8)),
                  let word = startLineBytes.split(separator: 0x20).first, SIPSyntax.isToken(String(decoding: word, as: UTF8.self))
            else { throw error }
            startLineError = error
            startLine = .request(SIPMethod(rawValue: String(decoding: word, as: UTF8.self)), SIPURI(host: "invalid"))
        }
        var headers = SIPHeaders()
        var headerError: SIPError?
        for headerLine in lines.dropFirst() {
            guard let colon = headerLine.firstIndex(of: UInt8(ascii: ":")) else {
                headerError = headerError ?? SIPError(.malformedHeader, "header line '\(String(decoding: headerLine.prefix(40), as: UTF8.self))' has no ':'")
                continue
            }
            let name = SIPSyntax.trim(String(decoding: headerLine[..<colon], as: UTF8.self))
            guard SIPSyntax.isToken(name) else {
                headerError = headerError ?? SIPError(.malformedHeader, "header name '\(name)' is not a token")
                continue
            }
            let value = SIPSyntax.trim(String(decoding: headerLine[(colon + 1)...], as: UTF8.self))
            headers.add(SIPHeaderName(String(name)), String(value))
        }

        let available = input[bodyStart!...]
        var message: SIPMessage
        switch startLine {
        case .request(let method, let uri): message = SIPMessage(method: method, uri: uri, headers: headers)
        case .response(let status): message = SIPMessage(status: status, headers: headers)
        }
        let contentLengths = Set(headers.values(.contentLength))
        var framingError: SIPError?
        if contentLengths.count > 1 {
            framingError = SIPError(.contentLength, "the message has conflicting Content-Length values \(contentLengths.sorted())")
            message.body = Array(available)
        } else if let text = contentLengths.first {
            if let length = SIPSyntax.decimal(text, maxDigits: 9) {
                if length > available.count {
                    framingError = SIPError(.contentLength, "Content-Length says \(length) bytes but only \(available.count) follow the headers")
                    message.body = Array(available)
                } else {
                    message.body = Array(available.prefix(length))
                }
            } else {
                framingError = SIPError(.contentLength, "Content-Length '\(text)' is not a non-negative number")
                message.body = Array(available)
            }
        } else {
            message.body = Array(available)
        }

        if let failure = startLineError ?? headerError ?? message.validationError() ?? framingError {
            var error = failure
            if message.isRequest {
                error.status = error.status ?? (error.code == .unsupportedURIScheme ? .unsupportedURIScheme : .badRequest)
                // Answering needs Via, From, To, Call-ID and CSeq; without them nobody can be answered.
                error.request = message.headers.contains(.via) && message.headers.contains(.cseq) ? message : nil
            }
            throw error
        }
        return message
    }

    private static func parseStartLine(_ bytes: [UInt8]) throws(SIPError) -> StartLine {
        let text = String(decoding: bytes, as: UTF8.self)
        let shown = String(text.prefix(80))
        if text.hasPrefix("SIP/") {
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2 else {
                throw SIPError(.malformedStartLine, "status line '\(shown)' must be SIP/2.0 SP code SP reason")
            }
            guard parts[0] == "SIP/2.0" else {
                throw SIPError(.unsupportedVersion, "SIP version '\(parts[0].dropFirst(4))' is not supported (only 2.0)")
            }
            guard parts[1].utf8.count == 3, let code = SIPSyntax.decimal(parts[1]), (100...699).contains(code) else {
                throw SIPError(.malformedStartLine, "status code '\(parts[1].prefix(20))' is not a number from 100 to 699")
            }
            let reason = parts.count == 3 ? String(parts[2]) : ""
            return .response(SIPStatus(code: code, reason: reason))
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw SIPError(.malformedStartLine, "request line '\(shown)' must be Method SP Request-URI SP SIP/2.0, with single spaces")
        }
        guard SIPSyntax.isToken(parts[0]) else {
            throw SIPError(.malformedStartLine, "request method '\(parts[0].prefix(30))' is not a token")
        }
        guard parts[2].uppercased() == "SIP/2.0" else {
            let version = parts[2].uppercased().hasPrefix("SIP/") ? String(parts[2].dropFirst(4)) : String(parts[2])
            throw SIPError(.unsupportedVersion, "SIP version '\(version)' is not supported (only 2.0)",
                           status: .versionNotSupported)
        }
        if parts[1].hasPrefix("<") {
            throw SIPError(.malformedURI, "the Request-URI must not be enclosed in '<>'", status: .badRequest)
        }
        do throws(SIPError) {
            let uri = try SIPURI(parsing: parts[1])
            guard uri.headers.isEmpty else {
                throw SIPError(.malformedURI, "'\(parts[1].prefix(60))' has headers ('?...'), which a Request-URI must not carry")
            }
            return .request(SIPMethod(rawValue: String(parts[0])), uri)
        } catch {
            var error = error
            error.message = "Request-URI: " + error.message
            error.status = error.code == .unsupportedURIScheme ? .unsupportedURIScheme : .badRequest
            throw error
        }
    }

    /// The first thing wrong with the headers every message needs, or nil.
    func validationError() -> SIPError? {
        for name in [SIPHeaderName.via, .from, .to, .callID, .cseq] where !headers.contains(name) {
            return SIPError(.missingHeader, "the message has no \(name) header")
        }
        for name in [SIPHeaderName.from, .to, .callID, .cseq, .maxForwards, .contentType] where headers.values(name).count > 1 {
            return SIPError(.malformedHeaderValue, "the message has more than one \(name) header")
        }
        do {
            let vias = headers.values(.via)
            let viaFields = headers.fields.filter { $0.name == .via }
            // An empty element between commas ("a,,b") is a syntax error, not a missing value.
            for field in viaFields where SIPSyntax.splitTopLevel(field.value[...], on: UInt8(ascii: ",")).parts.contains(where: { SIPSyntax.trim($0).isEmpty }) {
                return SIPError(.malformedHeaderValue, "Via '\(field.value)' has an empty element between commas")
            }
            for via in vias { _ = try SIPVia(parsing: via) }
            _ = try SIPNameAddress(parsing: headers[.from]!, header: "From")
            _ = try SIPNameAddress(parsing: headers[.to]!, header: "To")
            let cseq = try SIPCSeq(parsing: headers[.cseq]!)
            if case .request(let method, _) = startLine, cseq.method != method {
                return SIPError(.methodMismatch, "CSeq method '\(cseq.method)' does not match request method '\(method)'")
            }
            if let callID = headers[.callID], callID.isEmpty || SIPSyntax.hasWhitespaceOrControl(callID) {
                return SIPError(.malformedHeaderValue, "Call-ID '\(callID)' is empty or contains whitespace")
            }
            if let maxForwards = headers[.maxForwards] {
                guard SIPSyntax.maxForwards(maxForwards) != nil else {
                    return SIPError(.malformedHeaderValue, "Max-Forwards '\(maxForwards.prefix(20))' is not a number from 0 to 255")
                }
            }
            let contacts = headers.values(.contact)
            if contacts != ["*"] {
                for contact in contacts { _ = try SIPNameAddress(parsing: contact, header: "Contact") }
            }
        } catch {
            return error
        }
        return nil
    }
}
