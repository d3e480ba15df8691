import Foundation
import Logging
import NIOCore
import RtpEngine
import ServiceLifecycle
import Synchronization
import SwitchboardCore
import SwitchboardProtocol
import SwitchboardSIP

/// The phone channel: Switchboard's SIP endpoint towards the carrier's trunk, with rtpengine
/// bridging each call's plain RTP to the WebRTC of the agent's browser.
///
/// An inbound call from an allowed address to a bound number is answered at once (or left ringing
/// until an agent accepts, per number), queued as a `phone` session and hears queue audio; the
/// agent who accepts makes a WebRTC offer that is bound to the call's agent leg. An outbound call
/// starts with the agent's offer, which becomes the INVITE's SDP. Everything that happens to a call
/// is processed in order, one item at a time, by this actor's run loop.
public actor PhoneGateway: Service, CarrierSide {
    enum Work: Sendable {
        case datagram([UInt8], from: SIPTransportAddress)
        case agentSignal(CallSignal, SessionID)
        case notification(CustomerNotification, SessionID)
        case digit(DTMFEvent)
        case tick
        /// The rtpengine whose process had this pid died.
        case mediaRelayStopped(pid: Int32?, String)
    }

    /// Datagrams waiting in the work queue at most; more are dropped at the socket, so a flood
    /// can never crowd out (or grow without bound in front of) the calls' own control items.
    static let datagramBacklog = 2_000

    let configuration: PhoneConfiguration
    let dataDirectory: String
    let routing: RoutingService
    let agents: AgentHub
    let recordings: RecordingLibrary
    let logger: Logger
    let ledger: CarrierLegLedger
    private let work: AsyncStream<Work>
    private let workInput: AsyncStream<Work>.Continuation
    /// Slow work (rtpengine round trips, commits) that must not hold up the SIP loop: each job runs
    /// as a child task of `run()`, interleaving with the loop at its suspension points.
    private let jobs: AsyncStream<@Sendable () async -> Void>
    private let jobsInput: AsyncStream<@Sendable () async -> Void>.Continuation
    private let clockOrigin = ContinuousClock.now
    private let status = Mutex<PhoneStatus>(PhoneStatus())
    /// Datagrams in the work queue now (see `datagramBacklog`).
    private let queuedDatagrams = Atomic<Int>(0)
    /// Whether a tick is in the work queue: one is enough.
    private let tickQueued = Atomic<Bool>(false)
    /// The sessions this gateway carries; only their notifications are queued.
    private let carried = Mutex<Set<SessionID>>([])
    /// Refusals sent to addresses that are not the trunk (each could be a spoofed source).
    var refusals: TokenBucket

    var endpoint = SIPEndpoint()
    var profile: SIPAgentProfile
    var socket: SIPSocket?
    var sink: MediaSink?
    var media: PhoneMediaRelay?
    var digits: DTMFListener?
    /// Outbound calls whose browser offered before the call was registered.
    var earlyOffers: [SessionID: String] = [:]
    /// Inbound calls admitted and being set up (media, queueing), by Call-ID.
    var settingUp: [String: SetUp] = [:]
    /// Set while shutting down (see `stop()`).
    var stopping = false

    /// What became of a call while it was being set up.
    enum SetUp: Sendable, Equatable {
        case running
        /// The caller cancelled (the transaction layer has answered 487).
        case cancelled
        /// rtpengine died: the call gets 503.
        case mediaLost
    }
    var calls: [SessionID: PhoneCall] = [:]
    var sessionsByCallId: [String: SessionID] = [:]
    var admission: TokenBucket
    var allowedSources: [AddressMatcher]
    /// Resolved SIP destinations, so a trunk named by host name is looked up once, not per datagram.
    var resolved: [String: SocketAddress] = [:]
    var queueAudio = ""
    /// Calls in an IVR flow, by their provisional id (see `IVRCall`). Their numbers called are
    /// published with the status: callers in a menu are in no skill group's queue yet, so the
    /// routing core does not know them (TCCC's `IvrCount`).
    var inFlow: [SessionID: IVRCall] = [:] {
        didSet {
            let numbers = inFlow.values.map { $0.customer.calleePhoneNumber ?? "" }
            updateStatus { $0.inMenus = numbers }
        }
    }
    var nextFlowCall: UInt64 = 1
    /// Each flow call's actions not yet carried out, oldest first; the first batch is the one
    /// being performed (see `schedule(_:inFlow:)`).
    var flowWork: [SessionID: [IVRWork]] = [:]
    let prompts: IVRPromptLibrary
    var holdAudio = ""

    /// What `/readyz` and the logs say about the phone channel.
    public struct PhoneStatus: Sendable {
        /// The SIP socket is bound and the media relay answers.
        public var ready = false
        /// Why it is not ready, for people.
        public var problem: String? = "starting"
        /// The SIP port bound (useful with port 0).
        public var sipPort: Int?
        /// Calls carried now.
        public var calls = 0
        /// The number called by each caller now in an IVR menu ("" when unknown).
        public var inMenus: [String] = []
    }

    init(configuration: PhoneConfiguration, dataDirectory: String, routing: RoutingService, agents: AgentHub, recordings: RecordingLibrary, logger: Logger) throws {
        self.configuration = configuration
        self.dataDirectory = dataDirectory
        self.routing = routing
        self.agents = agents
        self.recordings = recordings
        var logger = logger
        logger[metadataKey: "channel"] = "phone"
        self.logger = logger
        ledger = try CarrierLegLedger(dataDirectory: dataDirectory)
        prompts = IVRPromptLibrary(dataDirectory: dataDirectory, voice: configuration.ivrVoice)
        // Unbounded: control items (signals, notifications, digits) are never dropped; datagrams
        // and ticks are bounded where they are produced.
        (work, workInput) = AsyncStream.makeStream(of: Work.self)
        refusals = TokenBucket(rate: 20, burst: 40)
        (jobs, jobsInput) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
        let host = configuration.sipAdvertisedHost ?? (configuration.sipHost == "0.0.0.0" ? "127.0.0.1" : configuration.sipHost)
        // The run loop ticks every 50 ms; messages need not sweep every transaction as well.
        endpoint.firesTimersOnEveryCall = false
        profile = SIPAgentProfile(viaHost: host, viaPort: configuration.sipPort, contact: SIPURI(user: "switchboard", host: host, port: configuration.sipPort))
        admission = TokenBucket(rate: configuration.inviteRate, burst: configuration.inviteRate * 2)
        allowedSources = configuration.allowedSources.compactMap(AddressMatcher.init)
    }

    /// The phone channel's state for `/readyz`.
    public nonisolated var currentStatus: PhoneStatus { status.withLock { $0 } }

    func updateStatus(_ change: (inout PhoneStatus) -> Void) {
        status.withLock { change(&$0) }
    }

    /// The current time on the SIP layer's clock.
    func now() -> SIPTime {
        let elapsed = ContinuousClock.now - clockOrigin
        return SIPTime(milliseconds: elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    // MARK: CarrierSide (called from any thread; handled in order by the run loop)

    nonisolated func agentSignal(_ signal: CallSignal, in session: SessionID) {
        workInput.yield(.agentSignal(signal, session))
    }

    nonisolated func sessionNotification(_ notification: CustomerNotification, for session: SessionID) {
        guard carried.withLock({ $0.contains(session) }) else { return }
        switch notification {
        case .agentJoined, .transferred, .ended, .queued: workInput.yield(.notification(notification, session))
        case .ringing: break
        }
    }

    // MARK: Running

    public func run() async throws {
        do {
            try await start()
        } catch {
            // /readyz is public: the details (paths, rtpengine's log) go to the log only.
            updateStatus { $0.problem = "the phone channel could not start; the server log says why" }
            logger.error("phone channel not started", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        guard let socket else { return }
        await withDiscardingTaskGroup { group in
            let input = workInput
            group.addTask {
                do {
                    try await socket.channel.executeThenClose { inbound, _ in
                        for try await envelope in inbound {
                            guard self.queuedDatagrams.add(1, ordering: .relaxed).newValue <= Self.datagramBacklog else {
                                self.queuedDatagrams.subtract(1, ordering: .relaxed)
                                continue
                            }
                            var buffer = envelope.data
                            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                            input.yield(.datagram(bytes, from: SIPSocket.transportAddress(envelope.remoteAddress)))
                        }
                    }
                } catch {}
            }
            group.addTask {
                // SIP timers and outbound ring deadlines: a tick every 50 ms keeps retransmissions
                // within the RFC's tolerance at no real cost.
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(50))
                    if !self.tickQueued.exchange(true, ordering: .relaxed) { input.yield(.tick) }
                }
            }
            if let digits {
                group.addTask {
                    for await event in digits.events { input.yield(.digit(event)) }
                }
            }
            group.addTask {
                // Watches whichever rtpengine is current: after one dies, its replacement.
                while !Task.isCancelled {
                    guard let relay = await self.media else {
                        try? await Task.sleep(for: .milliseconds(500))
                        continue
                    }
                    guard let why = await relay.waitForUnexpectedExit() else { return }
                    input.yield(.mediaRelayStopped(pid: relay.process?.pid, why))
                    // Wait until the loop has replaced it (or given up on it) before watching again.
                    while !Task.isCancelled, await self.media?.process?.pid == relay.process?.pid {
                        try? await Task.sleep(for: .milliseconds(200))
                    }
                }
            }
            if let days = configuration.recordingRetentionDays {
                group.addTask {
                    // Hourly is plenty for a retention counted in days.
                    while !Task.isCancelled {
                        self.recordings.removeEnded(before: Timestamp.now().milliseconds - Int64(days) * 86_400_000)
                        try? await Task.sleep(for: .seconds(3600))
                    }
                }
            }
            let jobs = self.jobs
            group.addTask {
                await withDiscardingTaskGroup { running in
                    for await job in jobs { running.addTask { await job() } }
                }
            }
            group.addTask {
                try? await gracefulShutdown()
                input.finish()
            }
            for await item in work {
                await handle(item)
            }
            // Stopping closes what the child tasks wait on (the socket, rtpengine, the digits).
            await stop()
            jobsInput.finish()
            group.cancelAll()
        }
    }

    /// Binds the SIP socket, starts (or reaches) rtpengine, and hangs up what a crash left behind.
    private func start() async throws {
        queueAudio = try configuration.queueAudioPath ?? PhoneAudio.ensureFile(named: "queue.wav", in: dataDirectory, samples: PhoneAudio.queueTone)
        holdAudio = try configuration.holdAudioPath ?? PhoneAudio.ensureFile(named: "hold.wav", in: dataDirectory, samples: PhoneAudio.holdTone)
        let socket = try await SIPSocket.bind(host: configuration.sipHost, port: configuration.sipPort)
        self.socket = socket
        if configuration.sipPort == 0 {
            // Port 0 (tests): Via and Contact must carry the port actually bound.
            profile.viaPort = socket.localPort
            profile.contact.port = socket.localPort
        }
        if allowedSources.isEmpty, let trunk = configuration.trunk {
            // Without --trunk-allow, calls may come from the trunk's own address (resolved once).
            let address = try SocketAddress.makeAddressResolvingHost(trunk.host, port: trunk.port)
            allowedSources = [address.ipAddress].compactMap { $0 }.compactMap(AddressMatcher.init)
        }
        if allowedSources.isEmpty {
            logger.warning("no --trunk-allow and no --trunk: every incoming call will be refused with 403")
        }
        sink = try await MediaSink.bind(host: configuration.mediaAddress)
        let digits = try await DTMFListener.bind(logger: logger)
        self.digits = digits
        media = try await PhoneMediaRelay.start(configuration: configuration, stateDirectory: dataDirectory, digitsPort: digits.port, logger: logger)
        // Calls left by a crash are ended before new ones are taken, so none is mistaken for them.
        await hangUpCallsLeftByACrash()
        finishRecordingsLeftByACrash()
        updateStatus { $0.ready = true; $0.problem = nil; $0.sipPort = socket.localPort }
        logger.info("phone channel listening", metadata: [
            "sip": "\(configuration.sipHost):\(socket.localPort)", "trunk": "\(configuration.trunk?.description ?? "none")",
        ])
    }

    private func stop() async {
        // Calls do not survive this process: hang up the carrier legs now rather than at next
        // start. Their ledger files stay: a BYE lost now is sent again by the next start.
        stopping = true
        for session in Array(calls.keys) {
            _ = try? await routing.execute(.adminEnd(session, mainReason: "serverRestart", subReason: "the server was shut down"))
            if let call = calls[session] { await hangUp(call, reason: "shutdown") }
        }
        await media?.stop()
        media = nil
        await digits?.close()
        try? await sink?.channel.close()
        try? await socket?.channel.channel.close()
        updateStatus { $0.ready = false; $0.problem = "stopped" }
    }

    func handle(_ item: Work) async {
        switch item {
        case .datagram(let bytes, let source):
            queuedDatagrams.subtract(1, ordering: .relaxed)
            await receive(bytes, from: source)
        case .agentSignal(let signal, let session): await agentSignal(signal, session: session)
        case .notification(let notification, let session): await handleNotification(notification, session: session)
        case .digit(let event): await callerPressed(event)
        case .tick:
            tickQueued.store(false, ordering: .relaxed)
            await tick()
        case .mediaRelayStopped(let pid, let why): await mediaRelayStopped(pid: pid, why)
        }
        updateStatus { $0.calls = calls.count }
    }

    // MARK: SIP in and out

    private func receive(_ bytes: [UInt8], from source: SIPTransportAddress) async {
        let allowed = allowedSources.contains { $0.matches(source.host) }
        let message: SIPMessage
        do {
            message = try SIPMessage.parse(bytes)
        } catch {
            // Answered only to the trunk, only where the datagram came from, never for an ACK.
            if allowed, let request = error.request, let status = error.status, request.method != .ack {
                logger.debug("malformed SIP request refused", metadata: ["from": "\(source)", "error": "\(error)"])
                send(request.makeResponse(status), to: source)
            } else {
                logger.debug("unreadable datagram dropped", metadata: ["from": "\(source)", "error": "\(error)"])
            }
            return
        }
        guard allowed else {
            refuseStranger(message, from: source)
            return
        }
        await perform(endpoint.receive(message, from: source, at: now()))
    }

    /// Toll fraud and scanners start here: only the trunk may use this endpoint. A request from
    /// anywhere else gets one stateless 403 (no transaction, no retransmissions: the source may be
    /// spoofed), at a bounded rate; responses from elsewhere are dropped.
    private func refuseStranger(_ message: SIPMessage, from source: SIPTransportAddress) {
        guard message.isRequest, message.method != .ack, refusals.take(now: Double(now().milliseconds) / 1000) == nil else { return }
        logger.warning("SIP request from an address that is not the trunk refused", metadata: [
            "from": "\(source)", "method": "\(message.method?.rawValue ?? "-")",
        ])
        send(message.makeResponse(SIPStatus(code: 403, reason: "Forbidden (not an allowed trunk address)"), toTag: SIPIdentifiers.tag()), to: source)
    }

    private func tick() async {
        await perform(endpoint.tick(at: now()))
        await checkDeadlines()
        await checkFlowDeadlines()
    }

    /// Carries out what the SIP layer asks, in order.
    func perform(_ actions: [SIPEndpoint.Action]) async {
        for action in actions {
            switch action {
            case .send(let message, let destination):
                send(message, to: destination)
            case .request(let request, let source):
                await received(request, from: source)
            case .response(let response, let request):
                await received(response, to: request)
            case .cancelled(let invite):
                await carrierCancelled(invite)
            case .timedOut(let request):
                await requestTimedOut(request)
            case .ackTimedOut(let response):
                await ackNeverCame(response)
            case .dropped(let message, let reason):
                logger.debug("SIP message dropped", metadata: ["reason": "\(reason)", "callId": "\(message.callID ?? "-")"])
            }
        }
    }

    /// Sends one message; hostnames (a trunk given by name) are resolved on the way.
    func send(_ message: SIPMessage, to destination: SIPTransportAddress) {
        guard let socket else { return }
        let address: SocketAddress
        if let known = resolved[destination.description] {
            address = known
        } else if AddressMatcher.bytes(of: destination.host) == nil, destination.host != configuration.trunk?.host {
            // Only the configured trunk is ever looked up by name: a name taken from a received
            // message could stall this loop on DNS or aim responses at a third party.
            logger.debug("not sending to a host name that is not the trunk", metadata: ["destination": "\(destination)"])
            return
        } else {
            do {
                address = try SocketAddress.makeAddressResolvingHost(destination.host, port: destination.port)
            } catch {
                logger.warning("cannot resolve the SIP destination", metadata: ["destination": "\(destination)", "error": "\(error)"])
                return
            }
            // Peers are the trunk and the addresses its requests came from: a small set.
            if resolved.count > 1000 { resolved.removeAll() }
            resolved[destination.description] = address
        }
        let bytes = message.bytes
        let envelope = AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes))
        socket.channel.channel.writeAndFlush(envelope, promise: nil)
    }

    /// Responds through the transaction layer (which keeps the response for retransmissions).
    func respond(_ response: SIPMessage) async {
        await perform(endpoint.respond(response, at: now()))
    }

    /// Sends a request through the transaction layer (retransmitted until answered).
    func sendRequest(_ request: SIPMessage, to destination: SIPTransportAddress) async {
        await perform(endpoint.sendRequest(request, to: destination, at: now()))
    }

    /// The session a SIP message belongs to.
    func session(of message: SIPMessage) -> SessionID? {
        message.callID.flatMap { sessionsByCallId[$0] }
    }

    /// Runs `job` beside the SIP loop (see `jobs`).
    nonisolated func spawn(_ job: @escaping @Sendable () async -> Void) {
        jobsInput.yield(job)
    }

    func register(_ call: PhoneCall) {
        carried.withLock { _ = $0.insert(call.session) }
        calls[call.session] = call
        sessionsByCallId[call.callId] = call.session
    }

    /// Stops carrying a call; its ledger entry goes too unless `keepingLeg` (a call re-registered
    /// under its session when an IVR flow queues it keeps its carrier leg).
    func forget(_ call: PhoneCall, keepingLeg: Bool = false) {
        carried.withLock { _ = $0.remove(call.session) }
        calls[call.session] = nil
        inFlow[call.session] = nil
        earlyOffers[call.session] = nil
        sessionsByCallId[call.callId] = nil
        if !stopping, !keepingLeg { ledger.remove(callId: call.callId) }
    }
}
