// Looks at PDFs the way a person checking a sheet would: poppler-utils' pdftotext, pdfinfo, pdffonts and pdftoppm
// (Debian poppler-utils, installed by Scripts/test). The one pdftotext helper of every test target.
import Foundation

/// A PDF written to its own temporary folder, to be read with poppler's tools; `remove()` it with `defer`.
public struct PDFFile {
    public let folder: URL
    public let file: URL

    public init(_ bytes: [UInt8]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        file = folder.appendingPathComponent("document.pdf")
        try Data(bytes).write(to: file)
    }

    public func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The text of every page, or of page `page` only (1-based), in reading order.
    public func text(page: Int? = nil) throws -> String {
        var arguments = ["-enc", "UTF-8"]
        if let page { arguments += ["-f", String(page), "-l", String(page)] }
        return try runTool("pdftotext", arguments + [file.path, "-"])
    }

    /// A `key: value` line of pdfinfo.
    public func info(_ key: String) throws -> String? {
        for line in try runTool("pdfinfo", [file.path]).split(separator: "\n") where line.hasPrefix("\(key):") {
            return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    public var pageCount: Int {
        get throws { Int(try info("Pages") ?? "") ?? 0 }
    }

    /// pdffonts' table: one line per font after a two-line header.
    public func fonts() throws -> [String] {
        Array(try runTool("pdffonts", [file.path]).split(separator: "\n").dropFirst(2).map(String.init))
    }

    /// Writes page PNGs at 70 dpi under `SHEET_PNG_DIR` (for a person to look at), when it is set.
    public func savePNGs(_ name: String) throws {
        guard let dir = ProcessInfo.processInfo.environment["SHEET_PNG_DIR"] else { return }
        try runTool("pdftoppm", ["-png", "-r", "70", file.path, dir + "/" + name])
    }
}

/// pdftotext's reading of a PDF held in memory.
public func pdfText(_ bytes: [UInt8]) throws -> String {
    let file = try PDFFile(bytes)
    defer { file.remove() }
    return try file.text()
}
