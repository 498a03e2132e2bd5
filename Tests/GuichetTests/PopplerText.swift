// Looks at PDFs the way a person checking a sheet would: poppler-utils' pdftotext and pdfinfo (Debian
// poppler-utils, installed by Scripts/test). The PDF module's own tests have the fuller helper; sheets need text only.
import Foundation

struct PopplerFile {
    let folder: URL
    let file: URL

    init(_ bytes: [UInt8]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sheettests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        file = folder.appendingPathComponent("sheet.pdf")
        try Data(bytes).write(to: file)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The text of every page, or of page `page` only (1-based), in physical layout off: reading order.
    func text(page: Int? = nil) throws -> String {
        var arguments = ["-enc", "UTF-8"]
        if let page { arguments += ["-f", String(page), "-l", String(page)] }
        return try tool("pdftotext", arguments + [file.path, "-"])
    }

    var pageCount: Int {
        get throws {
            let info = try tool("pdfinfo", [file.path])
            let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
            return Int(line.split(separator: " ").last ?? "") ?? 0
        }
    }

    /// Writes page PNGs at 70 dpi to `prefix` (for a person to look at), when `SHEET_PNG_DIR` is set.
    func savePNGs(_ name: String) throws {
        guard let dir = ProcessInfo.processInfo.environment["SHEET_PNG_DIR"] else { return }
        _ = try tool("pdftoppm", ["-png", "-r", "70", file.path, dir + "/" + name])
    }
}

/// pdftotext's reading of a PDF held in memory.
func pdfText(_ bytes: [UInt8]) throws -> String {
    let file = try PopplerFile(bytes)
    defer { file.remove() }
    return try file.text()
}

struct PopplerFailure: Error, CustomStringConvertible { let description: String }

@discardableResult
func tool(_ name: String, _ arguments: [String]) throws -> String {
    guard let path = ["/usr/bin", "/usr/local/bin"].map({ "\($0)/\(name)" }).first(where: FileManager.default.isExecutableFile)
    else {
        throw PopplerFailure(description: "\(name) is not installed (Debian: poppler-utils)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PopplerFailure(description: "\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}
