/// An audio device, shaped like the browser's `MediaDeviceInfo` that TCCC's `getMicrophones()`
/// and `getSpeakers()` return.
public struct MediaDeviceInfo: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A stable id for the device on this machine: `hw:0,0` for an ALSA device,
    /// `pulse:<name>` for a PulseAudio one, the system's unique id on Apple platforms.
    public var deviceId: String
    /// Devices that belong to the same physical device (the same sound card) share it.
    public var groupId: String
    /// Microphone (`audioinput`) or speaker (`audiooutput`).
    public var kind: Kind
    /// The name a person would recognise: "HDA Intel PCH: ALC892 Analog".
    public var label: String

    /// Creates a device description.
    public init(deviceId: String, groupId: String, kind: Kind, label: String) {
        self.deviceId = deviceId
        self.groupId = groupId
        self.kind = kind
        self.label = label
    }

    /// The label and the id.
    public var description: String { "\(label) [\(deviceId)]" }

    /// The browser's `MediaDeviceKind` for audio.
    public enum Kind: String, Sendable, Equatable, Hashable {
        /// A microphone.
        case audioinput
        /// A speaker or headphones.
        case audiooutput
    }
}
