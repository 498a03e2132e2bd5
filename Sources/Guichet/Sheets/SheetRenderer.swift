import Foundation
import PDF

/// How many sheets share a page: 1 (A4 portrait), 2 (two A5 halves of an A4 landscape page) or 8 (cards of
/// 105 × 74 mm, two columns of four on A4 portrait).
public enum SheetsPerPage: Int, Sendable, CaseIterable, Codable {
    case one = 1, two = 2, eight = 8
}

/// Where a sheet goes: on paper it has a cut line and a receipt with a signature box for the school to keep; sent by
/// e-mail it carries the same facts without them (nobody cuts an attachment, or signs it).
public enum SheetMedium: Sendable {
    case paper, mail
}

/// Draws sheets into a PDF with the `PDF` module: the page grid and its cut lines here, the sheet itself in
/// `SheetRenderer+Full.swift` (1 and 2 per page: the same layout, scaled) and `SheetRenderer+Card.swift` (8 per page).
public enum SheetRenderer {
    static let a4Width = 595.28
    static let a4Height = 841.89

    /// The PDF of `sheets`, in order. `title` goes into the file's metadata (no personal data: a viewer shows it).
    public static func render(
        _ sheets: [Sheet], perPage: SheetsPerPage, settings: SheetSettings,
        title: String, medium: SheetMedium = .paper
    ) throws -> [UInt8] {
        precondition(!sheets.isEmpty, "a PDF needs at least one sheet")
        let landscape = perPage == .two
        let document = try PDFDocument(
            pageWidth: landscape ? a4Height : a4Width, pageHeight: landscape ? a4Width : a4Height,
            title: title)
        let drawer = SheetDrawer(document: document, settings: settings, medium: medium)
        let cells = cells(perPage, width: document.pageWidth, height: document.pageHeight)
        for (index, sheet) in sheets.enumerated() {
            let slot = index % cells.count
            if index > 0 && slot == 0 { document.newPage() }
            if slot == 0 && perPage != .one { drawCutLines(perPage, on: document) }
            switch perPage {
            case .one, .two: try drawer.drawFull(sheet, in: cells[slot])
            case .eight: try drawer.drawCard(sheet, in: cells[slot])
            }
        }
        return try document.finish()
    }

    /// The boxes sheets are drawn in, in reading order.
    static func cells(_ perPage: SheetsPerPage, width: Double, height: Double) -> [Rect] {
        switch perPage {
        case .one:
            return [Rect(x: 0, y: 0, width: width, height: height)]
        case .two:
            return [
                Rect(x: 0, y: 0, width: width / 2, height: height), Rect(x: width / 2, y: 0, width: width / 2, height: height)
            ]
        case .eight:
            let w = width / 2, h = height / 4
            return (0..<4).flatMap { row in
                (0..<2).map { column in Rect(x: Double(column) * w, y: Double(row) * h, width: w, height: h) }
            }
        }
    }

    /// Dashed lines where the guillotine goes, drawn once per page under the sheets. They stop short of the page's
    /// edge, which printers cannot reach anyway.
    static func drawCutLines(_ perPage: SheetsPerPage, on document: PDFDocument) {
        let stroke = Stroke(width: 0.5, gray: 0.55, dash: [4, 3])
        let w = document.pageWidth, h = document.pageHeight, edge = 6.0
        switch perPage {
        case .one:
            break
        case .two:
            document.line(from: Point(x: w / 2, y: edge), to: Point(x: w / 2, y: h - edge), stroke: stroke)
        case .eight:
            document.line(from: Point(x: w / 2, y: edge), to: Point(x: w / 2, y: h - edge), stroke: stroke)
            for row in 1..<4 {
                let y = h / 4 * Double(row)
                document.line(from: Point(x: edge, y: y), to: Point(x: w - edge, y: y), stroke: stroke)
            }
        }
    }
}

/// One document's drawing state: the settings, their wording, and the small helpers both layouts use.
final class SheetDrawer {
    let document: PDFDocument
    let settings: SheetSettings
    let text: SheetText
    let medium: SheetMedium
    /// The ENT's name in sentences ("MonLycée.net", else "l'ENT").
    let ent: String

    init(document: PDFDocument, settings: SheetSettings, medium: SheetMedium = .paper) {
        self.document = document
        self.settings = settings
        self.text = settings.language.text
        self.medium = medium
        self.ent = settings.entWording
    }

    /// The "Données ENT du … · fiche imprimée le …" line of a sheet.
    func datesLine(_ stamp: Sheet.Stamp) -> String {
        let line = text.dates(
            stamp.dataDate.map { text.formattedDay($0, in: settings.timeZone) },
            text.formattedDayAndTime(stamp.printedAt, in: settings.timeZone))
        guard let checked = stamp.entCheckedAt else { return line }
        let time = checked.formatted(
            Date.VerbatimFormatStyle(
                format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
                timeZone: settings.timeZone, calendar: Calendar(identifier: .gregorian)))
        return line + " · " + text.entChecked(ent, time)
    }

    /// A person's name: on one line, shrunk down to `minimum`; past that, on two lines in the same box, shrunk
    /// until it fits. A name is never cut and never runs out of its box.
    func putName(_ name: String, _ rect: Rect, size: Double, minimum: Double) throws {
        let oneLine = TextStyle(size: size, bold: true, wraps: false, shrinkToFit: true, minimumSize: minimum)
        if try document.measure(name, in: rect, style: oneLine).width <= rect.width + 0.01 {
            try put(name, rect, oneLine)
        } else {
            // Two lines of DejaVu take about 2.35 times the font size.
            try put(name, rect, TextStyle(size: min(size, rect.height / 2.35), bold: true, shrinkToFit: true, minimumSize: 3))
        }
    }

    /// Draws a block of text (a shorthand: the layouts place dozens).
    @discardableResult
    func put(_ string: String, _ rect: Rect, _ style: TextStyle) throws -> TextMetrics {
        try document.text(string, in: rect, style: style)
    }
}
