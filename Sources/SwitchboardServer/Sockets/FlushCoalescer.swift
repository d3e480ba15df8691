import NIOCore

/// Turns the flushes asked for within one turn of a WebSocket connection's event loop into one.
///
/// hummingbird-websocket writes and flushes every frame on its own, so each frame costs a
/// `writev` of its own. When one commit produces several frames for the same connection (a
/// response and the events it caused, a burst replayed on resume), their writes reach the event
/// loop as separate tasks queued back to back; this handler lets the first flush wait until the
/// tasks already queued have run, then flushes once, so the frames leave in one system call.
/// A lone frame waits for nothing but the tasks queued ahead of it (no timer is involved), so
/// latency does not grow when the server is idle. This is what Netty's
/// `FlushConsolidationHandler` does, without its read-loop special case.
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var flushPending = false

    func flush(context: ChannelHandlerContext) {
        guard !flushPending else { return }
        flushPending = true
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            // Nothing to do when a close or the handler's removal flushed in the meantime.
            bound.value.handler.flushNow(context: bound.value.context)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // What was written before a close goes out before it (a close frame, a last event).
        flushNow(context: context)
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        flushNow(context: context)
    }

    private func flushNow(context: ChannelHandlerContext) {
        guard flushPending else { return }
        flushPending = false
        context.flush()
    }
}
