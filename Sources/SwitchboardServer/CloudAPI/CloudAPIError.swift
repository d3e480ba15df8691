/// An error answer of the TCCC server API: `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}`
/// with Tencent Cloud's codes (common ones such as `AuthFailure.SignatureFailure`, and TCCC's own
/// such as `InvalidParameterValue.AccountNotExist`), so clients that branch on codes keep working.
/// Every message names the header or field at fault; an error always means nothing changed.
struct CloudAPIError: Error, Equatable, CustomStringConvertible {
    var code: String
    var message: String

    init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code): \(message)" }

    static func invalidAuthorization(_ message: String) -> CloudAPIError { CloudAPIError("AuthFailure.InvalidAuthorization", message) }
    static func signatureFailure(_ message: String) -> CloudAPIError { CloudAPIError("AuthFailure.SignatureFailure", message) }
    static func signatureExpire(_ message: String) -> CloudAPIError { CloudAPIError("AuthFailure.SignatureExpire", message) }
    static func secretIdNotFound(_ message: String) -> CloudAPIError { CloudAPIError("AuthFailure.SecretIdNotFound", message) }
    /// A required field is absent.
    static func missing(_ field: String) -> CloudAPIError { CloudAPIError("MissingParameter", "the request needs '\(field)'") }
    /// A field of the wrong type or shape.
    static func invalidParameter(_ message: String) -> CloudAPIError { CloudAPIError("InvalidParameter", message) }
    /// A field of the right type whose value is not allowed.
    static func invalidValue(_ message: String) -> CloudAPIError { CloudAPIError("InvalidParameterValue", message) }
    /// The agent named does not exist (TCCC's code for an unknown staff account).
    static func accountNotExist(_ field: String, _ id: String) -> CloudAPIError {
        CloudAPIError("InvalidParameterValue.AccountNotExist", "\(field): staff '\(id)' does not exist")
    }
    /// The skill group named does not exist.
    static func skillGroupNotExist(_ field: String, _ id: Int64) -> CloudAPIError {
        CloudAPIError("InvalidParameterValue.SkillGroupError", "\(field): skill group \(id) does not exist")
    }
    /// The store could not read or commit; retrying may work.
    static func storeFailed(_ error: any Error) -> CloudAPIError {
        CloudAPIError("InternalError.DBError", "the store could not be read or written (\(error)); \(storeRetryAdvice(error))")
    }
}
