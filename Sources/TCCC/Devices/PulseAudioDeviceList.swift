import Foundation

/// The sources and sinks PulseAudio (or PipeWire's PulseAudio server) lists, via
/// `pactl list short sources|sinks`, when `pactl` is installed.
enum PulseAudioDeviceList {
    /// Runs `pactl`; an empty list when it is missing, fails, or takes longer than two seconds.
    static func devices(kind: MediaDeviceInfo.Kind) async -> [MediaDeviceInfo] {
        #if os(Linux) || os(FreeBSD)
        guard let pactl = executable(named: "pactl") else { return [] }
        let output = await run(pactl, arguments: ["list", "short", kind == .audioinput ? "sources" : "sinks"])
        return output.map { parse($0, kind: kind) } ?? []
        #else
        return []
        #endif
    }

    /// Devices from tab-separated lines: index, name, driver, sample spec, state. Monitor sources
    /// (what a sink plays) are not microphones and are left out.
    static func parse(_ text: String, kind: MediaDeviceInfo.Kind) -> [MediaDeviceInfo] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 2, !fields[1].isEmpty else { return nil }
            let name = fields[1]
            if kind == .audioinput && name.hasSuffix(".monitor") { return nil }
            return MediaDeviceInfo(deviceId: "pulse:\(name)", groupId: "pulse", kind: kind, label: name)
        }
    }

    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    #if os(Linux) || os(FreeBSD)
    /// The command's standard output, or nil if it fails or overruns its time.
    private static func run(_ executable: String, arguments: [String]) async -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let finished = Locked(false)
        do { try process.run() } catch { return nil }
        return await withTaskGroup(of: String?.self) { group in
            group.addTask {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                finished.withLock { $0 = true }
                return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : nil
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                if !finished.withLock({ $0 }) { process.terminate() }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
    #endif
}
