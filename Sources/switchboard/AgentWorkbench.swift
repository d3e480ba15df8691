import Foundation
import TCCC

/// The terminal workbench's loop: keys, SDK events, connection changes, SDK results and a
/// one-second tick all arrive as ``Input``s on one stream; each updates the model, and the screen
/// is redrawn. SDK calls run as child tasks so a slow answer never holds up the keyboard.
struct AgentWorkbench {
    let tccc: TCCC
    let terminal: Terminal

    /// Something that may change the screen.
    enum Input: Sendable {
        case key(KeyPress)
        case event(AgentEvent)
        case connection(ConnectionState)
        case finished(AgentWorkbenchModel.Action, CommonSDKResponse<MessagePage>?, TCCCError?)
        case tick
        case signal(Int32)
    }

    /// Runs until the person quits (q, Ctrl-C, or a terminating signal), then closes the SDK.
    func run() async {
        var model = AgentWorkbenchModel()
        model.sync(from: tccc)
        let (inputs, input) = AsyncStream.makeStream(of: Input.self)
        let tccc = self.tccc

        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await key in Terminal.keys() { input.yield(.key(key)) }
            }
            group.addTask {
                for await event in tccc.eventStream() { input.yield(.event(event)) }
            }
            group.addTask {
                for await state in tccc.connectionStates() { input.yield(.connection(state)) }
            }
            group.addTask {
                for await number in Terminal.signals() { input.yield(.signal(number)) }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    input.yield(.tick)
                }
            }
            for session in model.held where session.type == .im {
                group.addTask { input.yield(await Self.perform(.loadTranscript(sessionId: session.id), on: tccc)) }
            }
            draw(model)

            for await next in inputs {
                var actions: [AgentWorkbenchModel.Action] = []
                switch next {
                case .key(let key):
                    if let action = model.handle(key) { actions.append(action) }
                case .event(let event):
                    model.sync(from: tccc)
                    actions += model.apply(event)
                case .connection(let state):
                    model.connection = state
                    if state == .ready { model.sync(from: tccc) }
                case .finished(.typing, _, _):
                    // A lost typing hint is not worth a notice.
                    break
                case .finished(let action, let page, let error):
                    if let error {
                        model.notice = .init(text: "\(action.summary): \(error.message)", isError: true)
                    } else if case .loadTranscript(let id) = action, let messages = page?.data?.messages {
                        model.mergeTranscript(messages, for: id)
                    }
                    model.sync(from: tccc)
                    if error == nil, case .setStatus(let status, _) = action, model.status == .busy {
                        model.notice = .init(text: "\(status) will follow when your last session ends", isError: false)
                    }
                case .tick:
                    break
                case .signal(let number):
                    if number != SIGWINCH { model.quitting = true }
                }
                if model.quitting { break }
                for action in actions {
                    group.addTask { input.yield(await Self.perform(action, on: tccc)) }
                }
                draw(model)
            }
            input.finish()
            group.cancelAll()
            // Closing fails calls still waiting for the server, so the children end at once.
            await tccc.close()
        }
    }

    private func draw(_ model: AgentWorkbenchModel) {
        let size = terminal.size
        terminal.write(AgentWorkbenchView(model: model, columns: size.columns, rows: size.rows, now: Date()).render())
    }

    /// Makes one SDK call; the result comes back as an ``Input``.
    private static func perform(_ action: AgentWorkbenchModel.Action, on tccc: TCCC) async -> Input {
        let error: TCCCError?
        switch action {
        case .online:
            error = await tccc.Agent.online().error
        case .offline:
            error = await tccc.Agent.offline().error
        case .setStatus(let status, let reason):
            error = await tccc.Agent.setStatus(status, restReason: reason).error
        case .accept(let id):
            error = await tccc.Chat.accept(sessionId: id).error
        case .end(let id):
            error = await tccc.Chat.end(sessionId: id).error
        case .transfer(let id, let group, let user):
            error = await tccc.Chat.transfer(sessionId: id, skillGroupId: group, userId: user).error
        case .send(let id, let text):
            error = await tccc.Chat.sendMessage(sessionId: id, text: text).error
        case .typing(let id):
            error = await tccc.Chat.typing(sessionId: id).error
        case .loadTranscript(let id):
            let page = await tccc.Chat.getMessages(sessionId: id, order: .oldest, limit: MessageQuery.maximumLimit)
            return .finished(action, page, page.error)
        }
        return .finished(action, nil, error)
    }
}
