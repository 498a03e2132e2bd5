// Shared by the test targets that talk to a real SMTP server (symlinked into each: SwiftPM test targets cannot
// share a support file otherwise). The server is Tests/mail/smtp_server.py (aiosmtpd).
import Foundation

/// A real SMTP server on loopback (Python's aiosmtpd), started for one test and stopped when released.
final class TestSMTPServer: @unchecked Sendable {
    enum Mode: String { case accept, refuse, tempfail, down }

    static let scripts = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()

    /// Why the real-server tests cannot run here (python3 or aiosmtpd missing), or nil when they can.
    static let unavailable: String? = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import aiosmtpd"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { return "python3 cannot be started: \(error)" }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? nil : "python3's aiosmtpd is not installed (Scripts/test installs it with pip)"
    }()

    let folder: URL
    let port: Int
    private let process: Process
    private let input = Pipe()

    init(mode: Mode = .accept, tempfailCount: Int = 1, delay: Double = 0) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.scripts.appendingPathComponent("smtp_server.py").path, folder.path,
            "--mode", mode.rawValue, "--tempfail-count", String(tempfailCount), "--delay", String(delay)
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        // The first line is "PORT n", printed once the server listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let text = String(data: line, encoding: .utf8), text.hasPrefix("PORT "),
            let port = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw TestSMTPError(description: "the SMTP server did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    deinit {
        // Closing its standard input stops the server too (see smtp_server.py), whatever the signal mask.
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The messages received so far, in order.
    func messages() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// The envelope recipients of every message received, in order.
    func recipients() -> [String] {
        messages().flatMap { url -> [String] in
            let json = url.deletingPathExtension().appendingPathExtension("json")
            guard let data = try? Data(contentsOf: json),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return [] }
            return object["rcpt_tos"] as? [String] ?? []
        }
    }

    /// Waits until `count` messages have arrived (or `seconds` passed); returns how many did.
    @discardableResult
    func wait(for count: Int, seconds: Double = 10) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while messages().count < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return messages().count
    }

    /// Parses a received message with Python's `email` package (Tests/mail/check_message.py).
    static func parse(_ message: URL) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scripts.appendingPathComponent("check_message.py").path, message.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSMTPError(description: "check_message.py failed on \(message.path)")
        }
        return object
    }
}

struct TestSMTPError: Error, CustomStringConvertible { let description: String }
