import HummingbirdWebSocket
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
@testable import SwitchboardServer

/// The agent socket's WebSocket layer (``NativeWebSocket``) and its outbox (``SocketOutbox``),
/// on NIO's embedded channel: every transition of the message layer, with time advanced by hand.
/// The agent protocol over it is covered by the server suites, over real sockets.
@Suite struct NativeWebSocketTests {
    /// Records what the socket tells its owner.
    final class Recorder: NativeWebSocketDelegate {
        var opened = 0
        var messages: [WebSocketMessage] = []
        var writable = 0
        var closed = 0
        /// What the owner does when the socket takes writes again (an agent's drains its outbox).
        var onWritable: () -> Void = {}

        func opened(_ socket: NativeWebSocket) { opened += 1 }
        func received(_ message: WebSocketMessage, on socket: NativeWebSocket) { messages.append(message) }
        func becameWritable(_ socket: NativeWebSocket) {
            writable += 1
            onWritable()
        }
        func closed(_ socket: NativeWebSocket) { closed += 1 }

        var texts: [String] {
            messages.map { if case .text(let text) = $0 { text } else { "<binary>" } }
        }
    }

    /// Counts the reads that reach the socket (it sits nearer the head than the handler under test).
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    struct Harness {
        let channel: EmbeddedChannel
        let socket: NativeWebSocket
        let recorder: Recorder
        let reads: ReadCounter

        init(maximumMessageSize: Int = 1 << 20) throws {
            channel = EmbeddedChannel()
            reads = ReadCounter()
            try channel.pipeline.syncOperations.addHandler(reads)
            // Active first: an upgraded channel is, and the socket treats an inactive one as gone.
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            recorder = Recorder()
            socket = NativeWebSocket(configuration: .init(maximumMessageSize: maximumMessageSize), delegate: recorder)
            try channel.pipeline.syncOperations.addHandler(socket)
        }

        func receive(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true, rsv1: Bool = false) throws {
            try channel.writeInbound(WebSocketFrame(fin: fin, rsv1: rsv1, opcode: opcode, data: ByteBuffer(string: text)))
        }

        func receiveClose(_ code: WebSocketErrorCode) throws {
            var data = ByteBuffer()
            data.write(webSocketErrorCode: code)
            try receiveClose(data)
        }

        func receiveClose(_ payload: ByteBuffer) throws {
            try channel.writeInbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: payload))
        }

        /// Every frame the socket wrote, in order.
        func sent() throws -> [WebSocketFrame] {
            var frames: [WebSocketFrame] = []
            while let frame = try channel.readOutbound(as: WebSocketFrame.self) { frames.append(frame) }
            return frames
        }
    }

    static func closeCode(_ frame: WebSocketFrame) -> WebSocketErrorCode? {
        guard frame.opcode == .connectionClose else { return nil }
        var data = frame.unmaskedData
        return data.readWebSocketErrorCode()
    }

    static func text(_ frame: WebSocketFrame) -> String {
        String(buffer: frame.unmaskedData)
    }

    @Test func aWholeMessageAndAFragmentedOneAreEachDeliveredOnce() throws {
        let harness = try Harness()
        #expect(harness.recorder.opened == 1)
        try harness.receive(.text, "whole")
        try harness.receive(.text, "ab", fin: false)
        try harness.receive(.continuation, "cd", fin: false)
        #expect(harness.recorder.texts == ["whole"], "nothing until the last fragment")
        try harness.receive(.continuation, "ef")
        try harness.receive(.binary, "bin")
        #expect(harness.recorder.texts == ["whole", "abcdef", "<binary>"])
        #expect(try harness.sent().isEmpty)
    }

    @Test func aMessageOverTheLimitIsRefusedWith1009AndNotDelivered() throws {
        let harness = try Harness(maximumMessageSize: 8)
        try harness.receive(.text, "123456", fin: false)
        try harness.receive(.continuation, "789", fin: true)
        let sent = try harness.sent()
        #expect(sent.count == 1 && Self.closeCode(sent[0]) == .messageTooLarge)
        #expect(harness.recorder.messages.isEmpty)
        // Nothing read after the close frame is delivered; the client's answer ends the connection.
        try harness.receive(.text, "late")
        #expect(harness.recorder.messages.isEmpty)
        try harness.receiveClose(.messageTooLarge)
        #expect(!harness.channel.isActive)
        #expect(harness.recorder.closed == 1)
    }

    @Test func framesOutOfOrderAreAProtocolError() throws {
        let harness = try Harness()
        try harness.receive(.continuation, "no start")
        #expect(try harness.sent().map(Self.closeCode) == [.protocolError])

        let interleaved = try Harness()
        try interleaved.receive(.text, "a", fin: false)
        try interleaved.receive(.text, "b")
        #expect(try interleaved.sent().map(Self.closeCode) == [.protocolError])
        #expect(interleaved.recorder.messages.isEmpty)
    }

    @Test func aPingIsAnsweredWithItsData() throws {
        let harness = try Harness()
        try harness.receive(.ping, "are you there")
        let sent = try harness.sent()
        #expect(sent.map(\.opcode) == [.pong])
        #expect(sent.map(Self.text) == ["are you there"])
    }

    @Test func theServerPingsAndClosesAClientThatStoppedAnswering() throws {
        let harness = try Harness()
        let loop = harness.channel.embeddedEventLoop
        loop.advanceTime(by: .seconds(29))
        #expect(try harness.sent().isEmpty)
        loop.advanceTime(by: .seconds(1))
        #expect(try harness.sent().map(\.opcode) == [.ping])
        try harness.receive(.pong, "ping")
        loop.advanceTime(by: .seconds(30))
        #expect(try harness.sent().map(\.opcode) == [.ping], "answered: pinged again, not closed")
        loop.advanceTime(by: .seconds(30))
        let sent = try harness.sent()
        #expect(sent.map(Self.closeCode) == [.goingAway])
        #expect(sent.map { String(buffer: $0.unmaskedData).dropFirst(2) } == ["ping timeout"])
        // No answer to the close either: the channel is closed after the close timeout.
        loop.advanceTime(by: .seconds(15))
        #expect(!harness.channel.isActive)
        #expect(harness.recorder.closed == 1)
    }

    @Test func aClientsCloseIsAnsweredWithItsCodeThenTheChannelCloses() throws {
        let harness = try Harness()
        try harness.receiveClose(.normalClosure)
        #expect(try harness.sent().map(Self.closeCode) == [.normalClosure])
        #expect(!harness.channel.isActive)
        #expect(harness.recorder.closed == 1)
    }

    @Test func aClientThatClosesItsSideOfTheConnectionEndsIt() throws {
        // The server allows half-closed connections, so a FIN arrives as this event.
        let harness = try Harness()
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!harness.channel.isActive)
        #expect(harness.recorder.closed == 1)
    }

    @Test func theServersCloseSendsNothingAfterItAndTheDelegateHearsOfItOnce() throws {
        let harness = try Harness()
        harness.socket.close(.policyViolation, reason: "no hello")
        harness.socket.send(text: "after the close", flush: true)
        harness.socket.close(.goingAway, reason: "again")
        let sent = try harness.sent()
        #expect(sent.map(Self.closeCode) == [.policyViolation])
        #expect(harness.socket.isClosing)
        try harness.receiveClose(.policyViolation)
        #expect(!harness.channel.isActive)
        #expect(harness.recorder.closed == 1)
        harness.channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(harness.recorder.closed == 1)
    }

    @Test func pausedReadingWithholdsTheSocketsReadsUntilResumed() throws {
        let harness = try Harness()
        let before = harness.reads.reads
        harness.channel.read()
        #expect(harness.reads.reads == before + 1)
        harness.socket.pauseReading()
        harness.channel.read()
        harness.channel.read()
        #expect(harness.reads.reads == before + 1, "withheld while paused")
        harness.socket.resumeReading()
        #expect(harness.reads.reads == before + 2, "one read asked for on resuming")
        harness.socket.resumeReading()
        #expect(harness.reads.reads == before + 2)
    }

    @Test func theOutboxWritesWhatIsQueuedInOrderAndHoldsItWhileTheSocketIsFull() throws {
        let harness = try Harness()
        let outbox = SocketOutbox(socket: harness.socket, capacity: 4)
        #expect(outbox.offer("one") && outbox.offer("two"))
        #expect(try harness.sent().isEmpty, "written on the event loop's next turn")
        harness.channel.embeddedEventLoop.run()
        #expect(try harness.sent().map(Self.text) == ["one", "two"])

        harness.channel.isWritable = false
        #expect(outbox.offer("three") && outbox.offer("four"))
        harness.channel.embeddedEventLoop.run()
        #expect(try harness.sent().isEmpty, "held while the send buffer is full")
        harness.recorder.onWritable = { outbox.drain() }
        harness.channel.isWritable = true
        harness.channel.pipeline.fireChannelWritabilityChanged()
        #expect(harness.recorder.writable == 1)
        #expect(try harness.sent().map(Self.text) == ["three", "four"], "written when the socket told its owner")
    }

    @Test func anOutboxOverItsCapacityGivesUpOnTheClientAndClosesTheSocket() throws {
        let harness = try Harness()
        harness.channel.isWritable = false
        let outbox = SocketOutbox(socket: harness.socket, capacity: 2)
        #expect(outbox.offer("a") && outbox.offer("b"))
        #expect(!outbox.offer("c"), "the third is over capacity")
        #expect(outbox.offer("d"), "a finished outbox takes late frames and drops them")
        harness.channel.embeddedEventLoop.run()
        let sent = try harness.sent()
        #expect(sent.prefix(2).map(Self.text) == ["a", "b"])
        #expect(sent.dropFirst(2).map(Self.closeCode) == [.goingAway])
    }

    @Test func aFinishedOutboxSendsWhatIsQueuedThenCloses() throws {
        let harness = try Harness()
        let outbox = SocketOutbox(socket: harness.socket, capacity: 8)
        let other = SocketOutbox(socket: harness.socket, capacity: 8)
        _ = outbox.offer("last words")
        outbox.finish()
        outbox.finish()
        harness.channel.embeddedEventLoop.run()
        let sent = try harness.sent()
        #expect(sent.first.map(Self.text) == "last words")
        #expect(sent.dropFirst().map(Self.closeCode) == [.goingAway])
        // Once the socket is closing, an outbox still open writes nothing to it.
        #expect(other.offer("after the close"))
        harness.channel.embeddedEventLoop.run()
        #expect(try harness.sent().isEmpty)
    }

    @Test func reservedBitsWithoutAnExtensionAreAProtocolError() throws {
        let harness = try Harness()
        try harness.receive(.text, "compressed?", rsv1: true)
        #expect(try harness.sent().map(Self.closeCode) == [.protocolError])
        #expect(harness.recorder.messages.isEmpty)
    }

    @Test func aSingleFrameOverTheLimitIsRefusedWith1009() throws {
        let harness = try Harness(maximumMessageSize: 8)
        try harness.receive(.text, "123456789")
        #expect(try harness.sent().map(Self.closeCode) == [.messageTooLarge])
        #expect(harness.recorder.messages.isEmpty)
    }

    @Test func aCloseIsAnsweredWithItsCodeOnlyWhenAPeerMaySendIt() throws {
        for (payload, answer) in [([UInt8](), WebSocketErrorCode.normalClosure), ([0x03], .protocolError),
                                  ([0x03, 0xED], .protocolError), ([0x0F, 0xA0], .init(codeNumber: 4000))] {
            // 0x03ED is 1005 ("no status"), which is never sent; 4000 is an application's code.
            let harness = try Harness()
            try harness.receiveClose(ByteBuffer(bytes: payload))
            #expect(try harness.sent().map(Self.closeCode) == [answer], "close payload \(payload)")
            #expect(!harness.channel.isActive)
        }
    }

    @Test func theServerShuttingDownClosesTheSocket() throws {
        let harness = try Harness()
        harness.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(try harness.sent().map(Self.closeCode) == [.goingAway])
        try harness.receiveClose(.goingAway)
        #expect(harness.recorder.closed == 1)
    }

    @Test func closingReadsTheClientsAnswerEvenWhileReadingWasPaused() throws {
        let harness = try Harness()
        harness.socket.pauseReading()
        harness.channel.read()
        let before = harness.reads.reads
        harness.socket.close(.policyViolation, reason: "not authenticated")
        #expect(harness.reads.reads == before + 1, "the withheld read goes out")
    }
}
