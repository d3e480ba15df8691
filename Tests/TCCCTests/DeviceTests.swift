import Foundation
import Testing
@testable import TCCC

/// `Devices`: platform support and audio device lists.
@Suite("Devices")
struct DeviceTests {
    @Test func listingDevicesNeverFails() async throws {
        let tccc = try TCCC(server: URL(string: "http://127.0.0.1:1")!, credentials: .token("t"))
        #expect(tccc.Devices.isBrowserSupported())
        let microphones = await tccc.Devices.getMicrophones()
        let speakers = await tccc.Devices.getSpeakers()
        #expect(microphones.allSatisfy { $0.kind == .audioinput && !$0.deviceId.isEmpty })
        #expect(speakers.allSatisfy { $0.kind == .audiooutput && !$0.deviceId.isEmpty })
    }

    @Test func readsALSACardsAndPCMDevices() throws {
        let cards = ALSADeviceList.parseCards("""
             0 [PCH            ]: HDA-Intel - HDA Intel PCH
                                  HDA Intel PCH at 0xf7f10000 irq 32
             1 [Webcam         ]: USB-Audio - C920 Webcam
                                  Logitech C920 at usb-0000:00:14.0-2, high speed
            """)
        #expect(cards == [0: "HDA Intel PCH", 1: "C920 Webcam"])
        let pcm = """
            00-00: ALC892 Analog : ALC892 Analog : playback 1 : capture 1
            00-01: ALC892 Digital : ALC892 Digital : playback 1
            01-00: USB Audio : USB Audio : capture 1
            garbage line
            """
        let microphones = ALSADeviceList.parse(pcm: pcm, cards: cards, kind: .audioinput)
        #expect(microphones.map(\.deviceId) == ["hw:0,0", "hw:1,0"])
        #expect(microphones.map(\.label) == ["HDA Intel PCH: ALC892 Analog", "C920 Webcam: USB Audio"])
        let speakers = ALSADeviceList.parse(pcm: pcm, cards: cards, kind: .audiooutput)
        #expect(speakers.map(\.deviceId) == ["hw:0,0", "hw:0,1"])
        #expect(Set(speakers.map(\.groupId)) == ["alsa-card-0"])
        #expect(ALSADeviceList.devices(kind: .audioinput, root: "/nonexistent").isEmpty)
    }

    @Test func readsPulseAudioSourcesWithoutMonitors() {
        let sources = """
            0\talsa_output.pci-0000_00_1f.3.analog-stereo.monitor\tmodule-alsa-card.c\ts16le 2ch 44100Hz\tSUSPENDED
            1\talsa_input.pci-0000_00_1f.3.analog-stereo\tmodule-alsa-card.c\ts16le 2ch 44100Hz\tRUNNING
            """
        let microphones = PulseAudioDeviceList.parse(sources, kind: .audioinput)
        #expect(microphones == [MediaDeviceInfo(
            deviceId: "pulse:alsa_input.pci-0000_00_1f.3.analog-stereo", groupId: "pulse", kind: .audioinput,
            label: "alsa_input.pci-0000_00_1f.3.analog-stereo")])
        let sinks = PulseAudioDeviceList.parse("0\talsa_output.pci-0000_00_1f.3.analog-stereo\tmodule-alsa-card.c\ts16le 2ch 44100Hz\tIDLE\n", kind: .audiooutput)
        #expect(sinks.map(\.deviceId) == ["pulse:alsa_output.pci-0000_00_1f.3.analog-stereo"])
    }
}
