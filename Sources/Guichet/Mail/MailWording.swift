/// Every word of a sheet's e-mail, for one language; the wording itself is in `SheetText+fr.swift` and `+en.swift`
/// beside the sheet's. The message never carries a code: the attached sheet does (or, once the account is
/// activated, the renewal instructions, which carry none).
struct MailWording: Sendable {
    /// "Votre compte ENT", or "Votre compte MonLycée.net" with `[ent] name`.
    var subject: @Sendable (_ entName: String?) -> String
    /// "Bonjour Zoé Gérard,".
    var greeting: @Sendable (_ name: String) -> String
    /// The paragraphs between the greeting and the signature.
    var body: @Sendable (_ variant: Sheet.Variant, _ school: String, _ url: String, _ ent: String) -> [String]
    /// "L'accueil — Lycée Jean-Jaurès".
    var signature: @Sendable (_ school: String) -> String
    /// The attachment's file name, ASCII: "fiche-ENT-zoe.gerard.pdf".
    var attachmentName: @Sendable (_ login: String) -> String
}
