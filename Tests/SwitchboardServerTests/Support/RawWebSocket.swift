import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SwitchboardProtocol
import SwitchboardTestSupport

/// A WebSocket client on a bare non-blocking TCP socket, for what a WebSocket library will not do:
/// read a few bytes at a time through a small receive buffer, stop in the middle of a request or
/// a frame, and drop the connection without a close handshake (RST). It waits with `Task.sleep`,
/// never by blocking a thread, so it can share the process with the server under test.
/// Used by one task at a time.
final class RawWebSocket: @unchecked Sendable {
    /// A frame from the server (which never masks).
    struct Frame {
        var opcode: UInt8
        var payload: [UInt8]
        var text: String { String(decoding: payload, as: UTF8.self) }
    }

    private var descriptor: Int32
    /// Bytes read and not yet parsed into frames.
    private var buffer: [UInt8] = []
    /// Every byte read from the socket so far.
    private(set) var bytesRead = 0

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Connects to 127.0.0.1:`port`; `receiveBuffer` shrinks the kernel's receive buffer so a
    /// slow reader pushes back on the server almost at once.
    static func connect(port: Int, receiveBuffer: Int32? = nil, timeout: Duration = .seconds(10)) async throws -> RawWebSocket {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed: errno \(errno)") }
        let socket = RawWebSocket(descriptor: descriptor)
        if var size = receiveBuffer {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let started = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started != 0 && errno != EINPROGRESS {
            let code = errno
            socket.close()
            throw TestFailure("connect failed: errno \(code)")
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, 0) > 0 { break }
            guard ContinuousClock.now < deadline else { socket.close(); throw TestFailure("connect timed out") }
            try await Task.sleep(for: .milliseconds(1))
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &length)
        if failure != 0 { socket.close(); throw TestFailure("connect failed: errno \(failure)") }
        return socket
    }

