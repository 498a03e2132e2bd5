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
    /// A session ends after this long without a request, and after `maximumSessionSeconds` whatever happens.
    public var sessionIdleSeconds = 15 * 60
    public var maximumSessionSeconds = 12 * 3600
    /// The card warns when the ENT data is older than this.
    public var staleDataDays = 3
    /// Sign-in throttle: this many failures for one login within the window lock it for the window.
    public var signInFailuresAllowed = 5
    public var signInWindowSeconds = 15 * 60
    public var maxBodyBytes = 64 * 1024
    /// A connection idle this long (a client that stopped sending halfway, a forgotten keep-alive) is closed.
    public var connectionTimeoutSeconds = 30
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
        var sheets = SheetSettings(schoolName: schoolName, entURL: entURL, entName: entName, federation: federatedProfiles,
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

    public init(kioskRoot: String) {
        self.kioskRoot = kioskRoot
    }
}
