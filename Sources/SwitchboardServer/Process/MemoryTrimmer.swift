import Dispatch
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives the memory the allocator holds free back to the operating system, every `interval`.
///
/// glibc's allocator keeps what is freed for later reuse, and returns it to the system only
/// from the top of its heaps. A burst of work (ten thousand agents logging in, each login's
/// task and JSON freed a moment later) leaves the heaps full of free pages between live
/// objects, which stay in the process's RSS for good. `malloc_trim(0)` hands those pages back
/// (`madvise(MADV_DONTNEED)`); the measured effect at 10,000 idle agents is in
/// docs/benchmarks.md ("Idle agents"). A pass takes milliseconds and runs on a thread of its own.
public struct MemoryTrimmer: Service {
    /// Seconds between passes; 0 never trims.
    let intervalSeconds: Int
    let logger: Logger

    public init(intervalSeconds: Int, logger: Logger) {
        self.intervalSeconds = intervalSeconds
        self.logger = logger
    }

    public func run() async throws {
        guard intervalSeconds > 0 else {
            // A service that returns early ends the whole server: off, it waits for the shutdown.
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(intervalSeconds))
                let start = ContinuousClock.now
                let released = await Self.trim()
                let took = (ContinuousClock.now - start).components
                let milliseconds = Double(took.seconds) * 1000 + Double(took.attoseconds) / 1e15
                logger.debug("memory trimmed", metadata: ["released": "\(released)", "milliseconds": "\(milliseconds)"])
            }
        }
    }

    /// One pass, on a thread outside the task pool (it holds the allocator's locks while it
    /// walks the heaps). True when memory was given back.
    @discardableResult
    public static func trim() async -> Bool {
        guard let mallocTrim else { return false }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: mallocTrim(0) != 0)
            }
        }
    }

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module does not include
    /// `<malloc.h>`, and another C library has no such call (then nothing is trimmed).
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}
