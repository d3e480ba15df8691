import Foundation

extension JSONValue: Codable {
    /// Decodes whatever JSON value is there.
    public init(from decoder: any Decoder) throws {
        if let reader = decoder as? JSONValueDecoder {
            self = reader.value
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value; a number that is not finite becomes `null`, as in JavaScript's `JSON.stringify`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value):
            if value.isFinite { try container.encode(value) } else { try container.encodeNil() }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// The JSON form of any encodable value, e.g. a ``MessagePage`` to send as a response's `data`.
    public init(encoding value: some Encodable) throws {
        self = try WireEncoder.value(value)
    }

    /// Reads this value as `type`, with errors that name the offending field.
    public func decode<T: Decodable>(as type: T.Type) throws(ProtocolError) -> T {
        try decode(as: type, at: [])
    }

    /// Reads this value as `type`, reporting field paths below `path`.
    func decode<T: Decodable>(as type: T.Type, at path: [any CodingKey]) throws(ProtocolError) -> T {
        do {
            return try JSONValueDecoder(value: self, codingPath: path).unbox(T.self)
        } catch let error as ProtocolError {
            throw error
        } catch {
            // Our own decoder only throws ProtocolError; a type's custom init(from:) might not.
            throw ProtocolError(.invalidValue, "the \(path.isEmpty ? "frame" : "field '\(fieldPath(path))'") could not be read as \(T.self)")
        }
    }
}
