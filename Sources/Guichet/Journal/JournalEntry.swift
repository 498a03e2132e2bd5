import Foundation

/// Where an action came from.
public enum Channel: String, Sendable, Codable {
    case kiosk, cli, api
}

/// Every kind of action the journal records. Raw values are stable: they are stored and hashed. New kinds go at the
/// end (several branches add some at once).
public enum JournalAction: String, Sendable, Codable, CaseIterable {
    case importRun = "import"
    case signIn = "sign-in"
    case signInFailed = "sign-in-failed"
    case signOut = "sign-out"
    case search
    case accountViewed = "account-viewed"
    case codeRevealed = "code-revealed"
    case staffAdded = "staff-added"
    case staffDisabled = "staff-disabled"
    case staffPasswordChanged = "staff-password-changed"
    case sheetPrinted = "sheet-printed"
    case batchPrinted = "batch-printed"
    case printFailed = "print-failed"
    case batchExported = "batch-exported"
    case renewalIssued = "renewal-issued"
    case renewalSlipPrinted = "renewal-slip-printed"
    case renewalRedeemed = "renewal-redeemed"
    case renewalRefused = "renewal-refused"
    case renewalVoided = "renewal-voided"
    case apiKeyCreated = "api-key-created"
    case apiKeyRevoked = "api-key-revoked"
    case journalExported = "journal-exported"
    case reviewSignedOff = "review-signed-off"
    case journalPurged = "journal-purged"
    case mailQueued = "mail-queued"
    case mailSent = "mail-sent"
    case mailFailed = "mail-failed"
    case signInFailures = "sign-in-failures"
    case staffRoleChanged = "staff-role-changed"
    /// The ENT refused or failed to make a renewal code (details: `source` "ent", `error` its stable code).
    case renewalIssueFailed = "renewal-issue-failed"
    /// No sheet printed: the ENT says the account is blocked (details: `reason`).
    case sheetRefused = "sheet-refused"
    case journalKeyed = "journal-keyed"
    case databaseRestored = "database-restored"
}

/// What to append: the chain fields are the journal's business.
public struct JournalEntry: Sendable {
    public var staff: String?
    public var channel: Channel
    public var action: JournalAction
    public var target: String?
    /// Canonical JSON (sorted keys) of the details.
    public var detailsJSON: String

    public init<Details: Encodable>(
        staff: String?, channel: Channel, action: JournalAction, target: String? = nil,
        details: Details
    ) {
        self.staff = staff
        self.channel = channel
        self.action = action
        self.target = target
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain value types to JSON cannot fail; if it does, a type we wrote is wrong (a bug).
        let data = try! encoder.encode(details)
        self.detailsJSON = String(decoding: data, as: UTF8.self)
    }

    /// Details that are all texts, given in the order `.sortedKeys` puts their keys (the caller's to state; keys of
    /// ASCII letters only): written by hand, byte for byte what the generic initialiser writes, without
    /// `JSONEncoder`'s generic machinery (0.03M instructions per journalled search, callgrind). A text with a control
    /// character is left to `JSONEncoder`, whose escapes for them are its own (`JournalDetailsTests` compares both).
    init(staff: String?, channel: Channel, action: JournalAction, target: String? = nil, sortedTexts: [(String, String)]) {
        guard let json = Self.json(sortedTexts) else {
            self.init(
                staff: staff, channel: channel, action: action, target: target,
                details: Dictionary(sortedTexts, uniquingKeysWith: { first, _ in first }))
            return
        }
        self.init(staff: staff, channel: channel, action: action, target: target, detailsJSON: json)
    }

    private init(staff: String?, channel: Channel, action: JournalAction, target: String?, detailsJSON: String) {
        self.staff = staff
        self.channel = channel
        self.action = action
        self.target = target
        self.detailsJSON = detailsJSON
    }

    /// The JSON object of `sortedTexts`; nil when a text holds a control character.
    private static func json(_ sortedTexts: [(String, String)]) -> String? {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(64 + sortedTexts.count * 24)
        for (index, (key, value)) in sortedTexts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out += key.utf8
            out += #"":"#.utf8
            guard JSONText.appendString(value, to: &out) else { return nil }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    public init(staff: String?, channel: Channel, action: JournalAction, target: String? = nil) {
        self.init(staff: staff, channel: channel, action: action, target: target, details: [String: String]())
    }
}
