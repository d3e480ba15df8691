import Foundation
import Hummingbird

/// `GET /api/v1/chat/ivr-prompts/{generated|uploaded}/{file}`: the audio of a flow's prompts for
/// the widget, which plays a web call's menu itself (the call has no media server in its path
/// until an agent answers). Public like the menu a phone number plays: it is the same audio;
/// only files the prompt library holds are reachable, by names it checks.
enum IVRPromptAudioRoutes {
    static func register(on router: Router<ServerRequestContext>, server: ServerComponents) {
        router.get("/api/v1/chat/ivr-prompts/{kind}/{name}") { request, context -> Response in
            _ = try QueryParameters(request, accepted: [])
            let kind = try RequestInput.pathId("kind", context)
            let name = try RequestInput.pathId("name", context)
            guard let url = server.ivrPrompts.servedFile(kind: kind, name: name), let data = try? Data(contentsOf: url) else {
                throw APIError.notFound("promptNotFound", "no IVR prompt '\(kind.prefix(20))/\(name.prefix(80))'")
            }
            // A generated prompt's name is the hash of its voice and words: it never changes.
            // An uploaded one may be replaced under its name.
            let caching = kind == "generated" ? "public, max-age=31536000, immutable" : "no-cache"
            let headers: HTTPFields = [.contentType: "audio/wav", .cacheControl: caching, .contentLength: String(data.count)]
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
