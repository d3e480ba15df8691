import Foundation
import Synchronization
import TCCC
import SwitchboardTestSupport

/// Every event an SDK instance fires, in order, waited for by name and predicate.
final class EventRecorder: Sendable {
    private let state = Mutex<(events: [AgentEvent], consumed: Set<Int>)>(([], []))

    /// Starts recording everything `tccc` fires from now on.
    init(_ tccc: TCCC) {
        tccc.onAny { [self] event in
            state.withLock { $0.events.append(event) }
        }
    }

    /// All events recorded so far.
    var all: [AgentEvent] { state.withLock { $0.events } }

    /// The recorded events named `name`.
    func all(_ name: AgentEvent.Name) -> [AgentEvent] { all.filter { $0.name == name } }

    /// Waits for the first event not yet taken that has `name` and matches `predicate`, and takes it.
    @discardableResult
    func next(
        _ name: AgentEvent.Name, timeout: Duration = .seconds(10),
        where predicate: @Sendable (AgentEvent) -> Bool = { _ in true }
    ) async throws -> AgentEvent {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let found = state.withLock { state -> AgentEvent? in
                for (index, event) in state.events.enumerated()
                where !state.consumed.contains(index) && event.name == name && predicate(event) {
                    state.consumed.insert(index)
                    return event
                }
                return nil
            }
            if let found { return found }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestFailure("no \(name) event within \(timeout); recorded: \(all.map(\.name.rawValue))")
    }

    /// True if no event named `name` matching `predicate` arrives within `window` (taken ones excepted).
    func expectNone(_ name: AgentEvent.Name, within window: Duration = .milliseconds(500), where predicate: @Sendable (AgentEvent) -> Bool = { _ in true }) async throws -> Bool {
        try await Task.sleep(for: window)
        return state.withLock { state in
            !state.events.enumerated().contains { !state.consumed.contains($0.offset) && $0.element.name == name && predicate($0.element) }
        }
    }
}

extension AgentEvent {
    /// The session an event concerns, if any.
    var sessionId: String? {
        switch self {
        case .callIn(let callIn): callIn.sessionId
        case .userAccessed(let id), .autoTransfer(let id), .sessionCompleted(let id), .calloutAccepted(let id): id
        case .callOuted(let placed): placed.sessionId
        case .transfer(let id, _, _): id
        case .sessionEnded(let ended): ended.sessionId
        case .message(let message): message.sessionId
        case .ready, .tokenExpired, .statusChanged: nil
        }
    }

    /// The `statusChanged` payload, if this is one.
    var statusChange: StatusChanged? {
        if case .statusChanged(let change) = self { change } else { nil }
    }
}
