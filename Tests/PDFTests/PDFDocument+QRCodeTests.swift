import Foundation
import PDF
import TestSupport
import Testing

struct PDFDocumentQRCodeTests {
    @Test func qrCodeDecodesToItsPayload() throws {
        let payload = "https://www.monlycee.net/auth/login?callback=%2Ftimeline&ecole=0750001A"
        let document = try PDFDocument()
        document.rect(Rect(x: 30, y: 30, width: 200, height: 200), fill: 0.85)  // a tinted card behind it
        let modules = try document.qrCode(payload, in: Rect(x: 50, y: 50, width: 160, height: 160))
        // Version v has 17 + 4v modules per side.
        #expect(modules >= 21 && (modules - 17) % 4 == 0)
        let pdf = try PDFFile(try document.finish())
        defer { pdf.remove() }
        guard toolPath("zbarimg") != nil else {
            print("zbarimg not installed (apt-get install zbar-tools): QR decode check skipped, module count checked")
            return
        }
        let decoded = try runTool("zbarimg", ["--raw", "-q", try pdf.png(dpi: 150).path])
        #expect(decoded.trimmingCharacters(in: .newlines) == payload)
    }

    @Test func longerPayloadsNeedMoreModules() throws {
        let document = try PDFDocument()
        let small = try document.qrCode("https://ent.example", in: Rect(x: 0, y: 0, width: 100, height: 100))
        let large = try document.qrCode(
            String(repeating: "https://ent.example/", count: 10),
            in: Rect(x: 100, y: 0, width: 100, height: 100))
        #expect(small == 21 || small == 25)
        #expect(large > small)
        _ = try document.finish()
    }

    @Test func qrCodeRefusesWhatItCannotEncode() throws {
        let document = try PDFDocument()
        #expect(throws: PDFError.self) { try document.qrCode("a\u{0}b", in: Rect(x: 0, y: 0, width: 100, height: 100)) }
        // Version 40 at level M holds 2,331 bytes.
        #expect(throws: PDFError.self) {
            try document.qrCode(String(repeating: "x", count: 3000), in: Rect(x: 0, y: 0, width: 100, height: 100))
        }
        _ = try document.finish()
    }
}
