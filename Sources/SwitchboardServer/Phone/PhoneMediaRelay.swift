import Foundation
import Logging
import NIOCore
import NIOPosix
import RtpEngine

/// rtpengine as the phone channel uses it: started and watched by this server (or reached at
/// `--rtpengine`), its ng client, and the socket its caller-digit reports arrive on.
struct PhoneMediaRelay: Sendable {
    let client: RtpEngineClient
    /// Nil when the operator runs rtpengine (`--rtpengine`).
    let process: RtpEngineProcess?
    /// Where rtpengine writes call captures (`pcaps/`); nil for an rtpengine the operator runs,
    /// whose spool this server cannot read, so its calls cannot be recorded.
    var recordingSpool: String? { process?.configuration.recordingDirectory }

    /// Starts rtpengine (or reaches the operator's). Caller digits are reported to `digitsPort`
    /// by an rtpengine this server starts; one it did not start reports wherever its own
    /// `--dtmf-log-dest` says.
    static func start(configuration: PhoneConfiguration, stateDirectory: String, digitsPort: Int, logger: Logger) async throws -> PhoneMediaRelay {
        if let external = configuration.rtpengine {
            let address = try SocketAddress.makeAddressResolvingHost(external.host, port: external.port)
            let client = try await RtpEngineClient.connect(to: .init(ngAddress: address), logger: logger)
            try await client.ping()
            return PhoneMediaRelay(client: client, process: nil)
        }
        var settings = RtpEngineProcess.Configuration(stateDirectory: (stateDirectory as NSString).appendingPathComponent("rtpengine"))
        settings.mediaAddress = configuration.mediaAddress
        settings.publicAddress = configuration.mediaPublicAddress
        settings.mediaPorts = configuration.rtpPorts
        settings.ngPort = try await freeLoopbackUDPPort()
        settings.dtmfLogPort = digitsPort
        let spool = (settings.stateDirectory as NSString).appendingPathComponent("recording-spool")
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        settings.recordingDirectory = spool
        let process = try await RtpEngineProcess.start(settings, logger: logger)
        let client = try await RtpEngineClient.connect(to: .init(ngAddress: process.ngAddress), logger: logger)
        return PhoneMediaRelay(client: client, process: process)
    }

    /// Resolves when rtpengine dies without being asked to, saying why; never for an external one.
    func waitForUnexpectedExit() async -> String? {
        guard let process else { return nil }
        let exit = await process.waitForExit()
        return exit.wasRequested ? nil : "rtpengine stopped (\(exit))"
    }

    func stop() async {
        _ = try? await process?.stop()
        await client.close()
    }

    /// A UDP port on the loopback that nobody uses right now, for rtpengine's ng socket.
    private static func freeLoopbackUDPPort() async throws -> Int {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}
