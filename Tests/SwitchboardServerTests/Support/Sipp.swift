import Foundation
import Synchronization
import SwitchboardTestSupport

/// sipp (Debian's `sip-tester`) playing the carrier: a scenario written to a temporary file, run
/// on 127.0.0.1 against the server's SIP port, stopped by its pid if it outlives the test.
final class Sipp: Sendable {
    let process: Process
    let directory: URL
    /// The UDP port sipp sends from and listens on.
    let port: Int

    /// Starts sipp with `scenario`; `arguments` add to the defaults (one call, a 20 s timeout that
    /// counts as a failure, errors traced to a file).
    static func start(_ scenario: String, arguments: [String] = [], port: Int? = nil) throws -> Sipp {
        let sipp = URL(fileURLWithPath: "/usr/bin/sipp")
        guard FileManager.default.isExecutableFile(atPath: sipp.path) else {
            throw TestFailure("sipp is not installed: apt-get install sip-tester (.ci/run does)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sipp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try scenario.write(to: directory.appendingPathComponent("scenario.xml"), atomically: true, encoding: .utf8)
        let port = port ?? freeUDPPort()
        let process = Process()
        process.executableURL = sipp
        process.currentDirectoryURL = directory
        process.arguments = [
            "-sf", "scenario.xml", "-i", "127.0.0.1", "-p", String(port), "-m", "1", "-nostdin",
            "-timeout", "20s", "-timeout_error", "-trace_err", "-trace_msg", "-mp", String(freeMediaPorts()),
        ] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return Sipp(process: process, directory: directory, port: port)
    }

    private init(process: Process, directory: URL, port: Int) {
        self.process = process
        self.directory = directory
        self.port = port
    }

    /// Waits for sipp to finish (killing it after `timeout`) and returns its exit status; 0 means
    /// the scenario ran as written.
    func finish(timeout: Duration = .seconds(30)) async -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// What sipp logged: its errors and the messages it exchanged, for failure messages.
    var log: String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".log") }.sorted().compactMap { name in
            (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)).map { "== \(name)\n\($0)" }
        }.joined(separator: "\n")
    }

    /// The SIP messages sipp received, as logged (`-trace_msg`).
    var messages: String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix("_messages.log") }.compactMap {
            try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)
        }.joined()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The first of four consecutive UDP ports free on the loopback right now, for sipp's media (it
/// binds audio RTP at the port and video RTP two above). Chosen in 20000-29999, outside the
/// ephemeral range (32768 and up) where other tests' sockets and rtpengines take ports meanwhile:
/// a free port there once let sipp fail to bind the video port two above it.
func freeMediaPorts() -> Int {
    for _ in 0..<200 {
        let first = 20_000 + 4 * Int.random(in: 0..<2_500)
        if (first..<(first + 4)).allSatisfy(udpPortIsFree) { return first }
    }
    return freeUDPPort()
}

/// Whether a UDP port on the loopback can be bound now.
func udpPortIsFree(_ port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } } == 0
}

/// A UDP port nobody is using on the loopback right now.
func freeUDPPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// sipp scenarios for the carrier's side of phone calls.
enum SippScenario {
    static let offer = """
        v=0
        o=carrier 1 1 IN IP4 [media_ip]
        s=-
        c=IN IP4 [media_ip]
        t=0 0
        m=audio [media_port] RTP/AVP 0 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        """

    static func invite(from caller: String = "+4917012345") -> String {
        """
          <send retrans="500"><![CDATA[
        INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: "Ann Caller" <sip:\(caller)@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>
        Call-ID: [call_id]
        CSeq: 1 INVITE
        Contact: <sip:\(caller)@[local_ip]:[local_port]>
        Max-Forwards: 70
        Content-Type: application/sdp
        Content-Length: [len]

        \(offer)
        ]]></send>
        """
    }

