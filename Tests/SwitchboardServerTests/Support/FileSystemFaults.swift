import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SwitchboardTestSupport

/// Real file-system faults for the store tests: a small tmpfs that can be filled to the last
/// byte, and the immutable attribute, which makes the kernel refuse writes to a file even through
/// descriptors opened before it was set. Both need root (CI runs as root); a test that cannot set
/// them up fails and says why, it does not skip.
enum FileSystemFaults {
    /// Runs a system tool, failing with what it printed.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("`\(tool) \(arguments.joined(separator: " "))` failed with status \(process.terminationStatus): \(said)")
        }
        return said
    }

    /// A tmpfs of `size` mounted on a new temporary directory.
    struct SmallDisk {
        let path: String

        static func mount(size: String) throws -> SmallDisk {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-small-disk-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            do {
                try run("mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", path])
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw TestFailure("cannot mount a \(size) tmpfs for the disk-full test (it needs root and mount(8), as in CI): \(error)")
            }
            return SmallDisk(path: path)
        }

        /// Writes a file until the disk refuses another byte; returns its path. Deleting it
        /// gives the space back.
        func fill() throws -> String {
            let filler = path + "/filler"
            let descriptor = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw TestFailure("cannot create \(filler): errno \(errno)") }
            defer { close(descriptor) }
            let chunk = [UInt8](repeating: 0, count: 1 << 16)
            var size = chunk.count
            while size > 0 {
                let written = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, size) }
                if written < 0 {
                    guard errno == ENOSPC else { throw TestFailure("filling \(path): errno \(errno)") }
                    size /= 2
                }
            }
            return filler
        }

        /// Unmounts (lazily, should something still hold it) and removes the directory.
        func unmount() {
            if (try? run("umount", [path])) == nil { _ = try? run("umount", ["-l", path]) }
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Sets or clears the immutable attribute of `paths`.
    static func setImmutable(_ immutable: Bool, _ paths: [String]) throws {
        try run("chattr", [immutable ? "+i" : "-i"] + paths)
    }

    /// Checks that the immutable attribute stops writes through a descriptor opened before it
    /// was set (ext4, xfs and btrfs do; tmpfs does not), in `directory`.
    static func checkImmutableStopsOpenWriters(in directory: String) throws {
        let probe = directory + "/immutable-probe"
        let descriptor = open(probe, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw TestFailure("cannot create \(probe): errno \(errno)") }
        defer {
            close(descriptor)
            try? setImmutable(false, [probe])
            unlink(probe)
        }
        do {
            try setImmutable(true, [probe])
        } catch {
            throw TestFailure("the read-only test needs chattr +i (root, and a file system with the immutable attribute) in \(directory): \(error)")
        }
        let written = [UInt8]("x".utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 1, 0) }
        if written >= 0 {
            throw TestFailure("the file system of \(directory) lets an open descriptor write to an immutable file; run the tests with TMPDIR on ext4, xfs or btrfs")
        }
    }
}
