import Foundation
import Testing
@testable import Guichet
#if canImport(Glibc)
    import Glibc
#endif

/// Issue 18, item 7: files written for a person are 0600 and never written through a symbolic link; CSV cells that a
/// spreadsheet would run as formulas are neutralised.
@Suite struct PrivateFileTests {
    @Test func outputFilesAre0600AndNeverFollowASymlink() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("export.csv").path
        umask(0o022)
        try PrivateFile.write(Array("a;b\n".utf8), to: out)
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o600)
        // An existing file readable by others is made private before it is written.
        chmod(out, 0o644)
        try PrivateFile.write(Array("c\n".utf8), to: out)
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "c\n")
        // A link planted at the name: refused, and its target untouched.
        let target = folder.appendingPathComponent("victim").path
        try "precious".write(toFile: target, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("sheets.pdf").path
        symlink(target, link)
        #expect(throws: PrivateFile.Refused.self) { try PrivateFile.write(Array("x".utf8), to: link) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "precious")
    }

    @Test func csvCellsStartingAFormulaAreNeutralised() throws {
        for cell in ["=HYPERLINK(\"http://x\")", "+33 6", "-2+3", "@SUM(A1)", "\t=1"] {
            #expect(CSVCell.neutralised(cell) == "'" + cell)
        }
        #expect(CSVCell.neutralised("Zoé") == "Zoé" && CSVCell.neutralised("") == "")
        #expect(Journal.csvField("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
        let report = String(decoding: Mailing.reportCSV([]), as: UTF8.self)
        #expect(report.hasPrefix("\u{FEFF}\"login\""))
    }
}
