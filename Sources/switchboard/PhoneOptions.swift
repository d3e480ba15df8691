import ArgumentParser
import Foundation
import SwitchboardCore
import SwitchboardServer

/// `switchboard serve`'s telephone settings. The trunk's password never comes from a flag (it would
/// show in `ps`): `SWITCHBOARD_TRUNK_PASSWORD` or a file.
struct PhoneOptions: ParsableArguments {
    @Option(name: .customLong("sip-listen"), help: "UDP address for SIP from the trunk, e.g. 0.0.0.0:5060; turns phone calls on (SWITCHBOARD_SIP_LISTEN).")
    var sipListen: String? = environment("SIP_LISTEN")

    @Option(name: .customLong("sip-advertise"), help: "The host put in Via and Contact when it differs from the listen address (SWITCHBOARD_SIP_ADVERTISE).")
    var sipAdvertise: String? = environment("SIP_ADVERTISE")

    @Option(name: .customLong("trunk"), help: "The carrier's SIP address for outbound calls, host[:port] (SWITCHBOARD_TRUNK).")
    var trunk: String? = environment("TRUNK")

    @Option(name: .customLong("trunk-username"), help: "The digest user name the trunk asks for (SWITCHBOARD_TRUNK_USERNAME).")
    var trunkUsername: String? = environment("TRUNK_USERNAME")

    @Option(name: .customLong("trunk-password-file"), help: "A file holding the trunk's digest password; or set SWITCHBOARD_TRUNK_PASSWORD (SWITCHBOARD_TRUNK_PASSWORD_FILE).")
    var trunkPasswordFile: String? = environment("TRUNK_PASSWORD_FILE")

    @Option(name: .customLong("trunk-allow"), help: "Comma-separated addresses or CIDRs calls may come from; the trunk's address when absent (SWITCHBOARD_TRUNK_ALLOW).")
    var trunkAllow: String? = environment("TRUNK_ALLOW")

    @Option(name: .customLong("caller-id"), help: "The number presented on outbound calls unless the agent names one (SWITCHBOARD_CALLER_ID).")
    var callerId: String? = environment("CALLER_ID")

    @Option(name: .customLong("phone-number"), help: "NUMBER=SKILLGROUP: a number whose calls queue in the group; repeatable, comma-separated in SWITCHBOARD_PHONE_NUMBERS.")
    var phoneNumbers: [String] = environment("PHONE_NUMBERS").map { $0.split(separator: ",").map(String.init) } ?? []

    @Option(name: .customLong("dial-allow"), help: "Comma-separated numbers or prefixes ending in * that agents may dial; none when absent (SWITCHBOARD_DIAL_ALLOW).")
    var dialAllow: String? = environment("DIAL_ALLOW")

    @Option(name: .customLong("rtpengine"), help: "udp:HOST:PORT of a running rtpengine's ng socket; Switchboard starts its own when absent (SWITCHBOARD_RTPENGINE).")
    var rtpengine: String? = environment("RTPENGINE")

    @Option(name: .customLong("media-address"), help: "The address rtpengine binds media to (SWITCHBOARD_MEDIA_ADDRESS).")
    var mediaAddress: String = environment("MEDIA_ADDRESS") ?? "127.0.0.1"

    @Option(name: .customLong("media-public-address"), help: "The public address put in SDP when media is behind NAT (SWITCHBOARD_MEDIA_PUBLIC_ADDRESS).")
    var mediaPublicAddress: String? = environment("MEDIA_PUBLIC_ADDRESS")

    @Option(name: .customLong("rtp-ports"), help: "The UDP port range for media, LOW-HIGH (SWITCHBOARD_RTP_PORTS).")
    var rtpPorts: String = environment("RTP_PORTS") ?? "30000-30999"

    @Option(name: .customLong("queue-audio"), help: "A WAV file callers hear while queued; a generated chime when absent (SWITCHBOARD_QUEUE_AUDIO).")
    var queueAudio: String? = environment("QUEUE_AUDIO")

