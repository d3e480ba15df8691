extension TCCC {
    /// The document's `tccc.Devices`: whether this platform runs the SDK, and its audio devices.
    ///
    /// Listing devices never fails: a machine without sound gets an empty list.
    public struct DeviceMethods: Sendable {
        /// `Devices.isBrowserSupported`: whether this platform can run the SDK. The web SDK checks
        /// the browser version; the Swift SDK runs wherever it compiles (Linux, macOS, iOS), so
        /// this is true.
        public func isBrowserSupported() -> Bool {
            true
        }

        /// `Devices.getMicrophones`: the audio input devices. Linux: ALSA capture devices, then
        /// PulseAudio sources when `pactl` is installed. Apple platforms: AVFoundation.
        public func getMicrophones() async -> [MediaDeviceInfo] {
            await Self.devices(kind: .audioinput)
        }

        /// `Devices.getSpeakers`: the audio output devices. Linux: ALSA playback devices, then
        /// PulseAudio sinks when `pactl` is installed. macOS: CoreAudio; iOS: the audio route.
        public func getSpeakers() async -> [MediaDeviceInfo] {
            await Self.devices(kind: .audiooutput)
        }

        private static func devices(kind: MediaDeviceInfo.Kind) async -> [MediaDeviceInfo] {
            #if canImport(AVFoundation)
            return AppleAudioDeviceList.devices(kind: kind)
            #else
            return ALSADeviceList.devices(kind: kind) + (await PulseAudioDeviceList.devices(kind: kind))
            #endif
        }
    }
}
