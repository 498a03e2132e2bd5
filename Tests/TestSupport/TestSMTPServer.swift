// The server is Tests/mail/smtp_server.py (aiosmtpd).
import Foundation

/// A real SMTP server on loopback (Python's aiosmtpd), started for one test and stopped when released.
public final class TestSMTPServer: @unchecked Sendable {
    public enum Mode: String { case accept, refuse, tempfail, down }

    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("mail")

    /// Why the real-server tests cannot run here (python3 or aiosmtpd missing), or nil when they can.
    public static let unavailable: String? = {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import aiosmtpd"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { return "python3 cannot be started: \(error)" }
        probe.waitUntilExit()
        return probe.terminationStatus == 0 ? nil : "python3's aiosmtpd is not installed (Scripts/test installs it with pip)"
    }()

    public let folder: URL
    public var port: Int { server.port }
    private let server: LoopbackServer

    public init(mode: Mode = .accept, tempfailCount: Int = 1, delay: Double = 0) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        server = try LoopbackServer(
            script: Self.scripts.appendingPathComponent("smtp_server.py"),
            [folder.path, "--mode", mode.rawValue, "--tempfail-count", String(tempfailCount), "--delay", String(delay)],
            name: "the SMTP server")
    }

    deinit {
        server.stop()  // before its folder goes
        try? FileManager.default.removeItem(at: folder)
    }

    /// The messages received so far, in order.
    public func messages() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// The envelope recipients of every message received, in order.
    public func recipients() -> [String] {
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
    public func wait(for count: Int, seconds: Double = 10) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        while messages().count < count && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return messages().count
    }

    /// Parses a received message with Python's `email` package (Tests/mail/check_message.py).
    public static func parse(_ message: URL) throws -> [String: Any] {
        let output = try runTool("python3", [scripts.appendingPathComponent("check_message.py").path, message.path])
        guard let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw ToolFailure("check_message.py did not answer a JSON object on \(message.path)")
        }
        return object
    }
}
