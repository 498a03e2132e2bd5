// Test helpers: write a PDF to a temporary folder and look at it with poppler-utils (pdftotext,
// pdffonts, pdfinfo, pdftoppm) and, when installed, zbarimg. These are the same tools a person would
// use to check a sheet, so the tests see what a printer will get.
import Foundation
import Testing

struct RenderedPDF {
    let folder: URL
    let file: URL

    init(_ bytes: [UInt8]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("pdftests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        file = folder.appendingPathComponent("document.pdf")
        try Data(bytes).write(to: file)
    }

    /// Removes the temporary folder; call with `defer`.
    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// The text poppler extracts, in reading order.
    func text() throws -> String { try run("pdftotext", ["-enc", "UTF-8", file.path, "-"]) }

    /// pdffonts' table: one line per font after a two-line header.
    func fonts() throws -> [String] {
        Array(try run("pdffonts", [file.path]).split(separator: "\n").dropFirst(2).map(String.init))
    }

    /// A `key: value` line of pdfinfo.
    func info(_ key: String) throws -> String? {
        for line in try run("pdfinfo", [file.path]).split(separator: "\n") where line.hasPrefix("\(key):") {
            return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Page 1 rasterised in gray at `dpi`.
    func grayImage(dpi: Int) throws -> GrayImage {
        let prefix = folder.appendingPathComponent("page").path
        _ = try run("pdftoppm", ["-gray", "-r", "\(dpi)", "-f", "1", "-l", "1", "-singlefile", file.path, prefix])
        return try GrayImage(pgm: Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm")), dpi: dpi)
    }

    /// Page 1 as a PNG, for zbarimg.
    func png(dpi: Int) throws -> URL {
        let prefix = folder.appendingPathComponent("page").path
        _ = try run("pdftoppm", ["-png", "-r", "\(dpi)", "-f", "1", "-l", "1", "-singlefile", file.path, prefix])
        return URL(fileURLWithPath: prefix + ".png")
    }
}

/// A binary PGM (P5, 8 bits) as poppler writes it.
struct GrayImage {
    let width: Int
    let height: Int
    let pixels: [UInt8]
    let dpi: Int

    init(pgm: Data, dpi: Int) throws {
        let bytes = [UInt8](pgm)
        // Header: "P5", width, height, maxval, each separated by whitespace, then one whitespace byte.
        var fields: [String] = [], index = 0
        while fields.count < 4 {
            while index < bytes.count && bytes[index] <= 32 { index += 1 }
            let start = index
            while index < bytes.count && bytes[index] > 32 { index += 1 }
            fields.append(String(decoding: bytes[start..<index], as: UTF8.self))
        }
        guard fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]) else {
            throw ToolFailure(message: "not a binary PGM: \(fields)")
        }
        self.width = width
        self.height = height
        self.pixels = Array(bytes[(index + 1)...])
        self.dpi = dpi
    }

    /// Pixels darker than mid-gray whose centre lies outside `rect` (in points), grown by `margin` points.
    func darkPixels(outside rect: (x: Double, y: Double, width: Double, height: Double), margin: Double) -> Int {
        let scale = Double(dpi) / 72
        var count = 0
        for row in 0..<height {
            for column in 0..<width where pixels[row * width + column] < 128 {
                let x = (Double(column) + 0.5) / scale, y = (Double(row) + 0.5) / scale
                let inside =
                    x >= rect.x - margin && x <= rect.x + rect.width + margin
                    && y >= rect.y - margin && y <= rect.y + rect.height + margin
                if !inside { count += 1 }
            }
        }
        return count
    }

    /// Gray level (0 black … 255 white) at a point given in points.
    func gray(atX x: Double, y: Double) -> UInt8 {
        let scale = Double(dpi) / 72
        return pixels[Int(y * scale) * width + Int(x * scale)]
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The full path of a command-line tool, if installed.
func toolPath(_ name: String) -> String? {
    ["/usr/bin", "/usr/local/bin", "/bin"].map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs a tool and returns its standard output; throws on a missing tool or a non-zero exit.
@discardableResult
func run(_ name: String, _ arguments: [String]) throws -> String {
    guard let path = toolPath(name) else {
        throw ToolFailure(message: "\(name) is not installed (Debian: poppler-utils / zbar-tools)")
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
        throw ToolFailure(message: "\(name) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self)
}
