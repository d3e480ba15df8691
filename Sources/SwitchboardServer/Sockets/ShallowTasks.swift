/// Runs `work` on a task of its own and waits for its result.
///
/// A Swift task keeps the memory its deepest call ever needed: its async frames come from slabs
/// that are reused but never given back until the task ends. A connection's reading task lives
/// as long as the connection, so one login or one request handled on it (hundreds of inlined
/// frames through routing, the store and JSON coding) used to pin 30 to 40 KiB per connected
/// agent for hours. Handled on a task of their own, those frames are freed when the work
/// finishes, and the long-lived task stays as shallow as its read loop. The price is one task
/// per request, which measured no loss of throughput (docs/benchmarks.md, "Idle agents" and the
/// side-by-side throughput table).
func onItsOwnTask<Value: Sendable>(_ work: sending @escaping @isolated(any) () async -> Value) async -> Value {
    await Task(operation: work).value
}
