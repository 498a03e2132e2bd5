import Foundation
import PDF

/// Flows blocks of text and tables down A4 pages: a new page when a block would cross the bottom margin, the
/// table's header repeated on it, and a footer ("… — Page 2 / 3") on each page. The total is known because the
/// report is drawn twice when the first guess was wrong (a few milliseconds).
final class ReportWriter {
    let doc: PDFDocument
    let margin = 50.0
    let bottom: Double
    var y: Double
    private let footer: String
    private let totalPages: Int

    var width: Double { doc.pageWidth - 2 * margin }
    var pageCount: Int { doc.pageCount }

    static let body = TextStyle(size: 10)
    static let small = TextStyle(size: 8.5, gray: 0.3)
    static let bold = TextStyle(size: 10, bold: true)
    static let heading = TextStyle(size: 13, bold: true, gray: 0.1)
    static let mono = TextStyle(family: .mono, size: 9.5, wraps: false, shrinkToFit: true)

    init(title: String, footer: String, totalPages: Int) throws {
        doc = try PDFDocument(title: title)
        bottom = doc.pageHeight - 62
        y = margin
        self.footer = footer
        self.totalPages = totalPages
    }

    /// Starts a new page unless `height` more points fit on this one.
    func ensure(_ height: Double) throws {
        guard y + height > bottom, y > margin else { return }
        try drawFooter()
        doc.newPage()
        y = margin
    }

    func finish() throws -> [UInt8] {
        try drawFooter()
        return try doc.finish()
    }

    private func drawFooter() throws {
        let top = doc.pageHeight - 44
        doc.line(
            from: Point(x: margin, y: top - 6), to: Point(x: margin + width, y: top - 6), stroke: Stroke(width: 0.4, gray: 0.6))
        try doc.text(footer, in: Rect(x: margin, y: top, width: width - 70, height: 12), style: Self.small)
        var right = Self.small
        right.alignment = .right
        try doc.text(
            ReportFrench.page(doc.pageCount, of: totalPages), in: Rect(x: margin + width - 70, y: top, width: 70, height: 12),
            style: right)
    }

    /// A paragraph at `x` (from the left margin) over `width`, then `after` points of space.
    func paragraph(_ text: String, style: TextStyle = ReportWriter.body, x: Double = 0, width: Double? = nil, after: Double = 4)
        throws
    {
        let rect = Rect(x: margin + x, y: y, width: width ?? self.width - x, height: 1000)
        let height = try doc.measure(text, in: rect, style: style).height
        try ensure(height)
        try doc.text(text, in: Rect(x: rect.x, y: y, width: rect.width, height: height), style: style)
        y += height + after
    }

    /// A section title with a rule under it, kept with at least `keep` points of what follows.
    func heading(_ text: String, keep: Double = 60) throws {
        let height = try doc.measure(text, in: Rect(x: margin, y: y, width: width, height: 100), style: Self.heading).height
        try ensure(12 + height + 7 + keep)
        y += 12
        try doc.text(text, in: Rect(x: margin, y: y, width: width, height: height), style: Self.heading)
        y += height + 1
        doc.line(from: Point(x: margin, y: y), to: Point(x: margin + width, y: y), stroke: Stroke(width: 0.8, gray: 0.25))
        y += 7
    }

    /// A table whose rows grow to their tallest cell; the header row is repeated on each new page.
    func table(header: [String], widths: [Double], rows: [[String]], x: Double = 0, monoColumns: Set<Int> = []) throws {
        precondition(header.count == widths.count, "a table needs one width per column")
        let pad = 3.0
        func height(_ cells: [String], _ style: (Int) -> TextStyle) throws -> Double {
            var tallest = 0.0
            for (i, cell) in cells.enumerated() {
                let h = try doc.measure(cell, in: Rect(x: 0, y: 0, width: widths[i] - 2 * pad, height: 1000), style: style(i))
                    .height
                tallest = max(tallest, h)
            }
            return tallest + 2 * pad
        }
        func draw(_ cells: [String], _ h: Double, style: (Int) -> TextStyle, fill: Double?) throws {
            if let fill { doc.rect(Rect(x: margin + x, y: y, width: widths.reduce(0, +), height: h), fill: fill) }
            var cx = margin + x
            for (i, cell) in cells.enumerated() {
                try doc.text(cell, in: Rect(x: cx + pad, y: y + pad, width: widths[i] - 2 * pad, height: h), style: style(i))
                cx += widths[i]
            }
            y += h
        }
        var headStyle = Self.bold
        headStyle.size = 9
        let headHeight = try height(header) { _ in headStyle }
        let cellStyle: (Int) -> TextStyle = { i in
            var s = monoColumns.contains(i) ? TextStyle(family: .mono, size: 8.5) : TextStyle(size: 9)
            s.wraps = true
            return s
        }
        func drawHeader() throws {
            try draw(header, headHeight, style: { _ in headStyle }, fill: 0.88)
        }
        let firstRow = try rows.first.map { try height($0, cellStyle) } ?? 0
        try ensure(headHeight + firstRow)
        try drawHeader()
        for (n, row) in rows.enumerated() {
            let h = try height(row, cellStyle)
            if y + h > bottom {
                try ensure(h + headHeight)
                try drawHeader()
            }
            try draw(row, h, style: cellStyle, fill: n % 2 == 1 ? 0.965 : nil)
        }
        doc.line(
            from: Point(x: margin + x, y: y), to: Point(x: margin + x + widths.reduce(0, +), y: y),
            stroke: Stroke(width: 0.4, gray: 0.5))
        y += 6
    }
}
