/// Every sentence of the renewal slip, in one place per language (the slip is printed in French, with French
/// typography: no-break spaces inside « » and before : ;).
struct RenewalSlipWording: Sendable {
    let title: String
    let person: String
    let login: String
    let codeLabel: String
    let validUntil: @Sendable (String) -> String
    let howTitle: String
    let steps: @Sendable (String) -> [String]
    let notices: [String]
    let footer: @Sendable (Int64) -> String

    static let french = RenewalSlipWording(
        title: "Code de renouvellement ENT — à usage unique",
        person: "Pour\u{00A0}:",
        login: "Identifiant\u{00A0}:",
        codeLabel: "Code de renouvellement",
        validUntil: { "Valable une seule fois, jusqu’au \($0)." },
        howTitle: "Comment s’en servir",
        steps: { url in [
            "Allez sur \(url) et choisissez «\u{00A0}Identifiant ou mot de passe oublié\u{00A0}», puis «\u{00A0}J’ai un code de renouvellement\u{00A0}».",
            "Saisissez votre identifiant et ce code (les espaces ne comptent pas).",
            "Choisissez un nouveau mot de passe, puis vérifiez ou corrigez votre adresse électronique.",
        ] },
        notices: [
            "Ce code n’est conservé nulle part en clair\u{00A0}: il ne pourra être ni réaffiché ni réimprimé. En cas de perte, "
                + "demandez un nouveau code à l’accueil\u{00A0}; celui-ci cessera alors de fonctionner.",
            "Ne communiquez ce code à personne. L’établissement ne vous le demandera jamais, ni par téléphone ni par courriel.",
        ],
        footer: { "Journal Guichet n° \($0)" })
}
