#if canImport(AVFoundation)
import AVFoundation
#if os(macOS) && canImport(CoreAudio)
import CoreAudio
#endif

/// The audio devices Apple platforms report: AVFoundation's capture devices for microphones;
/// CoreAudio's output devices (macOS) or the audio session's route (iOS) for speakers.
enum AppleAudioDeviceList {
    static func devices(kind: MediaDeviceInfo.Kind) -> [MediaDeviceInfo] {
        switch kind {
        case .audioinput: microphones()
        case .audiooutput: speakers()
        }
    }

    private static func microphones() -> [MediaDeviceInfo] {
        #if os(macOS) || os(iOS) || os(visionOS)
        let types: [AVCaptureDevice.DeviceType]
        if #available(macOS 14.0, iOS 17.0, *) {
            types = [.microphone]
        } else {
            types = [.builtInMicrophone]
        }
        let discovery = AVCaptureDevice.DiscoverySession(deviceTypes: types, mediaType: .audio, position: .unspecified)
        return discovery.devices.map { device in
            MediaDeviceInfo(deviceId: device.uniqueID, groupId: device.modelID, kind: .audioinput, label: device.localizedName)
        }
        #else
        return []
        #endif
    }

    private static func speakers() -> [MediaDeviceInfo] {
        #if os(macOS) && canImport(CoreAudio)
        return CoreAudioOutputs.devices()
        #elseif os(iOS) || os(tvOS) || os(visionOS)
        return AVAudioSession.sharedInstance().currentRoute.outputs.map { port in
            MediaDeviceInfo(deviceId: port.uid, groupId: port.portType.rawValue, kind: .audiooutput, label: port.portName)
        }
        #else
        return []
        #endif
    }
}

#if os(macOS) && canImport(CoreAudio)
/// The macOS audio devices that have output streams, read from CoreAudio's device list.
private enum CoreAudioOutputs {
    static func devices() -> [MediaDeviceInfo] {
        var address = AudioObjectPropertyAddress(
            mSelector: kAudioHardwarePropertyDevices, mScope: kAudioObjectPropertyScopeGlobal, mElement: kAudioObjectPropertyElementMain)
        var size: UInt32 = 0
        guard AudioObjectGetPropertyDataSize(AudioObjectID(kAudioObjectSystemObject), &address, 0, nil, &size) == noErr else { return [] }
        var ids = [AudioObjectID](repeating: 0, count: Int(size) / MemoryLayout<AudioObjectID>.size)
        guard AudioObjectGetPropertyData(AudioObjectID(kAudioObjectSystemObject), &address, 0, nil, &size, &ids) == noErr else { return [] }
        return ids.compactMap { id in
            guard hasOutputStreams(id), let uid = string(kAudioDevicePropertyDeviceUID, of: id) else { return nil }
            let name = string(kAudioObjectPropertyName, of: id) ?? uid
            return MediaDeviceInfo(deviceId: uid, groupId: uid, kind: .audiooutput, label: name)
        }
    }

    private static func hasOutputStreams(_ id: AudioObjectID) -> Bool {
        var address = AudioObjectPropertyAddress(
            mSelector: kAudioDevicePropertyStreams, mScope: kAudioDevicePropertyScopeOutput, mElement: kAudioObjectPropertyElementMain)
        var size: UInt32 = 0
        return AudioObjectGetPropertyDataSize(id, &address, 0, nil, &size) == noErr && size > 0
    }

    private static func string(_ selector: AudioObjectPropertySelector, of id: AudioObjectID) -> String? {
        var address = AudioObjectPropertyAddress(
            mSelector: selector, mScope: kAudioObjectPropertyScopeGlobal, mElement: kAudioObjectPropertyElementMain)
        var value: Unmanaged<CFString>?
        var size = UInt32(MemoryLayout<Unmanaged<CFString>?>.size)
        guard AudioObjectGetPropertyData(id, &address, 0, nil, &size, &value) == noErr, let value else { return nil }
        return value.takeRetainedValue() as String
    }
}
#endif
#endif
