import Foundation
import Guichet
import HTTPServer

/// What `guichet serve` runs with: built from `GuichetConfiguration` (the file, then flags) by `serverSettings`.
public struct ServerSettings: Sendable {
    public var bindAddress = "127.0.0.1"
    public var port: UInt16 = 8080
    public var threads = 4
    public var kioskRoot: String
    public var schoolName = "Lycée Jean-Jaurès"
    /// The school's UAI (`[school] uai`), for what identifies the school (reports); nil when not configured.
    public var schoolUAI: String?
    public var entURL = "https://ent.example.org"
    /// The kiosk locks (and wipes its screen) after this long without input.
    public var idleLockSeconds = 180
    /// Once a sheet is printed, the kiosk clears the desk for the next person after this long (0: it does not).
    public var nextPersonSeconds = 5
    /// A session ends after this long without a request, and after `maximumSessionSeconds` whatever happens.
    public var sessionIdleSeconds = 15 * 60
    public var maximumSessionSeconds = 12 * 3600
    /// The card warns when the ENT data is older than this.
    public var staleDataDays = 3
    /// Sign-in throttle: this many failures for one login from one address within the window make that pair wait
    /// out the window; `signInAddressFailuresAllowed` does the same for an address whatever the logins (`SignInGuard`).
    public var signInFailuresAllowed = 5
    public var signInWindowSeconds = 15 * 60
    public var signInAddressFailuresAllowed = 20
    /// Argon2id checks at once (each takes 19 MiB and a core for ~50 ms); a sign-in waits 5 s for its turn, then 503.
    public var concurrentPasswordChecks = 2
    /// A run of failed sign-ins from one address is journalled as one row once it is this long quiet.
    public var signInBurstQuietSeconds = 60
    public var maxBodyBytes = 64 * 1024
    /// A connection idle this long (a client that stopped sending halfway, a forgotten keep-alive) is closed.
    public var connectionTimeoutSeconds = 30
    /// Connections at once, overall and from one address (the kiosk's browser opens at most 6; `Scripts/load-test`
    /// opens 64 from loopback); and the time a request has to send all its headers, however steadily it sends.
    /// Host names the service answers to, besides IP literals and `localhost`: any other `Host` is refused, so a page
    /// on a name an attacker controls (DNS rebinding to this PC) never reaches the API.
    public var hostNames: [String] = []
    public var connectionLimit = 512
    public var perAddressConnectionLimit = 128
    public var headerTimeoutSeconds: Double = 10
    /// The CUPS queue sheets go to (`[print] printer`, `--printer`); nil hands the PDF to the kiosk page instead.
    public var printer: String?
    /// Profiles that sign in through a federation, and its services ("relative" → EduConnect, FranceConnect): no
    /// login, no code, no renewal for them.
    public var federatedProfiles = Federation()
    /// The ENT's own name (`[ent] name`), for the sheets' wording.
    public var entName: String?
    /// The ENTs whose users kept their password (`[ent] previous`).
    public var previousENTs: [String] = []
    /// The school's structures (`[[school]]`), the default first; empty: `schoolName` alone.
    public var structures: [SchoolStructure] = []
    /// Class names to levels (`[school] class_levels` over the standard table).
    public var classLevels = ClassLevels.standard
    public var sheetLanguage: SheetLanguage = .fr

    /// What the sheets print about the school.
    public var sheetSettings: SheetSettings {
        var sheets = SheetSettings(
            schoolName: schoolName, entURL: entURL, entName: entName, federation: federatedProfiles,
            language: sheetLanguage)
        (sheets.previousENTs, sheets.structures, sheets.classLevels) = (previousENTs, structures, classLevels)
        return sheets
    }
    /// Renewal codes: length (8–16) and validity (24 h by default).
    public var renewal = RenewalSettings.standard
    /// The end-of-day review: the school's time zone, opening hours and what counts as a burst of sheets.
    public var review = ReviewRules()
    /// How many months journal rows are kept (`[journal] keep_months`), for the retention job to read.
    public var journalKeepMonths: Int?
    /// HTTPS with these PEM texts (`[tls]`); nil: plain HTTP, which the configuration allows on loopback only.
    public var tls: TLSConfiguration?
    /// The SMTP relay and sender (`[mail]`); nil: sending by e-mail is off and the card offers no button.
    public var mail: MailSettings?
    /// The ENT's API as the school's delegated administrator (`[ent] admin_login`…); nil: renewal codes are
    /// Guichet's own (redeemed by a connector), sheets print from the last import.
    public var ent: ENTSettings?

    public init(kioskRoot: String) {
        self.kioskRoot = kioskRoot
    }
}
