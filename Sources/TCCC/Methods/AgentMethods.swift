extension TCCC {
    /// The document's `tccc.Agent`: going online and offline, and the agent's status.
    public struct AgentMethods: Sendable {
        let connection: AgentConnection

        /// `Agent.online`: starts work; the agent becomes `free` (or the tenant's chosen status)
        /// and `statusChanged` fires.
        @discardableResult
        public func online() async -> CommonSDKResponse<Void> {
            await connection.respond(to: .agentOnline)
        }

        /// `Agent.offline`: stops work. Refused while the agent holds accepted sessions; ringing
        /// offers are withdrawn and routed on.
        @discardableResult
        public func offline() async -> CommonSDKResponse<Void> {
            await connection.respond(to: .agentOffline)
        }

        /// `Agent.setStatus`: asks for a status. While `busy`, `rest`, `notReady` and `arrange` are
        /// kept and applied when the last session ends; `free` while busy and `busy` are refused.
        ///
        /// - Parameters:
        ///   - status: `free`, `rest`, `arrange`, `notReady` or `stopNotReady` (any letter case,
        ///     as the document spells them: `Arrange`, `NotReady`, `StopNotReady`).
        ///   - restReason: Why, for `rest`.
        @discardableResult
        public func setStatus(_ status: RequestedStatus, restReason: String? = nil) async -> CommonSDKResponse<Void> {
            let wasBusy = connection.shared.mirror.status == .busy
            let answer = await connection.respond(to: .agentSetStatus(status: status.rawValue, restReason: restReason))
            if answer.status == .success, wasBusy {
                // Kept by the server until the last session ends (a `statusChanged` clears it).
                connection.shared.updateMirror { mirror in
                    guard mirror.status == .busy, let pending = AgentStatus(rawValue: Self.wireSpelling(status.rawValue)) else { return }
                    mirror.pendingStatus = pending
                    mirror.pendingRestReason = restReason
                }
            }
            return answer
        }

        /// `stopNotReady` means `free`; other names as the wire spells them, whatever their case.
        static func wireSpelling(_ status: String) -> String {
            switch status.lowercased() {
            case "stopnotready": "free"
            case "notready": "notReady"
            default: status.lowercased()
            }
        }

        /// `Agent.getStatus`: the agent's status as the SDK knows it now, without asking the server
        /// (`offline` before the first `ready`).
        public func getStatus() -> AgentStatus {
            connection.shared.mirror.status
        }

        /// The reason given for `rest`, when the status is `rest`.
        public var restReason: String? {
            connection.shared.mirror.restReason
        }

        /// A status asked for while `busy` (here or on another of the agent's connections), which
        /// the server applies when the last session ends; nil when none is waiting.
        public var pendingStatus: AgentStatus? {
            connection.shared.mirror.pendingStatus
        }

        /// The reason of the pending status, when it is `rest`.
        public var pendingRestReason: String? {
            connection.shared.mirror.pendingRestReason
        }

        /// Asks the server for the agent's status (the wire's `Agent.getStatus` request), with any
        /// pending status.
        public func fetchStatus() async -> CommonSDKResponse<AgentStatusResult> {
            let answer = await connection.respond(to: .agentGetStatus, with: AgentStatusResult.self)
            if answer.status == .success, let result = answer.data {
                connection.shared.updateMirror { mirror in
                    mirror.pendingStatus = result.pendingStatus
                    mirror.pendingRestReason = result.pendingRestReason
                }
            }
            return answer
        }

        /// Whom this agent may transfer to (Switchboard; the wire's `Agent.getTransferTargets`):
        /// the tenant's skill groups with their waiting counts, and the other online agents with
        /// their statuses. TCCC's SDK has no such call; its workbench lists the same.
        ///
        /// - Parameter sessionId: A session this agent holds: each agent in the answer then says
        ///   whether `Chat.transfer` of it to that agent would be carried out now (`available`),
        ///   and if not, `why`. A session the agent could not transfer is an error.
        public func getTransferTargets(sessionId: String? = nil) async -> CommonSDKResponse<TransferTargets> {
            await connection.respond(to: .agentGetTransferTargets(sessionId: sessionId), with: TransferTargets.self)
        }
    }

    /// A status to ask for with ``AgentMethods/setStatus(_:restReason:)``; a string literal works too.
    public struct RequestedStatus: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The status as sent to the server, e.g. `"notReady"`.
        public var rawValue: String

        /// Creates a status from its spelling; the server checks it, case-insensitively.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// Creates a status from a string literal: `tccc.Agent.setStatus("rest", restReason: "lunch")`.
        public init(stringLiteral value: String) {
            self.rawValue = value
        }

        /// The spelling sent.
        public var description: String { rawValue }

        /// Available for offers.
        public static let free = RequestedStatus(rawValue: "free")
        /// A short break; give a `restReason`.
        public static let rest = RequestedStatus(rawValue: "rest")
        /// After-contact work.
        public static let arrange = RequestedStatus(rawValue: "arrange")
        /// Not ready for offers.
        public static let notReady = RequestedStatus(rawValue: "notReady")
        /// Leaves `notReady`: the same as `free`.
        public static let stopNotReady = RequestedStatus(rawValue: "stopNotReady")
    }
}
