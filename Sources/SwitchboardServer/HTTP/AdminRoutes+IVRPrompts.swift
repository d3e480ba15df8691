import Foundation
import Hummingbird
import NIOCore
import SwitchboardCore

/// `/api/v1/ivr-prompts`: recorded IVR prompts (WAV files) a flow's prompt names with `audio`,
/// kept under `<data>/ivr-audio/`. A prompt a flow uses cannot be deleted; a flow naming one that
/// was never uploaded is refused when it is saved.
extension AdminRoutes {
    /// Larger uploads are refused with 413: four minutes of 8 kHz 16-bit audio fit.
    static let maximumPromptSize = 4 * 1024 * 1024

    static func registerIVRPrompts(on api: RouterGroup<ServerRequestContext>, server: ServerComponents) {
        let directory = URL(fileURLWithPath: server.configuration.dataDirectory).appendingPathComponent("ivr-audio", isDirectory: true)

        api.get("/ivr-prompts") { request, _ -> Page<IVRPromptRepresentation> in
            let page = try QueryParameters(request, accepted: PageRequest.names).page()
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter { $0.hasSuffix(".wav") }.map { String($0.dropLast(4)) }.filter(IVRFlow.isName).sorted()
            return page.slice(names.compactMap { name in
                let url = directory.appendingPathComponent(name + ".wav")
                guard let data = try? Data(contentsOf: url), let length = try? IVRPromptLibrary.milliseconds(ofWAV: data) else { return nil }
                return IVRPromptRepresentation(name: name, bytes: data.count, milliseconds: Int(length))
            })
        }

        api.put("/ivr-prompts/{name}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let name = try promptName(context)
            let type = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type, ["audio/wav", "audio/x-wav", "audio/wave"].contains(type) else {
                throw APIError(.unsupportedMediaType, code: "unsupportedMediaType", "send the prompt as a WAV file with Content-Type: audio/wav")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maximumPromptSize)
            } catch is NIOTooManyBytesError {
                throw APIError(.contentTooLarge, code: "bodyTooLarge", "the prompt is larger than \(maximumPromptSize) bytes (4 MiB), the limit")
            }
            let data = Data(buffer: buffer)
            let length: Int64
            do {
                length = try IVRPromptLibrary.milliseconds(ofWAV: data)
            } catch {
                throw APIError.invalid("the body is not a PCM WAV file (\(error)); convert it, e.g. sox in.mp3 -r 8000 -c 1 out.wav")
            }
            if length <= 0 { throw APIError.invalid("the WAV file holds no audio") }
            let existed = FileManager.default.fileExists(atPath: directory.appendingPathComponent(name + ".wav").path)
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try data.write(to: directory.appendingPathComponent(name + ".wav"), options: .atomic)
            } catch {
                throw APIError(.serviceUnavailable, code: "unavailable", "the prompt could not be stored (\(error)); try again")
            }
            return try saved(
                IVRPromptRepresentation(name: name, bytes: data.count, milliseconds: Int(length)),
                created: !existed, at: "/api/v1/ivr-prompts/\(name)", request: request, context: context)
        }

        api.delete("/ivr-prompts/{name}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let name = try promptName(context)
            let url = directory.appendingPathComponent(name + ".wav")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw APIError.notFound("unknownIVRPrompt", "IVR prompt \(name) has not been uploaded")
            }
            if let flow = await server.routing.read({ machine in flowUsing(name, in: machine) }) {
                throw APIError(.conflict, code: "inUse", "IVR prompt \(name) is played by IVR flow \(flow); change the flow first")
            }
            try? FileManager.default.removeItem(at: url)
            return noContent
        }
    }

    private static func promptName(_ context: ServerRequestContext) throws -> String {
        let name = try RequestInput.pathId("name", context)
        guard IVRFlow.isName(name) else {
            throw APIError.invalid("prompt name '\(name.prefix(70))' must be 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'")
        }
        return name
    }

    /// The first flow (by id) with a prompt playing the uploaded file `name`.
    static func flowUsing(_ name: String, in machine: RoutingStateMachine) -> IVRFlowID? {
        machine.ivrFlows.keys.sorted().first { id in machine.ivrFlows[id]!.uploadedPrompts.contains(name) }
    }
}

extension IVRFlow {
    /// The uploaded prompts (`audio`) the flow plays.
    var uploadedPrompts: Set<String> {
        Set(nodes.compactMap { node -> String? in
            switch node.action {
            case .play(let prompt, _): prompt.audio
            case .menu(let menu): menu.prompt.audio
            case .hangUp(let prompt, _): prompt?.audio
            case .workingHours, .queue: nil
            }
        })
    }
}

/// An uploaded prompt as the API shows it.
struct IVRPromptRepresentation: ResponseEncodable, Sendable {
    var name: String
    var bytes: Int
    var milliseconds: Int
}
