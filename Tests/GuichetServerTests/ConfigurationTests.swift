import Foundation
import Guichet
import Testing
@testable import GuichetServer

/// The configuration file: what it reads, and every way it refuses a value (with the file, line and key).
@Suite struct ConfigurationTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Kiosk/deploy/guichet.toml.example").standardized.path

    /// The single problem of `text`, or a failure naming what was parsed instead.
    func problem(_ text: String) -> ConfigurationError? {
        do {
            _ = try GuichetConfiguration.parse(text, file: "g.toml")
            Issue.record("accepted: \(text)")
            return nil
        } catch {
            #expect(error.problems.count == 1, "\(error)")
            return error.problems.first
        }
    }

    @Test func theExampleFileReadsAsTheDefaultsWithTheInstalledPathsAndRetention() throws {
        let c = try GuichetConfiguration.load(path: Self.example)
        var expected = GuichetConfiguration()
        // Retention is off unless set; the installed example sets it, at the CNIL's upper bound.
        #expect(expected.journal.keepMonths == nil)
        expected.journal.keepMonths = 12
        expected.kiosk.web = "/usr/share/guichet/web"
        expected.databasePath = "/var/lib/guichet/guichet.sqlite3"
        expected.source = Self.example
        expected.keyLines = c.keyLines
        #expect(c == expected)
        #expect(c.line(of: "server.bind") != nil)
    }

    @Test func anEmptyFileKeepsEveryDefault() throws {
        var c = try GuichetConfiguration.parse("# nothing\n", file: "g.toml")
        c.source = nil
        c.keyLines = [:]
        #expect(c == GuichetConfiguration())
    }

    @Test func everyKeyIsRead() throws {
        let c = try GuichetConfiguration.parse(
            """
            [school]
            name = "Lycée Condorcet"
            uai = "0750654d"
            [ent]
            url = "https://monlycee.net"
            name = "MonLycée.net"
            federated = { relative = ["EduConnect", "FranceConnect"], Teacher = "academy" }
            [renewal]
            code_length = 10
            validity_hours = 0.5
            [kiosk]
            idle_lock_seconds = 60
            session_idle_minutes = 30
            stale_days = 5
            web = "/srv/web"
            next_person_seconds = 0
            [review]
            opening_hours = "08:00-17:45"
            burst_sheets = 40
            burst_minutes = 15
            [journal]
            keep_months = 6
            [print]
            printer = "accueil-hp"
            sheet_language = "en"
            [server]
            bind = "::"
            port = 8443
            threads = 8
            [tls]
            certificate = "/etc/guichet/tls/c.pem"
            key = "/etc/guichet/tls/k.pem"
            [database]
            path = "/srv/g.sqlite3"
            """, file: "g.toml")
        #expect(c.school.name == "Lycée Condorcet" && c.school.uai == "0750654D")
        #expect(c.ent.url == "https://monlycee.net")
        #expect(c.ent.federated == Federation([.relative: [.educonnect, .franceconnect], .teacher: [.academy]]))
        #expect(c.ent.name == "MonLycée.net")
        #expect(c.renewal.length == 10 && c.renewal.validity == 1800)
        #expect(
            c.kiosk
                == GuichetConfiguration.Kiosk(
                    idleLockSeconds: 60, sessionIdleMinutes: 30, staleDays: 5, web: "/srv/web",
                    nextPersonSeconds: 0))
        #expect(
            c.review.openingHours == OpeningHours(opens: 480, closes: 1065) && c.review.openingHours.description == "08:00-17:45")
        #expect(c.review.burstSheets == 40 && c.review.burstMinutes == 15 && c.journal.keepMonths == 6)
        #expect(c.print.printer == "accueil-hp" && c.print.sheetLanguage == .en)
        #expect(c.server == GuichetConfiguration.Server(bind: "::", port: 8443, threads: 8))
        #expect(c.tls == GuichetConfiguration.TLS(certificate: "/etc/guichet/tls/c.pem", key: "/etc/guichet/tls/k.pem"))
        #expect(c.databasePath == "/srv/g.sqlite3")
        #expect(!c.bindsLoopbackOnly)
    }

    @Test func dottedKeysAndTheirLinesAreUnderstood() throws {
        let c = try GuichetConfiguration.parse("server.port = 9000\n\nserver.bind = \"127.0.0.2\"\n", file: "g.toml")
        #expect(c.server.port == 9000 && c.server.bind == "127.0.0.2" && c.bindsLoopbackOnly)
        #expect(c.line(of: "server.bind") == 3)
    }

    @Test func aSyntaxErrorNamesTomlsLine() {
        let p = problem("[server]\nport = 80\nbind = \n")
        #expect(p?.line == 3)
        #expect(p?.description.hasPrefix("g.toml line 3: not valid TOML: ") == true)
    }

    @Test func anUnknownSectionIsRefusedWithItsLine() {
        let p = problem("[school]\nname = \"X\"\n\n[printer]\nname = \"hp\"\n")
        #expect(p?.line == 4)
        #expect(p?.description.hasPrefix("g.toml line 4: unknown section [printer]; the sections are [school], [ent],") == true)
    }

    @Test func anUnknownKeyIsRefusedWithItsLineAndTheKeysTheSectionTakes() {
        let p = problem("[server]\nbind = \"127.0.0.1\"\n# a comment\nprot = 8080\n")
        #expect(p?.description == "g.toml line 4: [server] prot: unknown key; [server] takes bind, port, threads, host_names")
    }

    @Test func aKeyOutsideAnySectionIsRefused() {
        #expect(
            problem("\nport = 8080\n")?.description.hasPrefix("g.toml line 2: unknown key \"port\" outside any section") == true)
    }

    @Test func aSectionGivenAValueIsRefused() {
        #expect(
            problem("school = \"Condorcet\"\n")?.description
                == "g.toml line 1: [school]: must be a section, written [school] on a line of its own (not a string)")
    }

    /// Each key's refusals: (file text, line, key, reason).
    static let rejections: [(String, Int, String, String)] = [
        ("[school]\nname = 3", 2, "[school] name", "must be a string in quotes (not an integer)"),
        ("[school]\nname = \"  \"", 2, "[school] name", "must not be empty"),
        (
            "[school]\nuai = \"075065D\"", 2, "[school] uai",
            "must be a UAI: 7 digits and a letter, e.g. \"0750654D\" (not \"075065D\")"
        ),
        ("[school]\nuai = \"0750654E\"", 2, "[school] uai", "\"0750654E\" is not a valid UAI: its check letter should be D"),
        (
            "[ent]\nurl = \"ftp://ent.example.org\"", 2, "[ent] url",
            "must be a web address starting with https:// (not \"ftp://ent.example.org\")"
        ),
        (
            "[ent]\nurl = \"ent.example.org\"", 2, "[ent] url",
            "must be a web address starting with https:// (not \"ent.example.org\")"
        ),
        (
            "[ent]\nfederated = \"relative\"", 2, "[ent] federated",
            "must be a table of profile = \"service\" or [\"service\", …], e.g. { relative = [\"EduConnect\", \"FranceConnect\"] } (not a string)"
        ),
        (
            "[ent]\nfederated = { parent = \"EduConnect\" }", 2, "[ent] federated.parent",
            "\"parent\" is not a profile (student, relative, teacher, personnel or guest)"
        ),
        (
            "[ent]\nfederated = { relative = \"\" }", 2, "[ent] federated.relative",
            "relative: unknown federation service \"\"; the services are \"EduConnect\", \"FranceConnect\" or \"academy\" (the academy's portal)"
        ),
        (
            "[ent]\nfederated = { teacher = \"votre compte académique\" }", 2, "[ent] federated.teacher",
            "teacher: unknown federation service \"votre compte académique\"; the services are \"EduConnect\", \"FranceConnect\" or \"academy\" (the academy's portal)"
        ),
        (
            "[ent]\nfederated = { relative = [\"EduConnect\", \"educonnect\"] }", 2, "[ent] federated.relative",
            "relative: \"educonnect\" is named twice"
        ),
        ("[ent]\nfederated = { relative = [] }", 2, "[ent] federated.relative", "relative: must name at least one service"),
        ("[ent]\nname = \"\"", 2, "[ent] name", "must not be empty"),
        ("[renewal]\ncode_length = 7", 2, "[renewal] code_length", "must be from 8 to 16 (not 7)"),
        (
            "[renewal]\ncode_length = 8.0", 2, "[renewal] code_length",
            "must be a whole number (not a number with a decimal point)"
        ),
        (
            "[renewal]\nvalidity_hours = 0", 2, "[renewal] validity_hours",
            "must be from 0.0167 (one minute) to 720 hours (30 days) (not 0.0)"
        ),
        ("[renewal]\nvalidity_hours = \"24\"", 2, "[renewal] validity_hours", "must be a number (not a string)"),
        ("[kiosk]\nidle_lock_seconds = 2", 2, "[kiosk] idle_lock_seconds", "must be from 5 to 3600 (not 2)"),
        ("[kiosk]\nsession_idle_minutes = 0", 2, "[kiosk] session_idle_minutes", "must be from 1 to 720 (not 0)"),
        ("[kiosk]\nstale_days = -1", 2, "[kiosk] stale_days", "must be from 1 to 90 (not -1)"),
        ("[kiosk]\nweb = \"\"", 2, "[kiosk] web", "must be a file path, not empty"),
        ("[kiosk]\nnext_person_seconds = 121", 2, "[kiosk] next_person_seconds", "must be from 0 to 120 (not 121)"),
        (
            "[review]\nopening_hours = \"7h30-18h30\"", 2, "[review] opening_hours",
            "must be \"HH:MM-HH:MM\" with opening before closing, e.g. \"07:30-18:30\" (not \"7h30-18h30\")"
        ),
        (
            "[review]\nopening_hours = \"18:30-07:30\"", 2, "[review] opening_hours",
            "must be \"HH:MM-HH:MM\" with opening before closing, e.g. \"07:30-18:30\" (not \"18:30-07:30\")"
        ),
        (
            "[review]\nopening_hours = \"07:30-25:00\"", 2, "[review] opening_hours",
            "must be \"HH:MM-HH:MM\" with opening before closing, e.g. \"07:30-18:30\" (not \"07:30-25:00\")"
        ),
        ("[review]\nburst_sheets = 1", 2, "[review] burst_sheets", "must be from 2 to 1000 (not 1)"),
        ("[review]\nburst_minutes = 0", 2, "[review] burst_minutes", "must be from 1 to 1440 (not 0)"),
        ("[journal]\nkeep_months = 24", 2, "[journal] keep_months", "must be from 6 to 12 (the CNIL's recommendation) (not 24)"),
        (
            "[print]\nprinter = \"HP accueil\"", 2, "[print] printer",
            "must be a CUPS queue name: printable characters without spaces, / or # (not \"HP accueil\")"
        ),
        ("[print]\nprinter = true", 2, "[print] printer", "must be a string in quotes (not true or false)"),
        ("[print]\nsheet_language = \"de\"", 2, "[print] sheet_language", "must be \"fr\" or \"en\" (not \"de\")"),
        (
            "[server]\nbind = \"localhost\"", 2, "[server] bind",
            "must be an IP address such as \"127.0.0.1\", \"0.0.0.0\" or \"::1\" (not \"localhost\")"
        ),
        ("[server]\nport = 70000", 2, "[server] port", "must be from 0 to 65535 (not 70000)"),
        ("[server]\nport = \"8080\"", 2, "[server] port", "must be a whole number (not a string)"),
        ("[server]\nthreads = 0", 2, "[server] threads", "must be from 1 to 64 (not 0)"),
        ("[server]\nthreads = [4]", 2, "[server] threads", "must be a whole number (not an array)"),
        (
            "[tls]\ncertificate = \"/etc/c.pem\"", 1, "[tls] key",
            "missing: [tls] needs both certificate and key (or neither, to serve plain HTTP on loopback)"
        ),
        (
            "[tls]\nkey = \"/etc/k.pem\"", 1, "[tls] certificate",
            "missing: [tls] needs both certificate and key (or neither, to serve plain HTTP on loopback)"
        ),
        ("[database]\npath = 1979-05-27", 2, "[database] path", "must be a string in quotes (not a TOML date)")
    ]

    @Test(arguments: 0..<rejections.count)
    func everyBadValueIsRefusedNamingTheLineAndKey(_ index: Int) {
        let (text, line, key, reason) = Self.rejections[index]
        let p = problem("# Guichet\n" + text + "\n")
        #expect(p?.file == "g.toml")
        #expect(p?.line == line + 1, "\(text)")
        #expect(p?.key == key, "\(text)")
        #expect(p?.reason == reason, "\(text)")
        #expect(p?.description == "g.toml line \(line + 1): \(key): \(reason)")
    }

    @Test func everyProblemIsReportedInTheOrderOfTheLines() {
        do {
            _ = try GuichetConfiguration.parse(
                "[server]\nthreads = 0\nport = 70000\n[kiosk]\nstale_days = 0\n[nope]\n", file: "g.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.line) == [2, 3, 5, 6])
            #expect(error.description.components(separatedBy: "\n").count == 4)
        }
    }

    @Test func theKeyOfAnInlineTableIsFoundOnItsLine() {
        let p = problem("[ent]\nurl = \"https://e.org\"\nfederated = { relative = \"EduConnect\", eleve = \"x\" }\n")
        #expect(p?.line == 3 && p?.key == "[ent] federated.eleve")
    }

    @Test func aMissingOrUnreadableFileIsNamed() {
        #expect(
            throws: ConfigurationErrors(problems: [
                ConfigurationError(
                    file: "/nonexistent/g.toml", line: nil, key: nil,
                    reason: "cannot read the configuration: there is no such file")
            ])
        ) {
            _ = try GuichetConfiguration.load(path: "/nonexistent/g.toml")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).toml")
        FileManager.default.createFile(atPath: folder.path, contents: Data([0x5B, 0xFF, 0xFE, 0x5D]))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(
            throws: ConfigurationErrors(problems: [
                ConfigurationError(file: folder.path, line: nil, key: nil, reason: "not UTF-8 text")
            ])
        ) {
            _ = try GuichetConfiguration.load(path: folder.path)
        }
    }
}
