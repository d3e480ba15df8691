import Foundation
import TCCC

/// Draws an ``AgentWorkbenchModel`` as a full screen of text: header, notice, ringing offers
/// with their countdowns, held sessions, the selected chat, the input line and the key help.
struct AgentWorkbenchView {
    let model: AgentWorkbenchModel
    let columns: Int
    let rows: Int
    let now: Date

    /// One screen row: text and the style of the whole row.
    struct Row: Equatable {
        var text: String
        var style: Style = .plain

        enum Style { case plain, header, heading, selected, dim, notice, error, footer }
    }

    static let keyHelp = [
        "o online", "f free", "r rest", "n not ready", "x offline", "a accept", "Tab/↑↓ select",
        "Enter message", "t transfer", "e end", "q quit",
    ]

    /// The rows, exactly `rows` of them, and where the cursor goes when the input line is active.
    func layout() -> (rows: [Row], cursor: (row: Int, column: Int)?) {
        var top: [Row] = [header(), noticeRow()]
        top.append(Row(text: "Ringing", style: .heading))
        let ringing = model.ringing
        if ringing.isEmpty { top.append(Row(text: "  no offers", style: .dim)) }
        for offer in ringing { top.append(offerRow(offer)) }
        top.append(Row(text: ""))
        top.append(Row(text: "Sessions", style: .heading))
        let held = model.held
        if held.isEmpty { top.append(Row(text: "  none", style: .dim)) }
        for session in held { top.append(sessionRow(session)) }
        top.append(Row(text: ""))

        let bottom = footerRows()
        let input = inputRow()
        let transcriptSpace = max(0, rows - top.count - bottom.count - 1)
        var middle = transcriptRows(limit: transcriptSpace)
        middle += Array(repeating: Row(text: ""), count: max(0, transcriptSpace - middle.count))

        var all = top + middle + [input.row] + bottom
        if all.count > rows {
            // Too short a terminal: keep the input line and the key help, cut the lists above.
            all = Array(all.prefix(max(0, rows - bottom.count - 1))) + [input.row] + bottom
        }
        let cursorRow = all.count - bottom.count - 1
        return (all.map(clipped), input.column.map { (cursorRow, min($0, columns - 1)) })
    }

    /// The whole screen as the bytes to write.
    func render() -> String {
        let (rows, cursor) = layout()
        var screen = ANSI.home
        for (index, row) in rows.enumerated() {
            screen += Self.prefix(row.style) + row.text + ANSI.resetStyle + ANSI.clearToEndOfLine
            if index < rows.count - 1 { screen += "\r\n" }
        }
        screen += ANSI.clearToEndOfScreen
        if let cursor {
            screen += ANSI.moveTo(row: cursor.row, column: cursor.column) + ANSI.showCursor
        } else {
            screen += ANSI.hideCursor
        }
        return screen
    }

    // MARK: Rows

    private func header() -> Row {
        var status = model.status.rawValue
        if let reason = model.restReason, model.status == .rest { status += " (\(reason))" }
        let who = model.name.isEmpty ? model.userId : "\(model.name) (\(model.userId))"
        return Row(text: " Switchboard agent │ \(who) │ status: \(status) │ \(model.connection)", style: .header)
    }

    private func noticeRow() -> Row {
        guard let notice = model.notice else { return Row(text: "") }
        return Row(text: " \(notice.text)", style: notice.isError ? .error : .notice)
    }

    private func offerRow(_ offer: LiveSession) -> Row {
        let selected = offer.id == model.selectedSessionId
        var details = [offer.type.rawValue, offer.id]
        if let source = offer.callIn.peerSource { details.append(source) }
        if let remark = offer.callIn.remark { details.append(remark) }
        if let data = offer.callIn.clientData { details.append(data) }
        let countdown = offer.secondsLeftToAccept(at: now).map { "rings \($0) s" } ?? "no timeout"
        let text = "\(selected ? "›" : " ") \(offer.displayName) · \(details.joined(separator: " · "))   \(countdown)   a: accept"
        return Row(text: text, style: selected ? .selected : .plain)
    }

