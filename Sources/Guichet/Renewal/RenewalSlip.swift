import Foundation
import PDF

/// The one-time renewal slip: one A4 page with the school, the person, the code in large monospace, its expiry
/// and how to use it. Drawn from the code the desk still holds; nothing of it is kept once it is returned.
public enum RenewalSlip {
    /// What the slip shows.
    public struct Content: Sendable {
        public var schoolName: String
        public var entURL: String
        public var login: String
        public var firstName: String
        public var lastName: String
        public var code: String
        public var expiresAt: Date
        /// The journal row recording the print: every printed paper carries its journal number.
        public var journalSeq: Int64
        public var timeZone: TimeZone
        /// Where the code comes from, hence how the person uses it: the ENT's own flow, or a connector's.
        public var generatedByENT = false

        public init(
            schoolName: String, entURL: String, login: String, firstName: String, lastName: String,
            code: String, expiresAt: Date, journalSeq: Int64, timeZone: TimeZone = .current
        ) {
            (
                self.schoolName, self.entURL, self.login, self.firstName, self.lastName, self.code, self.expiresAt,
                self.journalSeq, self.timeZone
            ) = (
                schoolName, entURL, login, firstName, lastName, code, expiresAt,
                journalSeq, timeZone
            )
        }
    }

    static let margin = 56.0

    /// The slip as a PDF file.
    public static func render(_ content: Content) throws -> [UInt8] {
        let wording = content.generatedByENT ? RenewalSlipWording.frenchENT : RenewalSlipWording.french
        // The title goes into the PDF's metadata, which viewers show: the login, never the code.
        let document = try PDFDocument(title: wording.title + " — " + content.login)
        let width = document.pageWidth - 2 * margin
        var y = margin

        y +=
            try document.text(
                content.schoolName, in: Rect(x: margin, y: y, width: width, height: 40),
                style: TextStyle(size: 16, bold: true)
            ).height + 4
        y +=
            try document.text(
                wording.title, in: Rect(x: margin, y: y, width: width, height: 30),
                style: TextStyle(size: 13, gray: 0.3)
            ).height + 18
        document.line(from: Point(x: margin, y: y), to: Point(x: margin + width, y: y), stroke: Stroke(width: 0.75, gray: 0.6))
        y += 18

        let name = content.lastName.uppercased(with: Locale(identifier: "fr_FR")) + " " + content.firstName
        y += try labelled(document, wording.person, name, y: y, width: width, mono: false)
        y += try labelled(document, wording.login, content.login, y: y, width: width, mono: true) + 16

        // The code, grouped by four for reading aloud, as on the kiosk's screen.
        let box = Rect(x: margin, y: y, width: width, height: 96)
        document.rect(box, fill: 0.94, stroke: Stroke(width: 1, gray: 0.5), cornerRadius: 8)
        try document.text(
            wording.codeLabel, in: Rect(x: box.x + 16, y: box.y + 10, width: box.width - 32, height: 16),
            style: TextStyle(size: 10, gray: 0.35))
        try document.text(
            content.code.grouped(by: 4), in: Rect(x: box.x + 16, y: box.y + 32, width: box.width - 32, height: 52),
            style: TextStyle(
                family: .mono, size: 36, bold: true, alignment: .center, wraps: false,
                shrinkToFit: true, minimumSize: 18, letterSpacing: 2))
        y = box.maxY + 14
        y +=
            try document.text(
                wording.validUntil(format(content.expiresAt, content.timeZone)),
                in: Rect(x: margin, y: y, width: width, height: 40), style: TextStyle(size: 12, bold: true)
            ).height + 22

        // How to use it, beside a QR code of the ENT's address.
        let qrSide = 110.0
        let stepsWidth = width - qrSide - 20
        y +=
            try document.text(
                wording.howTitle, in: Rect(x: margin, y: y, width: stepsWidth, height: 20),
                style: TextStyle(size: 12, bold: true)
            ).height + 8
        let stepsTop = y
        for (index, step) in wording.steps(content.entURL).enumerated() {
            y +=
                try document.text(
                    "\(index + 1). " + step, in: Rect(x: margin, y: y, width: stepsWidth, height: 60),
                    style: TextStyle(size: 11)
                ).height + 6
        }
        try document.qrCode(content.entURL, in: Rect(x: margin + width - qrSide, y: stepsTop, width: qrSide, height: qrSide))
        try document.text(
            content.entURL, in: Rect(x: margin + width - qrSide - 20, y: stepsTop + qrSide + 2, width: qrSide + 20, height: 14),
            style: TextStyle(family: .mono, size: 8, alignment: .center, wraps: false, shrinkToFit: true, minimumSize: 5))
        y = max(y, stepsTop + qrSide + 18) + 16

        document.rect(Rect(x: margin, y: y, width: width, height: 1), fill: 0.8)
        y += 12
        for notice in wording.notices {
            y +=
                try document.text(
                    notice, in: Rect(x: margin, y: y, width: width, height: 60),
                    style: TextStyle(size: 10, gray: 0.2)
                ).height + 6
        }
        try document.text(
            wording.footer(content.journalSeq), in: Rect(x: margin, y: document.pageHeight - margin, width: width, height: 14),
            style: TextStyle(size: 8, gray: 0.4))
        return try document.finish()
    }

    /// Draws "Label : value" on one line and returns its height.
    private static func labelled(
        _ document: PDFDocument, _ label: String, _ value: String, y: Double, width: Double,
        mono: Bool
    ) throws -> Double {
        let labelWidth = 110.0
        try document.text(
            label, in: Rect(x: margin, y: y + 2, width: labelWidth, height: 18), style: TextStyle(size: 11, gray: 0.35))
        let metrics = try document.text(
            value, in: Rect(x: margin + labelWidth, y: y, width: width - labelWidth, height: 20),
            style: TextStyle(
                family: mono ? .mono : .sans, size: 14, bold: true, wraps: !mono,
                shrinkToFit: mono, minimumSize: 8))
        return max(metrics.height, 18) + 4
    }

    /// "samedi 22 novembre 2026 à 08:30", in the school's time zone.
    static func format(_ date: Date, _ timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "fr_FR")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEEE d MMMM yyyy 'à' HH:mm"
        return formatter.string(from: date)
    }
}
