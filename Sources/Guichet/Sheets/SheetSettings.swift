import Foundation

/// What a sheet needs to know about the school: its name, the ENT's address, the profiles that sign in through
/// another service, and the language of the wording. The service and the command line build it from their settings.
public struct SheetSettings: Sendable, Equatable {
    public var schoolName: String
    /// The ENT's address, printed in full and as a QR code.
    public var entURL: String
    /// Profiles whose accounts sign in through a federation (e.g. parents through "EduConnect", teachers through
    /// "votre compte académique"): their sheets say how to connect and never carry a code.
    public var federated: [Profile: String]
    public var language: SheetLanguage
    /// Dates on the sheet are the school's calendar days and wall-clock times.
    public var timeZone: TimeZone

    public init(schoolName: String, entURL: String, federated: [Profile: String] = [:], language: SheetLanguage = .fr,
                timeZone: TimeZone = .current) {
        self.schoolName = schoolName
        self.entURL = entURL
        self.federated = federated
        self.language = language
        self.timeZone = timeZone
    }

    /// Reads "relative=EduConnect" (the command line's `--federated` values); nil when malformed.
    public static func federation(_ option: String) -> (Profile, String)? {
        guard let equals = option.firstIndex(of: "=") else { return nil }
        let service = option[option.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard let profile = Profile(option: String(option[..<equals]).trimmingCharacters(in: .whitespaces)),
              !service.isEmpty else { return nil }
        return (profile, service)
    }
}

/// The languages sheets are worded in; each has its whole wording in one file (`SheetText+fr.swift`, `+en.swift`).
public enum SheetLanguage: String, Sendable, CaseIterable {
    case fr, en

    var text: SheetText {
        switch self {
        case .fr: .french
        case .en: .english
        }
    }
}
