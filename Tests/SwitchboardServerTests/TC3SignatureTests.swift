import Foundation
@testable import SwitchboardServer
import Testing

/// The TC3-HMAC-SHA256 verifier against a vector from Tencent's own signer: the request below is
/// what `tencentcloud-sdk-python-ccc` 3.1.177 (common 3.1.195) builds and signs for
/// `DescribeStaffInfoList` with `time.time` pinned to 1700000000 (`_build_req_inter`).
@Suite("TC3 signature")
struct TC3SignatureTests {
    static let secretKey = "exampleSecretKey0000000000000000"
    static let body = #"{"SdkAppId": 1400000000, "PageSize": 10, "PageNumber": 0}"#
    static let authorization = "TC3-HMAC-SHA256 Credential=AKIDexampleSecretId0000000000000000/2023-11-14/ccc/tc3_request, SignedHeaders=content-type;host, Signature=6ccee553cf0722bd5791d4439ce79899abea41ff8405b544ab6e2e27c44734aa"

    static func request(body: String = body, timestamp: String = "1700000000", host: String = "127.0.0.1:8080") throws -> TC3Signature.Request {
        let parsed = try TC3Authorization.parse(authorization)
        return TC3Signature.Request(
            method: "POST", path: "/", query: "",
            headers: [("Content-Type", "application/json"), ("Host", host), ("X-TC-Action", "DescribeStaffInfoList"),
                      ("X-TC-Timestamp", timestamp), ("X-TC-Version", "2020-02-10")],
            signedHeaders: parsed.signedHeaders, payloadHash: TC3Signature.payloadHash(Data(body.utf8)),
            timestamp: timestamp, date: parsed.date, service: parsed.service)
    }

    @Test func theOfficialSignersSignatureIsReproduced() throws {
        let parsed = try TC3Authorization.parse(Self.authorization)
        #expect(parsed.secretId == "AKIDexampleSecretId0000000000000000")
        #expect(parsed.date == "2023-11-14" && parsed.service == "ccc" && parsed.signedHeaders == ["content-type", "host"])
        #expect(TC3Signature.signature(secretKey: Self.secretKey, try Self.request()) == parsed.signature)
        #expect(CloudAPIEndpoint.utcDate(1_700_000_000) == parsed.date)
    }

    @Test func anyChangeToWhatWasSignedChangesTheSignature() throws {
        let signed = try TC3Authorization.parse(Self.authorization).signature
        #expect(TC3Signature.signature(secretKey: "exampleSecretKey0000000000000001", try Self.request()) != signed)
        #expect(TC3Signature.signature(secretKey: Self.secretKey, try Self.request(body: Self.body.replacingOccurrences(of: "10", with: "11"))) != signed)
        #expect(TC3Signature.signature(secretKey: Self.secretKey, try Self.request(timestamp: "1700000001")) != signed)
        #expect(TC3Signature.signature(secretKey: Self.secretKey, try Self.request(host: "127.0.0.1:8081")) != signed)
    }

    @Test func malformedAuthorizationHeadersAreRefusedNamingThePart() {
        let cases: [(String, String)] = [
            ("Bearer abc", "TC3-HMAC-SHA256"),
            ("TC3-HMAC-SHA256 Credential=AKID/2023-11-14/ccc/tc3_request, Signature=ab", "SignedHeaders"),
            ("TC3-HMAC-SHA256 Credential=AKID/2023-11-14/tc3_request, SignedHeaders=content-type;host, Signature=ab", "Credential"),
            ("TC3-HMAC-SHA256 Credential=AKID/2023-11-14/ccc/tc3_request, SignedHeaders=host, Signature=ab", "content-type"),
        ]
        for (header, named) in cases {
            #expect(throws: CloudAPIError.self) { try TC3Authorization.parse(header) }
            do { _ = try TC3Authorization.parse(header) } catch {
                #expect(error.code == "AuthFailure.InvalidAuthorization" && error.message.contains(named), "\(header): \(error)")
            }
        }
    }
}
