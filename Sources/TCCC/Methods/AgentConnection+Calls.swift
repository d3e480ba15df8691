extension AgentConnection {
    /// Performs a call whose success carries no data.
    nonisolated func respond(to call: AgentCall) async -> CommonSDKResponse<Void> {
        switch await perform(call) {
        case .failure(let error):
            return .failure(error)
        case .success(let response):
            guard response.status == .success else { return .failure(Self.refusal(response)) }
            return .success(())
        }
    }

    /// Performs a call whose success carries `data` of type `Value`.
    nonisolated func respond<Value: Decodable & Sendable>(to call: AgentCall, with type: Value.Type) async -> CommonSDKResponse<Value> {
        switch await perform(call) {
        case .failure(let error):
            return .failure(error)
        case .success(let response):
            guard response.status == .success else { return .failure(Self.refusal(response)) }
            do {
                return .success(try response.decodeData(as: type))
            } catch {
                return .failure(TCCCError(.invalidResponse, "the server's answer to \(call.method.rawValue) could not be read: \(error.message)"))
            }
        }
    }

    private static func refusal(_ response: AgentResponse) -> TCCCError {
        TCCCError(.refused, response.errorMsg ?? "the server refused the call without saying why")
    }
}
