import Foundation
import PDF
import TestSupport
import Testing

struct PDFDocumentTests {
    @Test func emptyDocumentIsAOnePageA4PDF() throws {
        let bytes = try PDFDocument().finish()
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        let pdf = try PDFFile(bytes)
        defer { pdf.remove() }
        #expect(try pdf.info("Pages") == "1")
        #expect(try pdf.info("Page size")?.hasPrefix("595.28 x 841.89 pts (A4)") == true)
    }

    @Test func newPageAddsPagesAndTitleGoesIntoMetadata() throws {
        let document = try PDFDocument(pageWidth: 300, pageHeight: 200, title: "Fiches — 2de 3")
        for page in 1...3 {
            if page > 1 { document.newPage() }
            try document.text("Page \(page)", in: Rect(x: 20, y: 20, width: 200, height: 40), style: TextStyle())
        }
        #expect(document.pageCount == 3)
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        #expect(try pdf.info("Pages") == "3")
        #expect(try pdf.info("Title") == "Fiches — 2de 3")
        #expect(
            try pdf.text().components(separatedBy: "\u{0C}").prefix(3).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                == ["Page 1", "Page 2", "Page 3"])
    }

    @Test func boxesAndLinesLandWhereAsked() throws {
        let document = try PDFDocument(pageWidth: 200, pageHeight: 200)
        document.rect(Rect(x: 20, y: 20, width: 60, height: 40), fill: 0)
        document.rect(Rect(x: 100, y: 20, width: 60, height: 40), fill: 0.5, stroke: Stroke(width: 2), cornerRadius: 8)
        document.line(from: Point(x: 20, y: 150), to: Point(x: 180, y: 150), stroke: Stroke(width: 4, dash: [6, 6]))
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        let image = try pdf.grayImage(dpi: 144)
        #expect(image.gray(atX: 50, y: 40) < 20)  // black box
        #expect((110...145).contains(image.gray(atX: 130, y: 40)))  // 50% gray box
        #expect(image.gray(atX: 101, y: 21) > 240)  // outside the rounded corner
        #expect(image.gray(atX: 10, y: 10) > 240)  // untouched paper
        #expect(image.gray(atX: 23, y: 150) < 20)  // first dash
        #expect(image.gray(atX: 29, y: 150) > 240)  // first gap
    }

    /// Several documents on several threads at once, each with text and a QR code: each comes out
    /// whole and with its own text (font maps are leased, never shared between live documents).
    @Test func documentsRenderConcurrently() async throws {
        let outputs = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<8 {
                group.addTask {
                    let document = try PDFDocument(title: "Document \(index)")
                    for line in 0..<10 {
                        try document.text(
                            "Document \(index) ligne \(line) — Nguyễn Thị Lan",
                            in: Rect(x: 40, y: 40 + Double(line) * 30, width: 500, height: 30),
                            style: TextStyle(family: line % 2 == 0 ? .sans : .serif, bold: line % 3 == 0))
                    }
                    try document.qrCode("https://ent.example/\(index)", in: Rect(x: 40, y: 400, width: 120, height: 120))
                    return (index, try document.finish())
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(outputs.count == 8)
        for (index, bytes) in outputs {
            let pdf = try PDFFile(bytes)
            defer { pdf.remove() }
            let text = try pdf.text()
            #expect(text.contains("Document \(index) ligne 9 — Nguyễn Thị Lan"))
            #expect(!text.contains("Document \((index + 1) % 8) "))
        }
    }
}
