/// What `query` says about one call: per participant (SIP tag), per media, per stream, the packets
/// and bytes rtpengine has *received* on its local port for that participant.
public struct CallStatistics: Sendable, Hashable {
    /// The participants by tag. A tag of "" is a side that has not signalled its tag yet.
    public var participants: [String: Participant]
    /// The whole answer, for what this type does not model.
    public var raw: [String: NGValue]

    /// One side of the call.
    public struct Participant: Sendable, Hashable {
        /// The SIP tag (from-tag or to-tag).
        public var tag: String
        /// The label given in `offer`/`answer`, if any.
        public var label: String?
        /// The SDP media sections, in order.
        public var medias: [Media]

        /// RTP packets received from this participant, over all its media.
        public var rtpPacketsReceived: Int64 {
            medias.flatMap(\.streams).filter { !$0.isRTCP }.reduce(0) { $0 + $1.packets }
        }

        /// RTP bytes received from this participant, over all its media.
        public var rtpBytesReceived: Int64 {
            medias.flatMap(\.streams).filter { !$0.isRTCP }.reduce(0) { $0 + $1.bytes }
        }
    }

    /// One SDP media section (`m=` line) of a participant.
    public struct Media: Sendable, Hashable {
        /// The 1-based index of the `m=` line.
        public var index: Int
        /// `audio`, `video`, ...
        public var type: String
        /// The transport, e.g. `RTP/AVP` or `UDP/TLS/RTP/SAVPF`.
        public var transport: String?
        /// The codec in use, e.g. `PCMU/8000`, once known.
        public var codec: String?
        /// rtpengine's flags for the media, e.g. `ICE`, `DTLS-SRTP`, `rtcp-mux`.
        public var flags: [String]
        /// The packet streams (usually RTP and RTCP).
        public var streams: [Stream]
    }

    /// One local port of a media section, and what arrived on it.
    public struct Stream: Sendable, Hashable {
        /// rtpengine's local port; nil for an inactive stream.
        public var localPort: Int?
        /// Where rtpengine sends this participant's packets (learnt or from the SDP), as `address:port`.
        public var endpoint: String?
        /// Whether this stream carries RTCP only. With rtcp-mux (every browser leg) RTP and RTCP share
        /// one stream, which rtpengine flags both `RTP` and `RTCP`: that one counts as RTP (its counters
        /// then include the few RTCP packets).
        public var isRTCP: Bool
        /// Packets received.
        public var packets: Int64
        /// Bytes received.
        public var bytes: Int64
        /// Packets that could not be handled.
        public var errors: Int64
        /// When the last packet arrived, in UNIX seconds.
        public var lastPacket: Int64?
    }

    /// Reads a `query` answer; parts it does not recognise are skipped, not fatal.
    public init(answer: [String: NGValue]) {
        raw = answer
        var participants: [String: Participant] = [:]
        for (tag, value) in answer["tags"]?.dictionary ?? [:] {
            let medias = (value["medias"]?.list ?? []).map { media in
                Media(
                    index: Int(media["index"]?.integer ?? 0),
                    type: media["type"]?.string ?? "",
                    transport: media["protocol"]?.string,
                    codec: media["codec"]?.string,
                    flags: (media["flags"]?.list ?? []).compactMap(\.string),
                    streams: (media["streams"]?.list ?? []).map { stream in
                        let flags = (stream["flags"]?.list ?? []).compactMap(\.string)
                        let endpoint = stream["endpoint"].flatMap { endpoint -> String? in
                            guard let address = endpoint["address"]?.string, let port = endpoint["port"]?.integer else { return nil }
                            return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
                        }
                        return Stream(
                            localPort: stream["local port"]?.integer.map { Int($0) },
                            endpoint: endpoint,
                            isRTCP: flags.contains("RTCP") && !flags.contains("RTP"),
                            packets: stream["stats"]?["packets"]?.integer ?? 0,
                            bytes: stream["stats"]?["bytes"]?.integer ?? 0,
                            errors: stream["stats"]?["errors"]?.integer ?? 0,
                            lastPacket: stream["last packet"]?.integer
                        )
                    }
                )
            }
            participants[tag] = Participant(tag: tag, label: value["label"]?.string, medias: medias)
        }
        self.participants = participants
    }
}
