import Foundation

/// What a sheet needs to know about the school: its name, the ENT's address, the profiles that sign in through
/// another service, and the language of the wording. The service and the command line build it from their settings.
public struct SheetSettings: Sendable, Equatable {
    /// The default structure's name: printed when an account's own structure is not among `structures`.
    public var schoolName: String
    /// Every structure of the school (`[[school]]`), the first being the default: a sheet prints its account's own.
    public var structures: [SchoolStructure] = []
    /// How class names map to levels (`[school] class_levels` over the standard table).
    public var classLevels = ClassLevels.standard
    /// The ENT's address, printed in full and as a QR code.
    public var entURL: String
    /// The ENT's own name (`[ent] name`, "MonLycée.net"), printed wherever the sheet names the ENT; nil: "l'ENT".
    public var entName: String?
    /// Profiles whose accounts sign in through a federation (parents through EduConnect or FranceConnect, teachers
    /// through the academy's portal): their sheets say how to connect and never carry a login or a code.
    public var federation: Federation
    /// The ENTs the school used before, whose users kept their login and password (`[ent] previous`: "Lillie",
    /// "PCN"): an activated account's sheet says so.
    public var previousENTs: [String] = []
    public var language: SheetLanguage
    /// Dates on the sheet are the school's calendar days and wall-clock times.
    public var timeZone: TimeZone

    /// The name printed on `person`'s sheet: its own structure's, else the default.
    func schoolName(for person: Sheet.Person) -> String {
        SchoolStructure.of(person.structures, in: structures)?.name ?? schoolName
    }

    /// The ENT's name as sentences use it: `[ent] name`, else "l'ENT" ("the ENT").
    var entWording: String { entName ?? language.text.defaultENT }

    public init(
        schoolName: String, entURL: String, entName: String? = nil, federation: Federation = Federation(),
        language: SheetLanguage = .fr, timeZone: TimeZone = .current
    ) {
        self.schoolName = schoolName
        self.entURL = entURL
        self.entName = entName
        self.federation = federation
        self.language = language
        self.timeZone = timeZone
    }

    /// Reads "relative=EduConnect,FranceConnect" (the command line's `--federated` values) into the profile and
    /// the services as typed (the configuration's setter checks their names); nil when malformed.
    public static func federation(_ option: String) -> (Profile, [String])? {
        guard let equals = option.firstIndex(of: "=") else { return nil }
        let services = option[option.index(after: equals)...].split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let profile = Profile(option: String(option[..<equals]).trimmingCharacters(in: .whitespaces)),
            !services.isEmpty
        else { return nil }
        return (profile, services)
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