    /// Writes all of `bytes`, waiting while the kernel's send buffer is full.
    func send(_ bytes: [UInt8], timeout: Duration = .seconds(10)) async throws {
        var offset = 0
        let deadline = ContinuousClock.now + timeout
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 { offset += written; continue }
            guard written < 0, errno == EAGAIN || errno == EWOULDBLOCK else { throw TestFailure("send failed: errno \(errno)") }
            guard ContinuousClock.now < deadline else { throw TestFailure("send timed out") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// The upgrade request for `path`, whole.
    static func upgradeRequest(path: String) -> [UInt8] {
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        return Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8)
    }

    /// Sends the upgrade request and reads the answer, failing unless it is 101.
    func upgrade(path: String, timeout: Duration = .seconds(10)) async throws {
        try await send(Self.upgradeRequest(path: path))
        let deadline = ContinuousClock.now + timeout
        while true {
            if let end = buffer.indices.dropLast(3).first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 && buffer[$0 + 2] == 13 && buffer[$0 + 3] == 10 }) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                guard head.hasPrefix("HTTP/1.1 101") else { throw TestFailure("upgrade refused: \(head)") }
                return
            }
            guard try await read(atMost: 4096, until: deadline) else { throw TestFailure("the server closed before answering the upgrade") }
        }
    }

    /// A client frame (masked, as clients must) carrying `text`.
    static func textFrame(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame.append(0x80 | 127); frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    func sendText(_ text: String) async throws { try await send(Self.textFrame(text)) }

    /// A masked control frame (close 0x8, pong 0xA) with `payload`.
    static func controlFrame(_ opcode: UInt8, _ payload: [UInt8]) -> [UInt8] {
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        return [0x80 | opcode, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
    }

    /// A close frame with status 1000 (normal closure): the polite way to leave.
    static var closeFrame: [UInt8] { controlFrame(0x8, [0x03, 0xE8]) }

    /// Reads the next frame, taking at most `chunk` bytes from the kernel per read and sleeping
    /// `pause` after each: a reader as slow as it likes. Nil when the server closed.
    func nextFrame(chunk: Int = 1 << 16, pause: Duration = .zero, timeout: Duration = .seconds(10)) async throws -> Frame? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let frame = bufferedFrame() { return frame }
            guard try await read(atMost: chunk, until: deadline) else { return nil }
            if pause > .zero { try await Task.sleep(for: pause) }
        }
    }

    /// The next text frame (skipping pings and pongs) as JSON; nil when the server closed.
    func nextJSON(chunk: Int = 1 << 16, pause: Duration = .zero, timeout: Duration = .seconds(10)) async throws -> JSONValue? {
        while let frame = try await nextFrame(chunk: chunk, pause: pause, timeout: timeout) {
            switch frame.opcode {
            case 0x1: return try JSONDecoder().decode(JSONValue.self, from: Data(frame.payload))
            case 0x8: return nil
            case 0x9: try await send(Self.controlFrame(0xA, frame.payload))
            default: continue
            }
        }
        return nil
    }

    /// Reads JSON frames until one matches `predicate`.
    func next(_ description: String, timeout: Duration = .seconds(10), where predicate: (JSONValue) throws -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while let frame = try await nextJSON(timeout: deadline - ContinuousClock.now) {
            if try predicate(frame) { return frame }
        }
        throw TestFailure("the server closed before \(description)")
    }

    /// The next whole frame among the bytes already read, if there is one.
    func bufferedFrame() -> Frame? {
        guard buffer.count >= 2 else { return nil }
        var length = Int(buffer[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard buffer.count >= 4 else { return nil }
            length = Int(buffer[2]) << 8 | Int(buffer[3])
            offset = 4
        } else if length == 127 {
            guard buffer.count >= 10 else { return nil }
            length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard buffer.count >= offset + length else { return nil }
        let frame = Frame(opcode: buffer[0] & 0x0F, payload: Array(buffer[offset..<offset + length]))
        buffer.removeFirst(offset + length)
        return frame
    }

    /// Reads up to `atMost` bytes into the buffer, waiting for some until `deadline`; false when
    /// the server closed.
    func read(atMost: Int, until deadline: ContinuousClock.Instant) async throws -> Bool {
        var bytes = [UInt8](repeating: 0, count: atMost)
        while true {
            let count = bytes.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, atMost, 0) }
            if count > 0 {
                buffer += bytes[..<count]
                bytesRead += count
                return true
            }
            if count == 0 { return false }
            guard errno == EAGAIN || errno == EWOULDBLOCK else {
                if errno == ECONNRESET { return false }
                throw TestFailure("recv failed: errno \(errno)")
            }
            guard ContinuousClock.now < deadline else { throw TestFailure("nothing from the server in time") }
            try await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Reads until the server closes the connection, or fails at `deadline`; returns what was
    /// read and not yet taken as frames.
    func readUntilClosed(deadline: ContinuousClock.Instant) async throws -> [UInt8] {
        while try await read(atMost: 4096, until: deadline) {}
        defer { buffer.removeAll() }
        return buffer
    }

    /// Reads until the buffer holds `marker`, then returns everything read and not yet taken up to and including it.
    func read(through marker: String, deadline: ContinuousClock.Instant) async throws -> String {
        let bytes = Array(marker.utf8)
        while true {
            if let end = buffer.indices.first(where: { buffer[$0...].starts(with: bytes) }) {
                let taken = Array(buffer[..<(end + bytes.count)])
                buffer.removeFirst(end + bytes.count)
                return String(decoding: taken, as: UTF8.self)
            }
            guard try await read(atMost: 4096, until: deadline) else { throw TestFailure("the server closed before sending \(marker.debugDescription)") }
        }
    }

    /// Drops the connection with a TCP reset: no close frame, no FIN, as when a client crashes
    /// or its network goes.
    func abort() {
        guard descriptor >= 0 else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    /// Closes the socket (FIN) without a WebSocket close frame.
    func close() {
        guard descriptor >= 0 else { return }
        _ = Glibc.close(descriptor)
        descriptor = -1
    }

    deinit { close() }
}
