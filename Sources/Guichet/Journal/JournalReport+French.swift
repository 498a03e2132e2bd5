import Foundation

/// Every French word the printed daily report uses, in one place (the kiosk's own are in Kiosk/web/i18n).
enum ReportFrench {
    static let title = "Journal du guichet — rapport de la journée"
    static let chain = "Chaîne du journal"
    static let activity = "Activité de la journée"
    static let byStaff = "Par agent"
    static let byAction = "Par action"
    static let toReview = "À examiner"
    static let nothingToReview = "Rien à signaler : aucune action n'appelle d'examen particulier."
    static let sensitive = "Actions sensibles"
    static let sensitiveNote =
        "Fiches, codes, connexions refusées, comptes du personnel, import et journal, une ligne par action. Les recherches, fiches consultées, connexions et déconnexions sont comptées plus haut."
    static let noSensitive = "Aucune action sensible ce jour-là."
    static let signOffs = "Validations déjà enregistrées pour cette journée"
    static let visa = "Visa du responsable de la revue"
    static let nameAndRole = "Nom et fonction :"
    static let date = "Date :"
    static let signature = "Signature :"
    static let columns = ["N°", "Heure", "Agent", "Action", "Compte"]
    static func triedName(_ name: String) -> String { "identifiant tenté : \(name)" }
    static let nobody = "—"

    static func dayLine(_ day: JournalDay, timeZone: String) -> String { "Journée du \(longDay(day)) (heure de \(timeZone))" }

    static func headLine(_ seq: Int64) -> String { "Tête de la chaîne à la fin de la journée : entrée n° \(number(seq))" }
    static let noHead = "Le journal ne contient encore aucune entrée à la fin de cette journée."
    static let fingerprint = "Empreinte SHA-256 de cette entrée :"

    static func verified(_ v: JournalVerification) -> String {
        "Vérification à l'édition : chaîne intègre — \(number(Int64(v.count))) entrées conservées (n° \(number(v.firstSeq)) à \(number(v.headSeq))), \(v.signOffsChecked) validation(s) contrôlée(s)."
    }

    static func broken(_ error: JournalError) -> String {
        guard case .broken(let seq, let reason) = error else {
            return "ATTENTION — journal NON VÉRIFIABLE (\(error)). Prévenez le référent informatique avant de signer."
        }
        return
            "ATTENTION — chaîne ROMPUE à l'entrée n° \(number(seq)) (\(reason)). Prévenez le référent informatique avant de signer."
    }

    static func dayEntries(_ count: Int, first: Int64?, last: Int64?) -> String {
        guard let first, let last else { return "Aucune entrée ce jour-là." }
        return "\(number(Int64(count))) entrée(s) ce jour-là, n° \(number(first)) à \(number(last))."
    }

    static func footer(_ day: JournalDay, generatedAt: String, by: String) -> String {
        "Guichet — journal du \(shortDay(day)) — édité le \(generatedAt) par \(by)"
    }

    static func page(_ n: Int, of total: Int) -> String { "Page \(n) / \(total)" }

    static func statement(upTo: Int64, head: String) -> String {
        "Je certifie avoir examiné le journal de cette journée jusqu'à l'entrée n° \(number(upTo)), d'empreinte \(String(head.prefix(16)).grouped(by: 8))…, et l'avoir validé dans Guichet."
    }

    static func signOff(_ s: SignOff, time: String) -> String {
        "Validée par \(s.by ?? nobody) le \(time), jusqu'à l'entrée n° \(number(s.upTo)) (empreinte \(String(s.head.prefix(16)).grouped(by: 8))…) — entrée n° \(number(s.seq))."
    }

