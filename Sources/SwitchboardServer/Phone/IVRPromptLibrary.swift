import Crypto
import Foundation
import SwitchboardCore

/// The audio files of IVR prompts: uploaded ones by name, and spoken ones generated from their
/// text with espeak-ng once, then kept (by a hash of voice and text) under the data directory, so
/// a new deployment speaks without a recording studio and a prompt costs one synthesis ever.
struct IVRPromptLibrary: Sendable {
    /// Where uploaded prompts are (`<data>/ivr-audio/<name>.wav`).
    let uploadedDirectory: URL
    /// Where generated prompts are kept (`<data>/phone-audio/prompts`).
    let generatedDirectory: URL
    /// The espeak-ng voice (`en`, `de`, `zh`...).
    let voice: String
    /// The synthesizer; found on the PATH unless given.
    let espeak: String

    init(dataDirectory: String, voice: String = "en", espeak: String = "espeak-ng") {
        let data = URL(fileURLWithPath: dataDirectory)
        uploadedDirectory = data.appendingPathComponent("ivr-audio", isDirectory: true)
        generatedDirectory = data.appendingPathComponent("phone-audio", isDirectory: true).appendingPathComponent("prompts", isDirectory: true)
        self.voice = voice
        self.espeak = espeak
    }

    /// A prompt's file and its length in milliseconds, generating it first if it was never spoken.
    func file(for prompt: IVRPrompt) async throws -> (path: String, milliseconds: Int64) {
        let url: URL
        if let audio = prompt.audio {
            url = uploadedDirectory.appendingPathComponent(audio + ".wav")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw PromptError("the uploaded prompt '\(audio)' is missing (\(url.path))")
            }
        } else {
            url = try await generated(prompt.text ?? "")
        }
        return (url.path, try Self.milliseconds(ofWAV: Data(contentsOf: url)))
    }

    /// Where a browser fetches the prompt file at `path` (one `file(for:)` answered), for a web
    /// call whose widget plays the flow: `/api/v1/chat/ivr-prompts/{generated|uploaded}/{file}`.
    func publicPath(ofFile path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        if url.deletingLastPathComponent().standardizedFileURL == generatedDirectory.standardizedFileURL { return "/api/v1/chat/ivr-prompts/generated/" + name }
        if url.deletingLastPathComponent().standardizedFileURL == uploadedDirectory.standardizedFileURL { return "/api/v1/chat/ivr-prompts/uploaded/" + name }
        return nil
    }

    /// The file a `publicPath` names, if it is one this library holds: generated prompts by
    /// their hash name, uploaded ones by a prompt name (nothing else on disk can be reached).
    func servedFile(kind: String, name: String) -> URL? {
        let url: URL
        switch kind {
        case "generated":
            guard name.count == 40, name.hasPrefix("tts-"), name.hasSuffix(".wav"),
                  name.dropFirst(4).dropLast(4).allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
            url = generatedDirectory.appendingPathComponent(name)
        case "uploaded":
            guard name.hasSuffix(".wav"), IVRFlow.isName(String(name.dropLast(4))) else { return nil }
            url = uploadedDirectory.appendingPathComponent(name)
        default:
            return nil
        }
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The spoken prompt for `text`, synthesized if it is not there yet.
    func generated(_ text: String) async throws -> URL {
        let digest = SHA256.hash(data: Data((voice + "\n" + text).utf8)).map { String(format: "%02x", $0) }.joined()
        let url = generatedDirectory.appendingPathComponent("tts-\(digest.prefix(32)).wav")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        try FileManager.default.createDirectory(at: generatedDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The text goes in a file, never on the command line: a prompt starting with '-' is words, not an option.
        let textFile = generatedDirectory.appendingPathComponent("tts-\(digest.prefix(32)).\(UUID().uuidString).txt")
        let partial = generatedDirectory.appendingPathComponent("tts-\(digest.prefix(32)).\(UUID().uuidString).partial.wav")
        defer {
            try? FileManager.default.removeItem(at: textFile)
            try? FileManager.default.removeItem(at: partial)
        }
        try Data(text.utf8).write(to: textFile)
        let status = try await Self.run(espeak, ["-v", voice, "-w", partial.path, "-f", textFile.path])
        guard status == 0, FileManager.default.fileExists(atPath: partial.path) else {
            throw PromptError("espeak-ng could not speak the prompt (exit status \(status)); is the espeak-ng package installed?")
        }
        // Renamed into place whole (rename(2) replaces atomically), so a concurrent caller never
        // plays half a file; two callers synthesizing the same prompt at once both succeed.
        guard rename(partial.path, url.path) == 0 else {
            throw PromptError("cannot keep the spoken prompt at \(url.path) (errno \(errno))")
        }
        return url
    }

    private static func run(_ program: String, _ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: PromptError("cannot start \(program): \(error)"))
            }
        }
    }

    /// The length of a PCM WAV file, from its `fmt ` byte rate and its `data` chunk's size.
    static func milliseconds(ofWAV data: Data) throws -> Int64 {
        let bytes = [UInt8](data)
        func word(_ at: Int) -> UInt32 { UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24 }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            throw PromptError("not a WAV file")
        }
        var offset = 12
        var byteRate: UInt32?
        while offset + 8 <= bytes.count {
            let size = Int(word(offset + 4))
            let id = bytes[offset..<offset + 4]
            if id.elementsEqual("fmt ".utf8), offset + 24 <= bytes.count {
                // What the media relay plays without guessing: linear PCM (or its extensible
                // form), 8 or 16 bits, mono or stereo, 8 to 48 kHz.
                let format = UInt16(bytes[offset + 8]) | UInt16(bytes[offset + 9]) << 8
                let channels = UInt16(bytes[offset + 10]) | UInt16(bytes[offset + 11]) << 8
                let sampleRate = word(offset + 12)
                let bits = UInt16(bytes[offset + 22]) | UInt16(bytes[offset + 23]) << 8
                guard format == 1 || format == 0xFFFE else {
                    throw PromptError("its audio is not linear PCM (WAV format tag \(format); 1 is PCM)")
                }
                guard [8, 16].contains(bits) else { throw PromptError("its samples are \(bits)-bit; 8- or 16-bit PCM is played") }
                guard (1...2).contains(channels) else { throw PromptError("it has \(channels) channels; mono or stereo is played") }
                guard (8000...48000).contains(sampleRate) else { throw PromptError("its sample rate is \(sampleRate) Hz; 8000 to 48000 Hz is played") }
                byteRate = word(offset + 16)
            } else if id.elementsEqual("data".utf8), let rate = byteRate, rate > 0 {
                // A streamed WAV may say 0 or 0xFFFFFFFF: then the rest of the file is the data.
                let available = bytes.count - offset - 8
                let length = size == 0 || size > available ? available : size
                return Int64(length) * 1000 / Int64(rate)
            }
            offset += 8 + size + (size & 1)
        }
        throw PromptError("the WAV file has no fmt and data chunks")
    }

    struct PromptError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
