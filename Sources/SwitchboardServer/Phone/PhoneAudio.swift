import Foundation

/// The audio a caller hears while waiting or on hold, when the operator gave no file of its own:
/// generated once into the data directory as 8 kHz, 16-bit mono WAV, which rtpengine plays.
enum PhoneAudio {
    /// A soft two-note chime every two seconds: the caller hears that the line is alive.
    static func queueTone() -> [Int16] { pattern(notes: [(523.25, 0.35), (659.25, 0.35)], silence: 1.3) }
    /// A slower, lower pattern for hold.
    static func holdTone() -> [Int16] { pattern(notes: [(392.0, 0.5), (493.88, 0.5), (587.33, 0.5)], silence: 1.5) }

    /// Writes the WAV file if it is not there yet and returns its path.
    static func ensureFile(named name: String, in dataDirectory: String, samples: () -> [Int16]) throws -> String {
        let directory = URL(fileURLWithPath: dataDirectory).appendingPathComponent("phone-audio", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let url = directory.appendingPathComponent(name)
        if !FileManager.default.fileExists(atPath: url.path) {
            try wav(samples(), sampleRate: 8000).write(to: url, options: .atomic)
            // Like everything in the data directory (rtpengine runs as the same user).
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        }
        return url.path
    }

    static func pattern(notes: [(frequency: Double, seconds: Double)], silence: Double, sampleRate: Double = 8000) -> [Int16] {
        var samples: [Int16] = []
        for note in notes {
            let count = Int(note.seconds * sampleRate)
            for index in 0..<count {
                // A short fade in and out keeps the notes from clicking.
                let edge = min(Double(index), Double(count - index)) / (0.02 * sampleRate)
                let envelope = min(1, edge)
                let value = sin(2 * .pi * note.frequency * Double(index) / sampleRate) * envelope * 6000
                samples.append(Int16(value))
            }
        }
        samples.append(contentsOf: repeatElement(0, count: Int(silence * sampleRate)))
        return samples
    }

    /// A RIFF/WAVE file of signed 16-bit little-endian mono samples.
    static func wav(_ samples: [Int16], sampleRate: Int) -> Data {
        var data = Data()
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        func append(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let payload = UInt32(samples.count * 2)
        data.append(contentsOf: Array("RIFF".utf8)); append(36 + payload)
        data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); append(UInt32(16)); append(UInt16(1)); append(UInt16(1))
        append(UInt32(sampleRate)); append(UInt32(sampleRate * 2)); append(UInt16(2)); append(UInt16(16))
        data.append(contentsOf: Array("data".utf8)); append(payload)
        for sample in samples { append(UInt16(bitPattern: sample)) }
        return data
    }
}
