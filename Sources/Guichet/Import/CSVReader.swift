/// Reads the ENT's CSV dialect, and what a spreadsheet makes of it, one record per physical line.
///
/// The ENT quotes every value but does not escape quotes inside a value (`"Dupont "Jojo" Jean"`), so a quote closes a
/// quoted field only when a separator or the end of the line follows it. A doubled quote (`""`) inside a quoted field
/// is one quote, as spreadsheets write it, unless the separator or the end of the line follows the pair: then it is a
/// quote in the value followed by the closing one. No value in these exports spans lines, so a quote still open at the
/// end of a line is an error on that line — never a reason to swallow the lines after it.
struct CSVReader {
    let bytes: [UInt8]
    let separator: UInt8
    let file: String

    /// Calls `body` with each non-blank line's 1-based number and fields, in order.
    func forEachRecord(_ body: (_ line: Int, _ fields: [String]) throws(ImportError) -> Void) throws(ImportError) {
        try forEachRecord(in: 0..<bytes.count, firstLine: 1, body)
    }

    /// The same over the lines of `range` (which starts a line), numbered from `firstLine`: a piece of the file
    /// parsed on its own core.
    func forEachRecord(
        in range: Range<Int>, firstLine: Int,
        _ body: (_ line: Int, _ fields: [String]) throws(ImportError) -> Void
    ) throws(ImportError) {
        var line = firstLine - 1
        var start = range.lowerBound
        let n = range.upperBound
        var fields: [String] = []
        while start < n {
            line += 1
            var end = start
            while end < n && bytes[end] != 0x0A { end += 1 }
            var contentEnd = end
            if contentEnd > start && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if !isBlank(start, contentEnd) {
                fields.removeAll(keepingCapacity: true)
                try parseLine(from: start, to: contentEnd, line: line, into: &fields)
                try body(line, fields)
            }
            start = end + 1
        }
    }

    /// The first non-blank line (the header): its number, its fields and where the next line starts.
    func firstRecord() throws(ImportError) -> (line: Int, fields: [String], next: Int)? {
        var start = 0
        var line = 1
        while start < bytes.count {
            let next = nextLineStart(after: start)
            var found: [String]?
            try forEachRecord(in: start..<next, firstLine: line) { (_, fields) throws(ImportError) in found = fields }
            if let found { return (line, found, next) }
            start = next
            line += 1
        }
        return nil
    }

    /// The offset just after the line that holds `offset` (or the end).
    func nextLineStart(after offset: Int) -> Int {
        var i = offset
        while i < bytes.count && bytes[i] != 0x0A { i += 1 }
        return min(i + 1, bytes.count)
    }

    /// How many line feeds `range` holds.
    func lineFeeds(in range: Range<Int>) -> Int {
        var count = 0
        for i in range where bytes[i] == 0x0A { count += 1 }
        return count
    }

    private func isBlank(_ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to { if bytes[i] != 0x20 && bytes[i] != 0x09 { return false }; i += 1 }
        return true
    }

    private func parseLine(from: Int, to end: Int, line: Int, into fields: inout [String]) throws(ImportError) {
        let quote: UInt8 = 0x22
        var i = from
        while true {
            if i < end && bytes[i] == quote {
                let opened = i
                i += 1
                // Most values hold no quote: they become a string straight from the file's bytes.
                let valueStart = i
                while i < end && bytes[i] != quote { i += 1 }
                if i < end && (i + 1 == end || bytes[i + 1] == separator) {
                    fields.append(String(decoding: bytes[valueStart..<i], as: UTF8.self))
                    i += 1
                } else {
                    var value = Array(bytes[valueStart..<i])
                    var closed = false
                    while i < end {
                        let b = bytes[i]
                        if b != quote { value.append(b); i += 1; continue }
                        let next = i + 1
                        if next == end || bytes[next] == separator { closed = true; i = next; break }
                        if bytes[next] == quote {
                            let after = next + 1
                            value.append(quote)
                            if after == end || bytes[after] == separator { closed = true; i = after; break }
                            i = after
                            continue
                        }
                        value.append(quote)  // an unescaped quote inside the value, as the ENT writes it
                        i += 1
                    }
                    if !closed {
                        throw ImportError(
                            file: file, line: line,
                            problem: .unclosedQuote(field: fields.count + 1, column: opened - from + 1))
                    }
                    fields.append(String(decoding: value, as: UTF8.self))
                }
            } else {
                let fieldStart = i
                while i < end && bytes[i] != separator { i += 1 }
                fields.append(String(decoding: bytes[fieldStart..<i], as: UTF8.self))
            }
            if i >= end { return }
            i += 1  // the separator
            if i == end { fields.append(""); return }
        }
    }
}
