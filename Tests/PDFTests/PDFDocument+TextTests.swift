import Foundation
import PDF
import TestSupport
import Testing

struct PDFDocumentTextTests {
    static let names = "Œdipe Łukasz Straße Șerban Nguyễn Thị Lan Øyvind Cœur Lætitia N'Diaye"

    @Test(arguments: TextStyle.Family.allCases)
    func namesRoundTripThroughPdftotextWithRealGlyphs(family: TextStyle.Family) throws {
        let document = try PDFDocument()
        var y = 40.0
        for (bold, italic) in [(false, false), (true, false), (false, true), (true, true)] {
            let metrics = try document.text(
                Self.names, in: Rect(x: 30, y: y, width: 535, height: 40),
                style: TextStyle(family: family, size: 12, bold: bold, italic: italic))
            #expect(metrics.missingGlyphs == 0)
            #expect(metrics.lineCount == 1)
            y += 40
        }
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        let lines = try pdf.text().split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != "\u{0C}" }
        #expect(lines == Array(repeating: Self.names, count: 4))
    }

    @Test func fontsAreEmbeddedSubsets() throws {
        let document = try PDFDocument()
        for (index, family) in TextStyle.Family.allCases.enumerated() {
            try document.text(
                Self.names, in: Rect(x: 30, y: 40 + Double(index) * 40, width: 535, height: 40),
                style: TextStyle(family: family, bold: index == 1, italic: index == 2))
        }
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        let fonts = try pdf.fonts()
        for family in ["DejaVuSans", "DejaVuSansMono-Bold", "DejaVuSerif-Italic"] {
            #expect(fonts.contains { $0.contains("+\(family) ") }, "\(family) missing from \(fonts)")
        }
        // Columns: name type encoding emb sub uni object ID. Every font, a fallback one included (DejaVu
        // Sans Mono lacks ễ), must be embedded, subset, and carry a Unicode map (for copy and search).
        for font in fonts {
            let columns = font.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.suffix(5).prefix(3) == ["yes", "yes", "yes"], "\(font)")
        }
    }

    @Test func userTextIsNeverMarkup() throws {
        let hostile = "<b>Dupont</b> & Fils <span foreground=\"red\">x</span>"
        let document = try PDFDocument()
        try document.text(hostile, in: Rect(x: 30, y: 40, width: 535, height: 40), style: TextStyle())
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        #expect(try pdf.text().trimmingCharacters(in: .whitespacesAndNewlines) == hostile)
    }

    /// The case that matters at the desk: a very long name in a small card field.
    @Test func longNameShrinksToStayInsideASmallBox() throws {
        let name = "Marie-Clémentine Œdipe-Łukasz de la Tour d'Auvergne-Nguyễn Thị Lan"
        let box = Rect(x: 40, y: 60, width: 150, height: 36)
        let document = try PDFDocument(pageWidth: 240, pageHeight: 160)
        let metrics = try document.text(name, in: box, style: TextStyle(size: 18, bold: true, shrinkToFit: true))
        #expect(metrics.fontSize < 18 && metrics.fontSize >= 6)
        #expect(metrics.height <= box.height && metrics.width <= box.width)
        #expect(metrics.missingGlyphs == 0)
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        // Ink, not just metrics: nothing darker than mid-gray outside the box (half a point of slack
        // for anti-aliasing).
        let image = try pdf.grayImage(dpi: 200)
        #expect(image.darkPixels(outside: (box.x, box.y, box.width, box.height), margin: 0.5) == 0)
        #expect(image.darkPixels(outside: (0, 0, 0, 0), margin: 0) > 100)  // and the text is there
        // pdftotext joins "Œdipe-" at a line end to the next line's "Łukasz", so compare without
        // spaces and hyphens.
        func letters(_ text: String) -> String { String(text.filter { !$0.isWhitespace && $0 != "-" }) }
        #expect(letters(try pdf.text()) == letters(name))
    }

    @Test func shrinkingKeepsALoginOnOneLine() throws {
        let login = "marie-clementine.delatourdauvergne"
        let document = try PDFDocument()
        let box = Rect(x: 40, y: 40, width: 180, height: 60)
        let style = TextStyle(family: .mono, size: 24, alignment: .center, wraps: false, shrinkToFit: true)
        let metrics = try document.text(login, in: box, style: style)
        #expect(metrics.lineCount == 1)
        #expect(metrics.width <= box.width && metrics.width > box.width - 2)
        #expect(metrics.fontSize < 24)
        // Text that already fits keeps its size.
        #expect(try document.text("ab3k7pmx", in: box, style: style).fontSize == 24)
        // Wrapping text, by contrast, breaks at the hyphen before it shrinks.
        var wrapping = style
        wrapping.wraps = true
        #expect(try document.measure(login, in: box, style: wrapping).lineCount == 2)
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        #expect(try pdf.grayImage(dpi: 100).darkPixels(outside: (box.x, box.y, box.width, box.height), margin: 0.5) == 0)
    }

    @Test func textThatCannotFitReportsItsOverflowInsteadOfBeingCut() throws {
        let document = try PDFDocument()
        let paragraph = String(repeating: "Choisissez un mot de passe et confirmez-le. ", count: 20)
        let box = Rect(x: 40, y: 40, width: 200, height: 30)
        let plain = try document.text(paragraph, in: box, style: TextStyle(size: 11))
        #expect(plain.lineCount > 10 && plain.height > box.height && plain.fontSize == 11)
        let shrunk = try document.text(paragraph, in: box, style: TextStyle(size: 11, shrinkToFit: true, minimumSize: 7))
        #expect(shrunk.fontSize == 7 && shrunk.height > box.height)
        #expect(try document.measure(paragraph, in: box, style: TextStyle(size: 11)) == plain)
    }

    @Test func alignmentPlacesLinesInTheBox() throws {
        let document = try PDFDocument(pageWidth: 400, pageHeight: 200)
        let style = TextStyle(size: 20)
        var right = style, center = style
        right.alignment = .right
        center.alignment = .center
        try document.text("HHHH", in: Rect(x: 0, y: 20, width: 400, height: 30), style: style)
        try document.text("HHHH", in: Rect(x: 0, y: 70, width: 400, height: 30), style: center)
        try document.text("HHHH", in: Rect(x: 0, y: 120, width: 400, height: 30), style: right)
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        let image = try pdf.grayImage(dpi: 72)
        #expect(image.darkPixels(outside: (0, 20, 80, 30), margin: 0) > 0)  // sanity: something drawn
        #expect(image.darkPixels(outside: (0, 0, 400, 200), margin: 0) == 0)
        func inkColumns(rowTop: Double) -> ClosedRange<Int>? {
            let columns = (0..<image.width).filter { column in
                (Int(rowTop)..<Int(rowTop + 30)).contains { image.pixels[$0 * image.width + column] < 128 }
            }
            return columns.isEmpty ? nil : columns.first!...columns.last!
        }
        let leftInk = try #require(inkColumns(rowTop: 20)), centerInk = try #require(inkColumns(rowTop: 70))
        let rightInk = try #require(inkColumns(rowTop: 120))
        #expect(leftInk.lowerBound < 5)
        #expect(abs((centerInk.lowerBound + centerInk.upperBound) / 2 - 200) <= 3)
        #expect(rightInk.upperBound > 394)
    }
}
