import Foundation
import Guichet

/// Everything the IT person sets in `/etc/guichet/guichet.toml` (or `--config FILE`), with the development
/// defaults for what the file leaves out. Flags override the file (`applying(_:)`); `serverSettings` turns it into
/// what `GuichetService` runs with. The file's format and its rules: `GuichetConfiguration+Keys.swift` and the
/// commented example `Kiosk/deploy/guichet.toml.example`.
public struct GuichetConfiguration: Sendable, Equatable {
    /// Where the installed service reads its configuration.
    public static let defaultPath = "/etc/guichet/guichet.toml"

    public struct School: Sendable, Equatable {
        public var name = "Lycée Jean-Jaurès"
        /// The school's UAI (ex-RNE): 7 digits and a check letter, "0750654D". Optional.
        public var uai: String?
        /// Days, opening hours and the journal review are the school's local time.
        public var timeZone = TimeZone(identifier: "Europe/Paris")!
        /// The other structures of a cité scolaire (`[[school]]` entries after the first, which is this one).
        public var others: [SchoolStructure] = []
        /// Class names to levels: the standard SIECLE/STS table, with `class_levels` added.
        public var classLevels = ClassLevels.standard

        /// Every structure, the default first.
        public var structures: [SchoolStructure] { [SchoolStructure(uai: uai, name: name)] + others }
    }

    public struct ENT: Sendable, Equatable {
        public var url = "https://ent.example.org"
        /// The ENT's own name ("MonLycée.net"), printed on sheets; nil: "l'ENT".
        public var name: String?
        /// Profiles that sign in through a federation, and its services: no login, no code, no renewal for them.
        public var federated = Federation()
        /// The ENTs the school used before, whose users kept their password ("Lillie", "PCN").
        public var previous: [String] = []
    }

    public struct Kiosk: Sendable, Equatable {
        public var idleLockSeconds = 180
        public var sessionIdleMinutes = 15
        /// The kiosk card warns when the ENT's data is older than this many days.
        public var staleDays = 3
        /// The kiosk page's folder; nil: found beside the executable or in /usr/share/guichet/web.
        public var web: String?
        /// After a sheet is printed, the desk is cleared for the next person after this many seconds (0: never).
        public var nextPersonSeconds = 5
    }

    /// The end-of-day journal review's thresholds (`ReviewRules` once read).
    public struct Review: Sendable, Equatable {
        public var openingHours = OpeningHours(opens: 7 * 60 + 30, closes: 18 * 60 + 30)
        /// A burst: this many sheets by one agent within `burstMinutes` is flagged as unusual.
        public var burstSheets = 10
        public var burstMinutes = 10
    }

    public struct Journal: Sendable, Equatable {
        /// How long journal rows are kept: the CNIL recommends 6 to 12 months.
        /// nil unless the file sets it: nothing is ever purged by default.
        public var keepMonths: Int?
    }

    public struct Print: Sendable, Equatable {
        /// The CUPS queue; nil: the kiosk page prints the PDF itself.
        public var printer: String?
        public var sheetLanguage: SheetLanguage = .fr
    }

    public struct Server: Sendable, Equatable {
        /// An IP literal; anything but loopback needs `[tls]` (or `--insecure-lan`).
        public var bind = "127.0.0.1"
        public var port: UInt16 = 8080
        public var threads = 4
        /// Names the service answers to besides IP literals and localhost (the `Host` header is checked).
        public var hostNames: [String] = []
    }

    /// Paths of the PEM certificate chain and its unencrypted private key; both or neither.
    public struct TLS: Sendable, Equatable {
        public var certificate: String
        public var key: String
    }

    /// The school's SMTP relay (`[mail]`); sending by e-mail is off while `host` or `from_address` is missing.
    public struct Mail: Sendable, Equatable {
        public var host: String?
        public var port: Int?
        public var security: MailSecurity = .starttls
        public var username: String?
        public var password: String?
        /// A file holding the password (its first line), so the configuration itself can be world-readable.
        public var passwordFile: String?
        public var fromAddress: String?
        public var fromName: String?
        public var replyTo: String?
        public var maxAttempts = 5
        public var retryMinutes = 1.0

        /// The port `security` implies when none is given: 587 (submission) for STARTTLS, 465 for TLS, 25 for none.
        var effectivePort: Int { port ?? (security == .tls ? 465 : security == .starttls ? 587 : 25) }
    }

    public var school = School()
    public var mail = Mail()
    public var ent = ENT()
    /// `[ent]`'s administrator connection (`GuichetConfiguration+ENT.swift`).
    public var entConnection = ENTConnection()
    public var renewal = RenewalSettings.standard
    public var kiosk = Kiosk()
    public var review = Review()
    public var journal = Journal()
    public var print = Print()
    public var server = Server()
    public var tls: TLS?
    /// The database file; nil: `$GUICHET_DB`, else `./guichet.sqlite3` (development).
    public var databasePath: String?
    /// The file this was read from, nil for the built-in defaults.
    public var source: String?
    /// Where each key was written in that file ("server.bind" → 42), for messages about values checked later.
    var keyLines: [String: Int] = [:]

    public init() {}

    /// What `GuichetService` runs with. TLS files are read here, so a missing key stops the start with its name.
    public func serverSettings(kioskRoot: String) throws(ConfigurationErrors) -> ServerSettings {
        var settings = ServerSettings(kioskRoot: kioskRoot)
        settings.bindAddress = server.bind
        settings.port = server.port
        settings.threads = server.threads
        settings.hostNames = server.hostNames
        settings.schoolName = school.name
        settings.schoolUAI = school.uai
        settings.entURL = ent.url
        settings.federatedProfiles = ent.federated
        settings.entName = ent.name
        settings.previousENTs = ent.previous
        settings.structures = school.structures
        settings.classLevels = school.classLevels
        settings.idleLockSeconds = kiosk.idleLockSeconds
        settings.nextPersonSeconds = kiosk.nextPersonSeconds
        settings.sessionIdleSeconds = kiosk.sessionIdleMinutes * 60
        settings.staleDataDays = kiosk.staleDays
        settings.printer = print.printer
        settings.sheetLanguage = print.sheetLanguage
        settings.renewal = renewal
        settings.review = ReviewRules(
            timeZone: school.timeZone, opensAt: review.openingHours.opens,
            closesAt: review.openingHours.closes, burstSheets: review.burstSheets,
            burstMinutes: review.burstMinutes)
        settings.journalKeepMonths = journal.keepMonths
        settings.tls = try loadTLS()
        settings.mail = try mailSettings()
        settings.ent = try entSettings()
        return settings
    }
}
