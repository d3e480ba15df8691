import Foundation
import SwitchboardTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SwitchboardCore
import SwitchboardServer
import SwitchboardStore

/// The SDK tests' admin calls, answering parsed JSON objects.
extension TestServer {
    /// An admin API call with the test key; the status and the parsed JSON body.
    func api(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(TestServer.adminKey)"]
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let parsed = response.body.readableBytes > 0
                ? (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] : nil
            return (response.status, parsed ?? [:])
        }
    }
}
