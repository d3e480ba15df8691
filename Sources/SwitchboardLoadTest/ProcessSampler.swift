import Foundation

/// CPU time and resident memory of a process, read from Linux's /proc (nil elsewhere).
struct ProcessSampler: Sendable {
    let pid: Int32

    /// User + system CPU seconds so far.
    func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name; utime and stime are the 14th and 15th of the line.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Context switches so far, voluntary and not, summed over the process's threads (each thread
    /// counts its own in `/proc/PID/task/TID/status`; a thread that has exited is no longer counted).
    /// A switch is a thread going to sleep or being preempted: the server's threads hand work to
    /// each other (event loop, task pool, store writer), and below saturation each hand-over wakes
    /// a sleeping thread, which is what most of a session's CPU goes to there.
    func contextSwitches() -> Int? {
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return nil }
        var total = 0
        for thread in threads {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(thread)/status", encoding: .utf8) else { continue }
            for line in status.split(separator: "\n") where line.contains("ctxt_switches:") {
                total += line.split(separator: "\t").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        return total
    }

    /// Resident set size now and at its peak, in MiB.
    func residentMiB() -> (now: Double, peak: Double)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func kib(_ key: String) -> Double? {
            status.split(separator: "\n").first { $0.hasPrefix(key) }
                .flatMap { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first }
                .flatMap { Double($0) }
        }
        guard let now = kib("VmRSS:"), let peak = kib("VmHWM:") else { return nil }
        return (now / 1024, peak / 1024)
    }
}
