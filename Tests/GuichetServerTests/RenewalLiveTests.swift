import Foundation
import Guichet
import Testing
import HTTPServer
@testable import GuichetServer

/// Renewal codes through real sockets, and through the `guichet` executable itself (command line, daemon, logs).
@Suite struct RenewalLiveTests {
    static let executable = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../.build/debug/guichet").standardized.path

    static func json(_ body: Data) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    @Test func aHundredConcurrentRedemptionsOverSocketsLetExactlyOneThrough() throws {
        let h = try Harness { $0.threads = 4 }
        let daemon = try h.service.start()
        defer { daemon.stop() }
        let key = try APIKeys.create(h.database, name: "ent", by: "test")
        let (cookie, csrf) = try h.signIn()
        let code = try #require(
            object(h.call("POST", "/api/v1/accounts/zoe.gerard/renewal-code", cookie: cookie, csrf: csrf))["code"] as? String)
        let lock = NSLock()
        nonisolated(unsafe) var answers: [String] = []
        DispatchQueue.concurrentPerform(iterations: 100) { _ in
            let answer: String
            do {
                let r = try LiveServiceTests.send(
                    "POST", port: daemon.port, "/api/v1/renewal-codes/redeem",
                    body: Array(#"{"login":"zoe.gerard","code":"\#(code)"}"#.utf8),
                    headers: ["Content-Type": "application/json", "Authorization": "Bearer \(key)"])
                answer =
                    "\(r.status) " + ((Self.json(r.body)["code"] as? String) ?? (Self.json(r.body)["login"] as? String) ?? "?")
            } catch {
                answer = "error \(error)"
            }
            lock.withLock { answers.append(answer) }
        }
        #expect(answers.filter { $0 == "200 zoe.gerard" }.count == 1)
        #expect(answers.filter { $0 == "403 renewal-code-consumed" }.count == 99, "\(Set(answers))")
        #expect(try h.journalActions().filter { $0 == "renewal-redeemed" }.count == 1)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable), "build the guichet executable first"))
    func theCommandLineAndTheDaemonNeverWriteACodeInClear() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guichet-renewal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("g.sqlite3").path
        try Data(Fixture.csv.utf8).write(to: folder.appendingPathComponent("export.csv"))

        #expect(try run(["import", "--db", db, folder.appendingPathComponent("export.csv").path]).status == 0)
        #expect(try run(["staff", "add", "agent", "--db", db], input: Harness.agentPassword + "\n").status == 0)
        let created = try run(["apikey", "create", "ent", "--db", db])
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(created.status == 0 && key.hasPrefix("gk_"))
        #expect(try run(["renew", "nathanael.ndiaye", "--as", "agent", "--db", db]).status != 0)  // not activated
        let renewed = try run(["renew", "zoe.gerard", "--as", "agent", "--db", db])
        let cliCode = try #require(renewed.stdout.split(separator: "\n").first?.split(separator: ":").last)
            .replacingOccurrences(of: " ", with: "")
        #expect(renewed.status == 0 && cliCode.count == 8)
        let attributes = try FileManager.default.attributesOfItem(atPath: db + ".key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        // The daemon, its log in a file: issue, print, refuse, redeem.
        let log = folder.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let serve = Process()
        serve.executableURL = URL(fileURLWithPath: Self.executable)
        serve.arguments = ["serve", "--db", db, "--port", "0", "--kiosk", Harness.kioskRoot]
        let handle = try FileHandle(forWritingTo: log)
        serve.standardOutput = handle
        serve.standardError = handle
        try serve.run()
        defer { if serve.isRunning { serve.terminate(); serve.waitUntilExit() } }
        var port: UInt16?
        for _ in 0..<100 where port == nil {
            Thread.sleep(forTimeInterval: 0.1)
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            port = text.firstMatch(of: /127\.0\.0\.1:(\d+)\//).flatMap { UInt16($0.1) }
        }
        let p = try #require(port, "the daemon did not start")
        let signIn = try LiveServiceTests.send(
            "POST", port: p, "/api/v1/session",
            body: Array(#"{"login":"agent","password":"\#(Harness.agentPassword)"}"#.utf8),
            headers: ["Content-Type": "application/json"])
        let cookie = try #require(signIn.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let csrf = try #require(Self.json(signIn.body)["csrfToken"] as? String)
        let staff = ["Cookie": cookie, "X-CSRF-Token": csrf, "Content-Type": "application/json"]
        let issued = try LiveServiceTests.send("POST", port: p, "/api/v1/accounts/zoe.gerard/renewal-code", headers: staff)
        let code = try #require(Self.json(issued.body)["code"] as? String)
        let slip = try LiveServiceTests.send(
            "POST", port: p, "/api/v1/accounts/zoe.gerard/renewal-slip",
            body: Array(#"{"code":"\#(code)"}"#.utf8), headers: staff)
        #expect(slip.status == 200)
        func redeem(_ c: String, _ k: String = key) throws -> String {
            let r = try LiveServiceTests.send(
                "POST", port: p, "/api/v1/renewal-codes/redeem",
                body: Array(#"{"login":"zoe.gerard","code":"\#(c)"}"#.utf8),
                headers: ["Content-Type": "application/json", "Authorization": "Bearer \(k)"])
            return "\(r.status) " + ((Self.json(r.body)["code"] as? String) ?? (Self.json(r.body)["login"] as? String) ?? "")
        }
        #expect(try redeem(cliCode) == "403 renewal-code-revoked")
        #expect(try redeem("wrongwro") == "403 renewal-code-wrong")
        #expect(try redeem(code) == "200 zoe.gerard")
        #expect(try run(["apikey", "revoke", "ent", "--db", db]).status == 0)
        #expect(try redeem(code) == "401 api-key-revoked")
        #expect(try run(["apikey", "list", "--db", db]).stdout.contains("revoked"))

        // Neither code, in any spelling, in the log, the database or its WAL, while running and after a clean stop.
        func leaks() throws -> [String] {
            var found: [String] = []
            for file in [log.path, db, db + "-wal"] where FileManager.default.fileExists(atPath: file) {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                for c in [code, cliCode] where spellings(of: c).contains(where: { contains(bytes, $0) }) { found.append(file) }
            }
            return found
        }
        #expect(try leaks() == [])
        serve.terminate()
        serve.waitUntilExit()
        #expect(try leaks() == [])
        #expect(try run(["journal", "verify", "--db", db]).status == 0)
    }

    /// Runs the executable; returns its exit status and standard output.
    private func run(_ arguments: [String], input: String? = nil) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe(), stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        _ = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Every way a code could be spelt in a file: as issued, in capitals, grouped, as hex of its bytes, as UTF-16.
func spellings(of code: String) -> [[UInt8]] {
    let grouped = stride(from: 0, to: code.count, by: 4).map { String(code.dropFirst($0).prefix(4)) }.joined(separator: " ")
    let hex = code.utf8.map { String(format: "%02x", $0) }.joined()
    let texts = [code, code.uppercased(), grouped, grouped.uppercased(), hex, hex.uppercased()]
    return texts.map { Array($0.utf8) } + [code.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }]
}

/// True when `needle` occurs in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}