    /// French label of an action; exhaustive, so a new kind of action cannot ship without one.
    static func action(_ raw: String) -> String {
        guard let action = JournalAction(rawValue: raw) else { return raw }
        switch action {
        case .importRun: return "Import de l'export ENT"
        case .signIn: return "Connexion"
        case .signInFailed: return "Connexion refusée"
        case .signOut: return "Déconnexion"
        case .search: return "Recherche"
        case .accountViewed: return "Fiche consultée"
        case .codeRevealed: return "Code d'activation affiché"
        case .staffAdded: return "Agent ajouté"
        case .staffDisabled: return "Agent désactivé"
        case .staffPasswordChanged: return "Mot de passe d'agent changé"
        case .sheetPrinted: return "Fiche imprimée"
        case .batchPrinted: return "Lot de fiches imprimé"
        case .printFailed: return "Impression refusée par l'imprimante"
        case .batchExported: return "Sélection exportée (CSV)"
        case .renewalIssued: return "Code de renouvellement délivré"
        case .renewalSlipPrinted: return "Code de renouvellement imprimé"
        case .renewalRedeemed: return "Code de renouvellement utilisé"
        case .renewalRefused: return "Code de renouvellement refusé"
        case .renewalVoided: return "Code de renouvellement annulé"
        case .apiKeyCreated: return "Clé d'API créée"
        case .apiKeyRevoked: return "Clé d'API révoquée"
        case .journalExported: return "Journal exporté"
        case .reviewSignedOff: return "Journée validée"
        case .journalPurged: return "Journal purgé (conservation)"
        case .mailQueued: return "Fiche à envoyer par e-mail"
        case .mailSent: return "Fiche envoyée par e-mail"
        case .mailFailed: return "Envoi par e-mail échoué"
        case .signInFailures: return "Connexions refusées (rafale)"
        case .staffRoleChanged: return "Rôle d'agent changé"
        case .renewalIssueFailed: return "Code de renouvellement non délivré (ENT)"
        case .sheetRefused: return "Fiche non imprimée (compte bloqué dans l'ENT)"
        case .journalKeyed: return "Journal scellé par clé"
        case .databaseRestored: return "Base restaurée depuis une sauvegarde"
        }
    }

    static func flag(_ f: ReviewFlag, time: (String) -> String) -> (title: String, text: String) {
        let span = f.from == f.to ? "à \(time(f.from))" : "de \(time(f.from)) à \(time(f.to))"
        let rows = "entrée(s) n° " + f.seqs.prefix(12).map { number($0) }.joined(separator: ", ") + (f.seqs.count > 12 ? "…" : "")
        let who = f.staff.map { " par \($0)" } ?? ""
        switch f.kind {
        case .repeatedForAccount:
            return (
                "Plusieurs fiches ou codes pour un même compte",
                "\(f.target ?? nobody) : \(f.count) fois\(who), \(span) — \(rows)"
            )
        case .outsideHours:
            return (
                "Hors des heures d'ouverture",
                "\(f.staff ?? "sans agent (connexion refusée)") : \(f.count) action(s), \(span) — \(rows)"
            )
        case .burst:
            return ("Rafale de fiches", "\(f.staff ?? nobody) : \(f.count) fiches \(span) — \(rows)")
        case .signInFailures:
            return ("Connexions refusées", "identifiant « \(f.target ?? "") » : \(f.count) échec(s), \(span) — \(rows)")
        case .staffAccount:
            let profile = f.profile == "Teacher" ? "enseignant" : "personnel"
            return (
                "Fiche ou code pour un compte du personnel",
                "\(f.target ?? nobody) (\(profile)) : \(f.count) fois\(who), \(span) — \(rows)"
            )
        }
    }

    /// "1 234": French thousands use a (narrow no-break) space.
    static func number(_ n: Int64) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 && c.isNumber { out += "\u{202F}" }
            out.append(c)
        }
        return out
    }

    static let weekdays = ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"]
    static let months = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre"
    ]

    /// "vendredi 21 novembre 2026" (written out here rather than through ICU, so the report reads the same on any
    /// machine whatever its locales).
    static func longDay(_ d: JournalDay) -> String {
        let weekday = JournalDay.calendar(.gmt).component(.weekday, from: d.start(in: .gmt))
        return "\(weekdays[weekday - 1]) \(d.day == 1 ? "1er" : String(d.day)) \(months[d.month - 1]) \(d.year)"
    }

    static func shortDay(_ d: JournalDay) -> String { String(format: "%02d/%02d/%04d", d.day, d.month, d.year) }
}
