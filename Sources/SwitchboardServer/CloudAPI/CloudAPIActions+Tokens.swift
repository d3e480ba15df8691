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
        // A once-only token needs the login to spend it; until the server records spent
        // tokens, refusing is honest where issuing a reusable one would not be.
        try call.parameters.refuseUnsupported("OnlyOnce", unless: { $0 == .bool(false) }, why: "tokens cannot be limited to one login yet; each lives \(sdkTokenLifetimeSeconds / 60) minutes")
        let issued: (token: String, expiresAt: Date)
        do { issued = try await call.server.authenticator.issueToken(for: agent.id, lifetime: sdkTokenLifetimeSeconds) } catch {
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
