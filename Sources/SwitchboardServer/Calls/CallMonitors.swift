import Foundation
import Synchronization
import SwitchboardCore
import SwitchboardProtocol

/// Supervisors listening in on answered calls (docs/calls.md, "Listening in"): listen, whisper to
/// the agent, or barge in.
///
/// No media passes through the server. The agent's page that has the call's media is the hub: it
/// sends the supervisor's page a mix of both sides over a second WebRTC connection, and plays
/// what the supervisor says (whisper) or also mixes it into the call (barge). The server only
/// relays that connection's signalling: to the agent's sockets as `monitorSignal` frames, to the
/// supervisor's page as server-sent events on the monitor's stream, which is the monitor's life:
/// it starts when the stream opens and ends when the stream closes, the supervisor stops, or the
/// call ends or moves to another agent.
public final class CallMonitors: Sendable {
    /// One supervisor on one call.
    struct Monitor {
        let session: SessionID
        let agent: AgentID
        var mode: CallMonitor.Mode
        /// The supervisor's event stream, once open.
        var events: AsyncStream<String>.Continuation?
        let createdAt: ContinuousClock.Instant
    }

    /// Why a monitor request was refused; `notFound` for an id that names no monitor.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public var description: String
        var notFound = false
    }

    let service: RoutingService
    let agents: AgentHub
    private let monitors = Mutex<[String: Monitor]>([:])
    /// A monitor whose stream was not opened within this long is dropped.
    static let unopenedLifetime: Duration = .seconds(60)

    init(service: RoutingService, agents: AgentHub) {
        self.service = service
        self.agents = agents
    }

    /// Registers a monitor of an answered call; the agent hears of it when the stream opens.
    func create(session: SessionID, mode: CallMonitor.Mode) async throws(Refusal) -> (id: String, agent: AgentID) {
        guard mode != .ended else { throw Refusal(description: "mode must be listen, whisper or barge") }
        let found = await service.read { machine -> (type: SwitchboardCore.SessionType, state: SwitchboardCore.SessionState)? in
            machine.sessions[session].map { ($0.type, $0.state) }
        }
        guard let found else { throw Refusal(description: "session \(session) is not live", notFound: true) }
        guard CallSignaling.callTypes.contains(found.type) else {
            throw Refusal(description: "session \(session) is \(found.type.rawValue), not a call: only calls can be listened in on")
        }
        guard case .accepted(let agent) = found.state else {
            throw Refusal(description: "session \(session) has not been answered yet: listen in once an agent holds it")
        }
        let id = "mon-" + ServerSecrets.randomToken(bytes: 16)
        let now = ContinuousClock.now
        monitors.withLock { all in
            all = all.filter { $0.value.events != nil || now - $0.value.createdAt < Self.unopenedLifetime }
            all[id] = Monitor(session: session, agent: agent, mode: mode, events: nil, createdAt: now)
        }
        return (id, agent)
    }

    /// Whether `open` would succeed now (the route answers 404 before starting a stream).
    func canOpen(_ id: String) -> Bool {
        monitors.withLock { $0[id].map { $0.events == nil } ?? false }
    }

    /// Opens the supervisor's event stream and tells the agent; nil if the monitor does not
    /// exist or its stream is open already.
    func open(_ id: String) -> AsyncStream<String>? {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let monitor: Monitor? = monitors.withLock { all in
            guard var monitor = all[id], monitor.events == nil else { return nil }
            monitor.events = continuation
            all[id] = monitor
            return monitor
        }
        guard let monitor else { return nil }
        tellAgent(.monitor(CallMonitor(monitorId: id, sessionId: monitor.session.rawValue, mode: monitor.mode)), monitor.agent)
        return stream
    }

    /// The supervisor's page signals the agent's.
    func fromSupervisor(_ id: String, _ signal: CallSignal) throws(Refusal) {
        guard let monitor = monitors.withLock({ $0[id] }), monitor.events != nil else {
            throw Refusal(description: "monitor \(id) does not exist or its event stream is not open", notFound: true)
        }
        tellAgent(.monitorSignal(monitorId: id, signal), monitor.agent)
    }

    /// The agent's page signals the supervisor's.
    func fromAgent(_ agent: AgentID, _ id: String, _ signal: CallSignal) throws(Refusal) {
        guard let monitor = monitors.withLock({ $0[id] }), monitor.agent == agent, let events = monitor.events else {
            throw Refusal(description: "monitor \(id) is not one of a call agent \(agent) holds")
        }
        events.yield(Self.event("signal", Self.json(signal)))
    }

    /// Listen, whisper or barge, from now on.
    func setMode(_ id: String, _ mode: CallMonitor.Mode) throws(Refusal) -> (CallMonitor, agent: AgentID) {
        guard mode != .ended else { throw Refusal(description: "mode must be listen, whisper or barge; DELETE the monitor to stop") }
        let monitor: Monitor? = monitors.withLock { all in
            guard var monitor = all[id] else { return nil }
            monitor.mode = mode
            all[id] = monitor
            return monitor
        }
        guard let monitor else { throw Refusal(description: "monitor \(id) does not exist", notFound: true) }
        let notice = CallMonitor(monitorId: id, sessionId: monitor.session.rawValue, mode: mode)
        if monitor.events != nil { tellAgent(.monitor(notice), monitor.agent) }
        return (notice, monitor.agent)
    }

    /// Ends a monitor: the agent drops the connection, the supervisor's stream gets `ended`.
    /// False if there was none.
    @discardableResult
    func close(_ id: String, why: String) -> Bool {
        guard let monitor = monitors.withLock({ $0.removeValue(forKey: id) }) else { return false }
        if let events = monitor.events {
            tellAgent(.monitor(CallMonitor(monitorId: id, sessionId: monitor.session.rawValue, mode: .ended)), monitor.agent)
            events.yield(Self.event("ended", Self.json(["why": why])))
            events.finish()
        }
        return true
    }

    /// Whether the monitored call is still held by the agent the monitor was made with.
    func isCurrent(_ id: String) async -> Bool {
        guard let monitor = monitors.withLock({ $0[id] }) else { return false }
        return await service.read { $0.sessions[monitor.session]?.state == .accepted(agent: monitor.agent) }
    }

    /// A keep-alive comment on the stream: a supervisor's page that went away is noticed when
    /// writing it fails.
    func keepAlive(_ id: String) {
        monitors.withLock { $0[id] }?.events?.yield(": keep-alive\n\n")
    }

    /// Whether the monitor exists (opened or not).
    func exists(_ id: String) -> Bool {
        monitors.withLock { $0[id] != nil }
    }

    private func tellAgent(_ frame: AgentServerFrame, _ agent: AgentID) {
        _ = agents.broadcast(frame.encodedText(), to: agent.rawValue)
    }

    static func event(_ name: String, _ json: String) -> String { "event: \(name)\ndata: \(json)\n\n" }

    static func json(_ value: some Encodable) -> String {
        (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
