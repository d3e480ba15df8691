import Foundation
import Testing
@testable import SwitchboardServer
#if canImport(Glibc)
import Glibc
#endif

/// The pass that gives freed heap memory back to the system, measured on this process's RSS.
@Suite struct MemoryTrimmerTests {
    /// Resident pages of this process, in bytes (`/proc/self/statm`, second field).
    static func residentBytes() throws -> Int {
        let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let pages = Int(statm.split(separator: " ")[1])!
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    #if os(Linux)
    @Test func freedMemoryBetweenLiveBlocksIsGivenBackToTheSystem() async throws {
        // 64 MiB in small blocks (below the size glibc maps on its own), touched, then freed but
        // for the last: the free pages sit below a live block, so free() cannot return them.
        let count = 4096, size = 16 << 10
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<count {
            let block = try #require(malloc(size))
            memset(block, 1, size)
            blocks.append(block)
        }
        for block in blocks.dropLast() { free(block) }
        let before = try Self.residentBytes()
        #expect(await MemoryTrimmer.trim())
        let after = try Self.residentBytes()
        free(blocks.last!)
        #expect(before - after > 32 << 20, "RSS went from \(before >> 20) MiB to \(after >> 20) MiB")
    }
    #endif

    @Test func theIntervalIsZeroOrOneSecondToAnHour() throws {
        var configuration = ServerConfiguration()
        configuration.memoryTrimIntervalSeconds = 0
        try configuration.validate()
        configuration.memoryTrimIntervalSeconds = 3600
        try configuration.validate()
        for wrong in [-1, 3601] {
            configuration.memoryTrimIntervalSeconds = wrong
            #expect(throws: ConfigurationError.self) { try configuration.validate() }
        }
    }
}