    private func sessionRow(_ session: LiveSession) -> Row {
        let selected = session.id == model.selectedSessionId
        let since = session.acceptedAt.map { Self.duration(now.timeIntervalSince($0)) } ?? ""
        let text = "\(selected ? "›" : " ") \(session.displayName) · \(session.type.rawValue) · \(session.id)   \(since)"
        return Row(text: text, style: selected ? .selected : .plain)
    }

    private func transcriptRows(limit: Int) -> [Row] {
        guard limit > 0, let session = model.selectedSession, !session.isRinging else { return [] }
        var lines: [Row] = [Row(text: "Chat with \(session.displayName) (\(session.id))", style: .heading)]
        guard session.type == .im else {
            return lines + [Row(text: "  a \(session.type.rawValue) session: no messages here", style: .dim)]
        }
        let width = max(10, columns - 2)
        var body: [Row] = []
        for message in model.transcripts[session.id] ?? [] {
            let speaker = switch message.from {
            case .customer: session.displayName
            case .agent: "you"
            case .system: "system"
            }
            let style: Row.Style = message.from == .system ? .dim : .plain
            for line in Self.wrap("\(speaker): \(message.text)", width: width) {
                body.append(Row(text: "  " + line, style: style))
            }
        }
        if body.isEmpty { body.append(Row(text: "  no messages yet", style: .dim)) }
        lines += body.suffix(limit - 1)
        return lines
    }

    private func inputRow() -> (row: Row, column: Int?) {
        let label: String
        switch model.prompt {
        case .message: label = "> "
        case .restReason: label = "Rest reason (Enter to confirm, Esc to cancel): "
        case .transfer: label = "Transfer to skill group, or @agent (Enter, Esc to cancel): "
        case nil:
            let hint = model.selectedSession.map { !$0.isRinging && $0.type == .im } == true ? "Enter: write a message" : ""
            return (Row(text: hint, style: .dim), nil)
        }
        let text = label + (model.prompt?.text ?? "")
        // Keep the end of a long input in view.
        let visible = text.count < columns ? text : String(text.suffix(columns - 1))
        return (Row(text: visible), visible.count)
    }

    private func footerRows() -> [Row] {
        var rows: [Row] = []
        var line = ""
        for item in Self.keyHelp {
            let candidate = line.isEmpty ? " \(item)" : "\(line)  \(item)"
            if candidate.count > columns, !line.isEmpty {
                rows.append(Row(text: line, style: .footer))
                line = " \(item)"
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { rows.append(Row(text: line, style: .footer)) }
        return rows
    }

    // MARK: Text

    private func clipped(_ row: Row) -> Row {
        var row = row
        if row.text.count > columns { row.text = String(row.text.prefix(columns)) }
        if row.style == .header || row.style == .footer || row.style == .selected {
            row.text += String(repeating: " ", count: max(0, columns - row.text.count))
        }
        return row
    }

    private static func prefix(_ style: Row.Style) -> String {
        switch style {
        case .plain: ""
        case .header: "\u{1B}[1;7m"
        case .heading: "\u{1B}[1m"
        case .selected: "\u{1B}[7m"
        case .dim: "\u{1B}[2m"
        case .notice: "\u{1B}[33m"
        case .error: "\u{1B}[31m"
        case .footer: "\u{1B}[7m"
        }
    }

    /// Splits text into lines of at most `width` characters, at spaces where it can.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var word = Substring(word)
                while word.count > width {
                    if !line.isEmpty { lines.append(line); line = "" }
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// `m:ss` or `h:mm:ss`.
    static func duration(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds))
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0
            ? "\(hours):\(String(format: "%02d", minutes)):\(String(format: "%02d", rest))"
            : "\(minutes):\(String(format: "%02d", rest))"
    }
}
