import SwitchboardStore

/// One report row's figures, derived from summed counters as docs/reports.md defines them.
/// Ratios with nothing to divide by are null; times are in seconds, rates in percent.
struct ReportMetrics: Encodable, Sendable {
    var offered: Int64
    var transferredIn: Int64
    var overflowedIn: Int64
    var accepted: Int64
    var abandonedInQueue: Int64
    var abandonedWhileRinging: Int64
    var shortAbandons: Int64
    var timedOut: Int64
    var overflowedOut: Int64
    var adminEnded: Int64
    var turnedAway: Int64
    var missedOffers: Int64
    var offersRung: Int64
    var transferredOut: Int64
    var outbound: Int64
    var handled: Int64
    var serviceLevelSeconds: Int
    @Nullable var serviceLevel: Double?
    @Nullable var abandonmentRate: Double?
    @Nullable var averageWaitSeconds: Double?
    @Nullable var maxWaitSeconds: Double?
    @Nullable var averageAbandonWaitSeconds: Double?
    @Nullable var averageTalkSeconds: Double?
    @Nullable var averageHoldSeconds: Double?
    var holds: Int64
    @Nullable var averageWrapUpSeconds: Double?
    @Nullable var averageHandleSeconds: Double?
    var imSessionsEnded: Int64
    var messages: Int64
    @Nullable var messagesPerImSession: Double?
    /// Agents only: seconds in each online status, and in rest per reason.
    var statusSeconds: [String: Double]?
    var restReasonSeconds: [String: Double]?
    @Nullable var occupancy: Double?
    @Nullable var utilisation: Double?

    init(_ counts: ReportCounts, serviceLevelSeconds: Int, shortAbandonSeconds: Int, status: [String: Int64]?, restReasons: [String: Int64]?) {
        let shortInQueue = counts.abandoned(ringing: false, within: shortAbandonSeconds) ?? 0
        let shortRinging = counts.abandoned(ringing: true, within: shortAbandonSeconds) ?? 0
        offered = counts[.offered]
        transferredIn = counts[.transferredIn]
        overflowedIn = counts[.overflowedIn]
        accepted = counts[.accepted]
        abandonedInQueue = counts[.abandonedInQueue] - shortInQueue
        abandonedWhileRinging = counts[.abandonedRinging] - shortRinging
        shortAbandons = shortInQueue + shortRinging
        timedOut = counts[.timedOut]
        overflowedOut = counts[.overflowedOut]
        adminEnded = counts[.adminEnded]
        turnedAway = counts[.turnedAway]
        missedOffers = counts[.missed]
        offersRung = counts[.offersRung]
        transferredOut = counts[.transferredOut]
        outbound = counts[.outbound]
        handled = counts[.handled]
        self.serviceLevelSeconds = serviceLevelSeconds
        let answeredInTime = counts.answered(within: serviceLevelSeconds) ?? 0
        let leftTheQueue = accepted + abandonedInQueue + abandonedWhileRinging + timedOut + overflowedOut
        serviceLevel = Self.percent(answeredInTime, of: leftTheQueue)
        abandonmentRate = Self.percent(abandonedInQueue + abandonedWhileRinging, of: offered - shortAbandons)
        averageWaitSeconds = Self.seconds(counts[.answerWaitMilliseconds], per: accepted)
        maxWaitSeconds = accepted > 0 ? Self.round(Double(counts[.answerWaitMaxMilliseconds]) / 1000) : nil
        averageAbandonWaitSeconds = Self.seconds(
            counts[.abandonedInQueueWaitMilliseconds] + counts[.abandonedRingingWaitMilliseconds],
            per: counts[.abandonedInQueue] + counts[.abandonedRinging])
        averageTalkSeconds = Self.seconds(counts[.talkMilliseconds], per: handled)
        averageHoldSeconds = Self.seconds(counts[.holdMilliseconds], per: handled)
        holds = counts[.holds]
        averageWrapUpSeconds = Self.seconds(counts[.wrapUpMilliseconds], per: counts[.wrapUps])
        averageHandleSeconds = Self.seconds(counts[.talkMilliseconds] + counts[.holdMilliseconds] + counts[.wrapUpMilliseconds], per: handled)
        imSessionsEnded = counts[.imSessionsEnded]
        messages = counts[.messages]
        messagesPerImSession = imSessionsEnded > 0 ? Self.round(Double(messages) / Double(imSessionsEnded)) : nil
        if let status {
            statusSeconds = status.mapValues { Self.round(Double($0) / 1000) }
            restReasonSeconds = (restReasons ?? [:]).mapValues { Self.round(Double($0) / 1000) }
            let working = (status["busy"] ?? 0) + (status["arrange"] ?? 0)
            occupancy = Self.percent(working, of: working + (status["free"] ?? 0))
            utilisation = Self.percent(working, of: status.values.reduce(0, +))
        }
    }

    static func percent(_ part: Int64, of whole: Int64) -> Double? {
        whole > 0 ? round(100 * Double(part) / Double(whole)) : nil
    }

    static func seconds(_ milliseconds: Int64, per count: Int64) -> Double? {
        count > 0 ? round(Double(milliseconds) / 1000 / Double(count)) : nil
    }

    /// Two decimals are plenty for people and keep the JSON short.
    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}
