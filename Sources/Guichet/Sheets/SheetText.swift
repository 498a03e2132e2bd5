import Foundation

/// Every word a sheet prints, for one language. The wording itself lives in `SheetText+fr.swift` and
/// `SheetText+en.swift` and nowhere else; the renderer only places it.
struct SheetText: Sendable {
    /// Under the school's name: what the document is.
    var title: String
    /// "Fiche n° 1234".
    var number: @Sendable (String) -> String
    /// A profile's name: "Élève", "Parent"…
    var profile: @Sendable (Profile) -> String
    /// The line under the name: "Élève de 2NDE 3", "Parent de Zoé Gérard (2NDE 3) et d'Inès Gérard (TLE G2)".
    var role: @Sendable (Sheet.Person) -> String
    var loginLabel: String
    var codeLabel: String
    /// Under the code: it is typed as printed, lower case, without spaces.
    var codeHint: String
    var activatedLabel: String
    var activatedBox: String
    var federatedLabel: String
    var federatedBox: @Sendable (_ service: String) -> String
    var qrCaption: String

    /// What the ENT is for, and that the sheet is personal.
    var intro: String
    var firstConnectionTitle: String
    var firstConnectionSteps: @Sendable (_ url: String) -> [String]
    var firstConnectionNote: String
    var activatedTitle: String
    var activatedSteps: @Sendable (_ url: String) -> [String]
    var activatedNote: String
    var federatedTitle: String
    var federatedSteps: @Sendable (_ url: String, _ service: String) -> [String]
    var federatedNote: String
    /// The short form of the steps, for 8-up cards.
    var firstConnectionShort: String
    var activatedShort: String
    var federatedShort: @Sendable (_ service: String) -> String

    /// "Données ENT du 16/03/2026 · fiche imprimée le 21/11/2026 à 08:30".
    var dates: @Sendable (_ data: String?, _ printed: String) -> String
    var cutHere: String
    var receiptTitle: String
    /// "Fiche n° 1234 — compte de GÉRARD Zoé (zoe.gerard)".
    var receiptAccount: @Sendable (_ number: String, _ name: String, _ login: String) -> String
    /// "Remise le … à Sophie Gérard (parent), pièce vérifiée : passeport, par agent".
    var receiptHandedTo: @Sendable (_ printed: String, _ handedTo: Sheet.HandedTo?) -> String
    var receiptSignature: String
    var idCheck: @Sendable (IDCheck) -> String
    /// "21/11/2026".
    var day: @Sendable (DateComponents) -> String
    /// "21/11/2026 à 08:30".
    var dayAndTime: @Sendable (DateComponents) -> String
    /// The e-mail that carries the sheet (Mail/).
    var mail: MailWording
}

extension SheetText {
    /// "GÉRARD Zoé": the register's "NOM Prénom". Unicode upper-cases ß as "SS", which respells a name; the capital
    /// ẞ (German orthography since 2017) keeps it.
    static func registerName(first: String, last: String) -> String {
        let upper = last.replacingOccurrences(of: "ß", with: "ẞ").uppercased()
        return [upper, first].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// "Zoé Gérard": how a parent's sheet names the children, as one says it.
    static func spokenName(first: String, last: String) -> String {
        [first, last].filter { !$0.isEmpty }.joined(separator: " ")
    }

    func formattedDay(_ date: Date, in zone: TimeZone) -> String {
        day(Self.components(date, zone))
    }

    func formattedDayAndTime(_ date: Date, in zone: TimeZone) -> String {
        dayAndTime(Self.components(date, zone))
    }

    private static func components(_ date: Date, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    static func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : String($0) } ?? "??" }
}
