import Foundation
import HTTPTypes
import NIOCore
import SwitchboardCore
import Testing
import SwitchboardTestSupport

/// Uploaded IVR prompts: stored as sent, listed with their length, checked before a flow may
/// play them, and kept while a flow does.
@Suite("Admin IVR prompts")
struct AdminIVRPromptTests {
    /// One second of a 440 Hz tone, 8 kHz 16-bit mono.
    static let second: [UInt8] = {
        var bytes: [UInt8] = []
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        func append(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        bytes += Array("RIFF".utf8); append(UInt32(36 + 16000)); bytes += Array("WAVE".utf8)
        bytes += Array("fmt ".utf8); append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
        append(UInt32(8000)); append(UInt32(16000)); append(UInt16(2)); append(UInt16(16))
        bytes += Array("data".utf8); append(UInt32(16000))
        for index in 0..<8000 { append(UInt16(bitPattern: Int16(sin(2 * .pi * 440 * Double(index) / 8000) * 8000))) }
        return bytes
    }()

    static func upload(_ server: TestServer, _ name: String, _ bytes: [UInt8], type: String = "audio/wav") async throws -> (HTTPResponse.Status, JSON) {
        let headers: HTTPFields = [.authorization: "Bearer \(TestServer.adminKey)", .contentType: type]
        return try await server.client.execute(uri: "/api/v1/ivr-prompts/\(name)", method: .put, headers: headers, body: ByteBuffer(bytes: bytes)) { response in
            let parsed = response.body.readableBytes > 0 ? try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) : nil
            return (response.status, JSON(parsed))
        }
    }

    @Test func aPromptIsUploadedListedPlayedByAFlowAndKeptWhileItIs() async throws {
        try await TestServer.run { server in
            _ = try await server.createGroup(#"{"id":"sales"}"#)
            let flow = #"{"start":"hello","nodes":[{"id":"hello","type":"play","prompt":{"audio":"welcome","text":"Welcome."},"next":"q"},{"id":"q","type":"queue","skillGroupId":"sales"}]}"#
            let early = try await server.api(.put, "/api/v1/ivr-flows/main", flow)
            #expect(early.status == .badRequest)
            #expect(early.json["error"]["message"].string == "flow main: prompt audio 'welcome' has not been uploaded; PUT it to /api/v1/ivr-prompts/welcome first")

            let (status, stored) = try await Self.upload(server, "welcome", Self.second)
            #expect(status == .created && stored["milliseconds"].int == 1000 && stored["bytes"].int == Self.second.count, "\(stored)")
            let onDisk = try Data(contentsOf: URL(fileURLWithPath: server.components.configuration.dataDirectory).appendingPathComponent("ivr-audio/welcome.wav"))
            #expect([UInt8](onDisk) == Self.second)
            #expect(try await server.api(.get, "/api/v1/ivr-prompts").json["items"][0]["name"].string == "welcome")

            #expect(try await server.api(.put, "/api/v1/ivr-flows/main", flow).status == .created)
            let inUse = try await server.api(.delete, "/api/v1/ivr-prompts/welcome")
            #expect(inUse.status == .conflict && inUse.json["error"]["message"].string == "IVR prompt welcome is played by IVR flow main; change the flow first")
            #expect(try await server.api(.delete, "/api/v1/ivr-flows/main").status == .noContent)
            #expect(try await server.api(.delete, "/api/v1/ivr-prompts/welcome").status == .noContent)
            #expect(try await server.api(.get, "/api/v1/ivr-prompts").json["items"].array.isEmpty)
        }
    }

    @Test func badUploadsAreRefusedAndStoreNothing() async throws {
        try await TestServer.run { server in
            let (wrongType, typeError) = try await Self.upload(server, "welcome", Self.second, type: "application/json")
            #expect(wrongType == .unsupportedMediaType && typeError["error"]["message"].string == "send the prompt as a WAV file with Content-Type: audio/wav")
            let (notWAV, wavError) = try await Self.upload(server, "welcome", Array("ID3 this is an mp3".utf8))
            #expect(notWAV == .badRequest && wavError["error"]["message"].string?.hasPrefix("the body is not a PCM WAV file") == true, "\(wavError)")
            // A WAV of another encoding (format tag 85: MP3 inside RIFF), or 32-bit samples.
            var mp3InWAV = Self.second
            mp3InWAV[20] = 85
            let (compressed, compressedError) = try await Self.upload(server, "welcome", mp3InWAV)
            #expect(compressed == .badRequest && compressedError["error"]["message"].string?.contains("not linear PCM (WAV format tag 85") == true, "\(compressedError)")
            var wideSamples = Self.second
            wideSamples[34] = 32
            let (wide, wideError) = try await Self.upload(server, "welcome", wideSamples)
            #expect(wide == .badRequest && wideError["error"]["message"].string?.contains("32-bit") == true, "\(wideError)")
            let (badName, nameError) = try await Self.upload(server, ".hidden", Self.second)
            #expect(badName == .badRequest && nameError["error"]["message"].string?.contains("must be 1 to 64 letters") == true)
            let (tooBig, _) = try await Self.upload(server, "long", Self.second + [UInt8](repeating: 0, count: 4 * 1024 * 1024))
            #expect(tooBig == .contentTooLarge)
            #expect(try await server.api(.get, "/api/v1/ivr-prompts").json["items"].array.isEmpty)
            #expect(try await server.api(.delete, "/api/v1/ivr-prompts/welcome").status == .notFound)
        }
    }
}
