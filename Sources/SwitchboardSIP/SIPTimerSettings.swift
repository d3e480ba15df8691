/// The RFC 3261 timer constants (§17.1.1.1, table 4), in milliseconds. The defaults are the RFC's.
public struct SIPTimerSettings: Hashable, Sendable {
    /// RTT estimate: the first retransmission interval. Default 500 ms.
    public var t1: Int64
    /// Longest retransmission interval for non-INVITE requests and INVITE responses. Default 4 s.
    public var t2: Int64
    /// How long a message may stay in the network. Default 5 s.
    public var t4: Int64
    /// How long an INVITE client transaction absorbs retransmitted non-2xx finals (Timer D). Default 32 s.
    public var timerD: Int64

    /// Creates settings; the defaults are the RFC 3261 values.
    public init(t1: Int64 = 500, t2: Int64 = 4_000, t4: Int64 = 5_000, timerD: Int64 = 32_000) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
        self.timerD = timerD
    }

    /// 64*T1: Timers B, F, H, J, L and M, and how long a 2xx is retransmitted waiting for its ACK.
    public var transactionTimeout: Int64 { 64 * t1 }
}
