// The PDF module's own looks at a page, beyond TestSupport's PDFFile: page 1 rasterised (pdftoppm) to measure ink,
// and as a PNG for zbarimg. The same tools a person would use to check a sheet.
import Foundation
import TestSupport

extension PDFFile {
    /// Page 1 rasterised in gray at `dpi`.
    func grayImage(dpi: Int) throws -> GrayImage {
        let prefix = folder.appendingPathComponent("page").path
        try runTool("pdftoppm", ["-gray", "-r", "\(dpi)", "-f", "1", "-l", "1", "-singlefile", file.path, prefix])
        return try GrayImage(pgm: Data(contentsOf: URL(fileURLWithPath: prefix + ".pgm")), dpi: dpi)
    }

    /// Page 1 as a PNG, for zbarimg.
    func png(dpi: Int) throws -> URL {
        let prefix = folder.appendingPathComponent("page").path
        try runTool("pdftoppm", ["-png", "-r", "\(dpi)", "-f", "1", "-l", "1", "-singlefile", file.path, prefix])
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
            throw ToolFailure("not a binary PGM: \(fields)")
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
