import Foundation
import Testing
@testable import SwitchboardServer
#if canImport(Glibc)
import Glibc
#endif

/// The pass that gives freed heap memory back to the system, measured on the freed pages themselves.
@Suite struct MemoryTrimmerTests {
    #if os(Linux)
    /// The share of the pages lying wholly inside `blocks` (each `size` bytes) that are in
    /// memory, from `mincore`: a measure of these blocks alone, whatever else the process does.
    static func residentShare(of blocks: [UnsafeMutableRawPointer], size: Int) -> Double {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var resident = 0, total = 0
        var vector = [UInt8](repeating: 0, count: size / page + 1)
        for block in blocks {
            let start = (Int(bitPattern: block) + page - 1) / page * page
            let end = (Int(bitPattern: block) + size) / page * page
            guard end > start else { continue }
            let pages = (end - start) / page
            guard mincore(UnsafeMutableRawPointer(bitPattern: start), end - start, &vector) == 0 else { continue }
            resident += vector.prefix(pages).filter { $0 & 1 == 1 }.count
            total += pages
        }
        return total == 0 ? 0 : Double(resident) / Double(total)
    }

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
        let freed = Array(blocks.dropLast())
        let touched = Self.residentShare(of: freed, size: size)
        for block in freed { free(block) }
        #expect(await MemoryTrimmer.trim())
        // Pages of the freed blocks: resident before, given back after (other threads of this
        // process may have taken a few of them again in between).
        let after = Self.residentShare(of: freed, size: size)
        free(blocks.last!)
        #expect(touched > 0.9, "\(touched)")
        #expect(after < 0.5, "\(Int(after * 100)) % of the freed pages still in memory after the trim")
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