    static let ack = """
          <send><![CDATA[
        ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: "Ann Caller" <sip:+4917012345@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
        Call-ID: [call_id]
        CSeq: 1 ACK
        Max-Forwards: 70
        Content-Length: 0
        ]]></send>
        """

    static let byeFromCaller = """
          <send retrans="500"><![CDATA[
        BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: "Ann Caller" <sip:+4917012345@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
        Call-ID: [call_id]
        CSeq: 2 BYE
        Max-Forwards: 70
        Content-Length: 0
        ]]></send>
          <recv response="200"/>
        """

    static let answerBye = """
          <recv request="BYE" timeout="25000"/>
          <send><![CDATA[
        SIP/2.0 200 OK
        [last_Via:]
        [last_From:]
        [last_To:]
        [last_Call-ID:]
        [last_CSeq:]
        Content-Length: 0
        ]]></send>
        """

    /// The caller is answered at once, stays `pauseMilliseconds`, then hangs up.
    static func callerHangsUp(after pauseMilliseconds: Int) -> String {
        scenario("caller hangs up", invite() + """
              <recv response="100" optional="true"/>
              <recv response="180" optional="true"/>
              <recv response="200" rtd="true"/>
            """ + ack + """
              <pause milliseconds="\(pauseMilliseconds)"/>
            """ + byeFromCaller)
    }

    /// The caller is answered and waits for Switchboard to hang up.
    static let calleeHangsUp = scenario("switchboard hangs up", invite() + """
          <recv response="100" optional="true"/>
          <recv response="180" optional="true"/>
          <recv response="200"/>
        """ + ack + answerBye)

    /// The caller sends one key as SIP INFO (`application/dtmf-relay`), in-dialog with `cseq`.
    static func infoDigit(_ key: String, cseq: Int) -> String {
        """
          <send retrans="500"><![CDATA[
        INFO sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: "Ann Caller" <sip:+4917012345@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
        Call-ID: [call_id]
        CSeq: \(cseq) INFO
        Max-Forwards: 70
        Content-Type: application/dtmf-relay
        Content-Length: [len]

        Signal=\(key)
        Duration=160
        ]]></send>

        """
    }

    /// The caller presses 5 (SIP INFO), refreshes the session with a re-INVITE, then hangs up.
    static let callerSendsInfoAndRefreshes = scenario("INFO digits and a session refresh", invite() + """
          <recv response="100" optional="true"/>
          <recv response="180" optional="true"/>
          <recv response="200"/>
        """ + ack + infoDigit("5", cseq: 2) + """
          <recv response="200"/>
          <send retrans="500"><![CDATA[
        INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: "Ann Caller" <sip:+4917012345@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
        Call-ID: [call_id]
        CSeq: 3 INVITE
        Contact: <sip:+4917012345@[local_ip]:[local_port]>
        Supported: timer
        Session-Expires: 1800;refresher=uac
        Max-Forwards: 70
        Content-Type: application/sdp
        Content-Length: [len]

        \(offer)
        ]]></send>
          <recv response="100" optional="true"/>
          <recv response="200"/>
          <send><![CDATA[
        ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: "Ann Caller" <sip:+4917012345@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
        Call-ID: [call_id]
        CSeq: 3 ACK
        Max-Forwards: 70
        Content-Length: 0
        ]]></send>
        """ + byeFromCaller.replacingOccurrences(of: "CSeq: 2 BYE", with: "CSeq: 4 BYE"))

    /// The caller hears ringing (a number that rings until accepted) and cancels.
    static let callerCancels = scenario("caller cancels", invite() + """
          <recv response="100" optional="true"/>
          <recv response="180"/>
          <pause milliseconds="1000"/>
          <send><![CDATA[
        CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        [last_Via:]
        From: "Ann Caller" <sip:+4917012345@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>
        Call-ID: [call_id]
        CSeq: 1 CANCEL
        Max-Forwards: 70
        Content-Length: 0
        ]]></send>
          <recv response="200"/>
          <recv response="487"/>
        """ + ackForFailure)

