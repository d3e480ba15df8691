import Foundation
import SwitchboardCore
import SwitchboardProtocol

/// `CreateSDKLoginToken`: an agent's browser SDK login, as the admin API's
/// `POST /api/v1/agents/{id}/tokens` issues it, with the script URL that carries it.
extension CloudAPIActions {
    /// TCCC's SDK logins live about ten minutes.
    static let sdkTokenLifetimeSeconds = 600

    static func createSDKLoginToken(_ call: CloudAPICall) async throws(CloudAPIError) -> [String: JSONValue] {
        try call.begin(accepting: ["SeatUserId", "OnlyOnce"])
        let agent = try await call.requireAgent(try call.parameters.requiredString("SeatUserId"), field: "SeatUserId")
        // A single-use token is recorded as spent by the login it makes (spent_tokens); that
        // connection then carries on with session tokens, which the SDKs reconnect with.
        let onlyOnce = try call.parameters.bool("OnlyOnce") ?? false
        let issued: (token: String, expiresAt: Date)
        do {
            issued = try await call.server.authenticator.issueToken(for: agent.id, lifetime: sdkTokenLifetimeSeconds, singleUse: onlyOnce)
        } catch {
            throw CloudAPIError("InternalError", "could not sign the token (\(error))")
        }
        var components = URLComponents(string: call.baseURL + "/sdk/tccc.js")!
        components.queryItems = [
            URLQueryItem(name: "sdkAppId", value: String(call.sdkAppId)), URLQueryItem(name: "token", value: issued.token),
            URLQueryItem(name: "userid", value: agent.id.rawValue),
        ]
        // `@` in a user id is legal in a query but some parsers split on it: encode it too.
        let url = components.url!.absoluteString.replacingOccurrences(of: "@", with: "%40")
        return [
            "Token": .string(issued.token), "ExpiredTime": .integer(Int64(issued.expiresAt.timeIntervalSince1970)),
            "SdkURL": .string(url),
        ]
    }
}
