import Foundation

/// An HTTP `Range` request header (RFC 9110 §14) against a resource of known size: one byte range,
/// which is what browsers' audio elements ask for when seeking. Several ranges in one request
/// (a multipart answer) are not served; the whole resource is sent instead, as the RFC allows.
enum ByteRange: Equatable {
    /// No usable range: send everything (200).
    case whole
    /// These bytes (206).
    case partial(ClosedRange<Int>)
    /// The range starts past the end (416).
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header = header?.trimmingCharacters(in: .whitespaces), header.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        switch (Int(first), Int(last)) {
        case (let start?, let end?) where start >= 0 && end >= start:
            self = start < size ? .partial(start...min(end, size - 1)) : .unsatisfiable
        case (let start?, nil) where last.isEmpty && start >= 0:
            self = start < size ? .partial(start...(size - 1)) : .unsatisfiable
        case (nil, let suffix?) where first.isEmpty && suffix > 0:
            self = size > 0 ? .partial(max(0, size - suffix)...(size - 1)) : .unsatisfiable
        default:
            // A range that does not parse is ignored (RFC 9110 §14.2), not refused.
            self = .whole
        }
    }
}