    /// An INVITE that must be refused with `status` (then ACKed, as a non-2xx final is).
    static func refused(_ status: Int) -> String {
        scenario("refused with \(status)", invite() + """
              <recv response="100" optional="true"/>
              <recv response="\(status)"/>
            """ + ackForFailure)
    }

    /// The ACK for a non-2xx final response to the INVITE: in its transaction, so with its Via.
    static let ackForFailure = """
          <send><![CDATA[
        ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        [last_Via:]
        From: "Ann Caller" <sip:+4917012345@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
        Call-ID: [call_id]
        CSeq: 1 ACK
        Max-Forwards: 70
        Content-Length: 0
        ]]></send>
        """

    static let options = scenario("options", """
          <send retrans="500"><![CDATA[
        OPTIONS sip:[service]@[remote_ip]:[remote_port] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: <sip:carrier@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
        To: <sip:[service]@[remote_ip]:[remote_port]>
        Call-ID: [call_id]
        CSeq: 1 OPTIONS
        Max-Forwards: 70
        Content-Length: 0
        ]]></send>
          <recv response="200"/>
        """)

    /// The trunk: challenges the INVITE (401), checks the digest, rings, answers, waits for BYE.
    static func trunkChallengesThenAnswers(username: String, password: String) -> String {
        scenario("trunk answers after a digest challenge", """
              <recv request="INVITE"/>
              <send><![CDATA[
            SIP/2.0 401 Unauthorized
            [last_Via:]
            [last_From:]
            [last_To:];tag=[pid]SIPpTag01[call_number]
            [last_Call-ID:]
            [last_CSeq:]
            WWW-Authenticate: Digest realm="carrier.test", nonce="5f3b2c1a9d8e7f60", algorithm=MD5, qop="auth"
            Content-Length: 0
            ]]></send>
              <recv request="ACK"/>
              <recv request="INVITE">
                <action><verifyauth assign_to="authvalid" username="\(username)" password="\(password)"/></action>
              </recv>
              <nop hide="true" test="authvalid" next="good"/>
              <send><![CDATA[
            SIP/2.0 403 Forbidden
            [last_Via:]
            [last_From:]
            [last_To:];tag=[pid]SIPpTag01[call_number]
            [last_Call-ID:]
            [last_CSeq:]
            Content-Length: 0
            ]]></send>
              <recv request="ACK"/>
              <recv request="NEVER" timeout="100"/>
              <label id="good"/>
              <send><![CDATA[
            SIP/2.0 180 Ringing
            [last_Via:]
            [last_From:]
            [last_To:];tag=[pid]SIPpTag01[call_number]
            [last_Call-ID:]
            [last_CSeq:]
            Content-Length: 0
            ]]></send>
              <pause milliseconds="500"/>
              <send retrans="500"><![CDATA[
            SIP/2.0 200 OK
            [last_Via:]
            [last_From:]
            [last_To:];tag=[pid]SIPpTag01[call_number]
            [last_Call-ID:]
            [last_CSeq:]
            Contact: <sip:trunk@[local_ip]:[local_port]>
            Content-Type: application/sdp
            Content-Length: [len]

            \(offer)
            ]]></send>
              <recv request="ACK"/>
            """ + answerBye)
    }

    /// The trunk answers the INVITE with `status` and expects the ACK.
    static func trunkRefuses(_ status: Int, _ reason: String) -> String {
        scenario("trunk refuses with \(status)", """
              <recv request="INVITE"/>
              <send><![CDATA[
            SIP/2.0 \(status) \(reason)
            [last_Via:]
            [last_From:]
            [last_To:];tag=[pid]SIPpTag01[call_number]
            [last_Call-ID:]
            [last_CSeq:]
            Content-Length: 0
            ]]></send>
              <recv request="ACK"/>
            """)
    }

    static func scenario(_ name: String, _ body: String) -> String {
        """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="\(name)">
        \(body)
        </scenario>
        """
    }
}