    @Option(name: .customLong("hold-audio"), help: "A WAV file callers hear on hold; a generated tune when absent (SWITCHBOARD_HOLD_AUDIO).")
    var holdAudio: String? = environment("HOLD_AUDIO")

    @Option(name: .customLong("ivr-voice"), help: "The espeak-ng voice IVR prompts are spoken in, e.g. en, en-us, de (SWITCHBOARD_IVR_VOICE).")
    var ivrVoice: String = environment("IVR_VOICE") ?? "en"

    @Option(name: .customLong("recording-retention-days"), help: "Days call recordings are kept after the call; kept until deleted when absent (SWITCHBOARD_RECORDING_RETENTION_DAYS).")
    var recordingRetentionDays: String? = environment("RECORDING_RETENTION_DAYS")

    /// The phone settings, or nil when phone calls are off; names the option that is wrong.
    func makeConfiguration() throws -> PhoneConfiguration? {
        guard let sipListen else {
            let given = [("--trunk", trunk), ("--phone-number", phoneNumbers.first), ("--rtpengine", rtpengine), ("--dial-allow", dialAllow)]
            if let (flag, _) = given.first(where: { $0.1 != nil }) {
                throw ValidationError("\(flag) needs --sip-listen: phone calls are off without a SIP address")
            }
            return nil
        }
        var phone = PhoneConfiguration()
        guard let listen = HostPort(parsing: sipListen, defaultPort: 5060) ?? (sipListen.hasSuffix(":0") ? HostPort(host: String(sipListen.dropLast(2)), port: 0) : nil) else {
            throw ValidationError("--sip-listen must be HOST[:PORT], e.g. 0.0.0.0:5060, not '\(sipListen)'")
        }
        phone.sipHost = listen.host
        phone.sipPort = listen.port
        phone.sipAdvertisedHost = sipAdvertise
        if let trunk {
            guard let address = HostPort(parsing: trunk, defaultPort: 5060) else {
                throw ValidationError("--trunk must be HOST[:PORT], e.g. sip.carrier.example:5060, not '\(trunk)'")
            }
            phone.trunk = address
        }
        phone.trunkUsername = trunkUsername
        if let file = trunkPasswordFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("--trunk-password-file '\(file)' cannot be read")
            }
            phone.trunkPassword = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            phone.trunkPassword = environment("TRUNK_PASSWORD")
        }
        phone.allowedSources = list(trunkAllow)
        phone.defaultCallerNumber = callerId
        phone.numbers = try phoneNumbers.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--phone-number must be NUMBER=SKILLGROUP, e.g. +4930123456=support, not '\(entry)'")
            }
            return PhoneNumberBinding(number: parts[0], skillGroupId: SkillGroupID(parts[1]))
        }
        phone.dialAllow = list(dialAllow)
        if let rtpengine {
            guard let address = HostPort(parsing: rtpengine) else {
                throw ValidationError("--rtpengine must be udp:HOST:PORT, e.g. udp:127.0.0.1:2223, not '\(rtpengine)'")
            }
            phone.rtpengine = address
        }
        phone.mediaAddress = mediaAddress
        phone.mediaPublicAddress = mediaPublicAddress
        let bounds = rtpPorts.split(separator: "-").compactMap { Int($0) }
        guard bounds.count == 2, bounds[0] <= bounds[1] else {
            throw ValidationError("--rtp-ports must be LOW-HIGH, e.g. 30000-30999, not '\(rtpPorts)'")
        }
        phone.rtpPorts = bounds[0]...bounds[1]
        phone.queueAudioPath = queueAudio
        phone.holdAudioPath = holdAudio
        phone.ivrVoice = ivrVoice
        if let recordingRetentionDays {
            guard let days = Int(recordingRetentionDays), (1...36_500).contains(days) else {
                throw ValidationError("--recording-retention-days must be a whole number of days from 1 to 36500, not '\(recordingRetentionDays)'")
            }
            phone.recordingRetentionDays = days
        }
        return phone
    }

    private func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
