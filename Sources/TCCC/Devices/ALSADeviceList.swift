import Foundation

/// The sound devices ALSA lists in `/proc/asound/cards` and `/proc/asound/pcm` (Linux).
enum ALSADeviceList {
    /// Reads the two files; an empty list when they are missing (no sound, or not Linux).
    static func devices(kind: MediaDeviceInfo.Kind, root: String = "/proc/asound") -> [MediaDeviceInfo] {
        guard let pcm = try? String(contentsOfFile: "\(root)/pcm", encoding: .utf8) else { return [] }
        let cards = (try? String(contentsOfFile: "\(root)/cards", encoding: .utf8)).map(parseCards) ?? [:]
        return parse(pcm: pcm, cards: cards, kind: kind)
    }

    /// Card number → name, from lines like ` 0 [PCH            ]: HDA-Intel - HDA Intel PCH`.
    static func parseCards(_ text: String) -> [Int: String] {
        var cards: [Int: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard let space = trimmed.firstIndex(of: " "), let number = Int(trimmed[..<space]),
                  let dash = trimmed.range(of: " - ")
            else { continue }
            cards[number] = trimmed[dash.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        return cards
    }

    /// Devices from lines like `00-00: ALC892 Analog : ALC892 Analog : playback 1 : capture 1`.
    static func parse(pcm: String, cards: [Int: String], kind: MediaDeviceInfo.Kind) -> [MediaDeviceInfo] {
        let wanted = kind == .audioinput ? "capture" : "playback"
        var devices: [MediaDeviceInfo] = []
        for line in pcm.split(separator: "\n") {
            let fields = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3 else { continue }
            let numbers = fields[0].split(separator: "-").compactMap { Int($0) }
            guard numbers.count == 2 else { continue }
            guard fields.dropFirst(3).contains(where: { $0.hasPrefix(wanted) }) else { continue }
            let (card, device) = (numbers[0], numbers[1])
            let name = fields[1].isEmpty ? fields[2] : fields[1]
            let cardName = cards[card] ?? "card \(card)"
            devices.append(MediaDeviceInfo(
                deviceId: "hw:\(card),\(device)", groupId: "alsa-card-\(card)", kind: kind, label: "\(cardName): \(name)"))
        }
        return devices
    }
}
