// Shared by the test targets that talk to the fake ENT (symlinked into each: SwiftPM test targets cannot share a
// support file otherwise). The server is Tests/ent/fake_ent.py, written from entcore's source.
import Foundation

/// A fake entcore on loopback (Python's http.server), started for one test and stopped when released.
final class FakeENT: @unchecked Sendable {
    static let folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    static let adminLogin = "guichet.adml"
    static let adminPassword = "adml-password"
    static let structure = "s-lycee"

    let port: Int
    let scheme: String
    private let process: Process
    private let input = Pipe()

    /// `arguments`: fake_ent.py's options ("--mfa", "--delay", "3", "--down", "--tls", cert, key…).
    init(_ arguments: [String] = []) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.folder.appendingPathComponent("fake_ent.py").path] + arguments
        scheme = arguments.contains("--tls") ? "https" : "http"
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        try process.run()
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
            throw FakeENTError(description: "the fake ENT did not start: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// The fake's test controls (plain http only; a TLS fake is asked through its own scheme with curl's -k).
    @discardableResult
    func control(_ method: String, _ name: String, json: [String: Any]? = nil) throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["curl", "-sk", "-X", method, "\(url)/__fake/\(name)"]
        if let json {
            arguments += [
                "-H", "Content-Type: application/json", "--data-binary",
                String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
            ]
        }
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return try JSONSerialization.jsonObject(with: data)
    }

    /// The requests the fake saw: [{"method", "path", "xsrf", "status"/"outcome", …}].
    func log() throws -> [[String: Any]] { try control("GET", "log") as? [[String: Any]] ?? [] }
    /// The renewal codes it generated, by login.
    func codes() throws -> [String: String] { try control("GET", "codes") as? [String: String] ?? [:] }
    func expireSessions() throws { try control("POST", "expire-sessions") }
    func set(_ changes: [String: Any]) throws { try control("POST", "set", json: changes) }
    /// How many sign-ins (POST /auth/login) it received.
    func signIns() throws -> Int {
        try log().filter { $0["path"] as? String == "/auth/login" && $0["method"] as? String == "POST" }.count
    }
}

struct FakeENTError: Error, CustomStringConvertible { let description: String }
