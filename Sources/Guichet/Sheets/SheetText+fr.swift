import Foundation

/// The sheets' French wording, all of it.
extension SheetText {
    static let french = SheetText(
        title: "Espace numérique de travail — fiche de connexion personnelle",
        number: { "Fiche n° \($0)" },
        profile: { profile in
            switch profile {
            case .student: "Élève"
            case .relative: "Parent"
            case .teacher: "Enseignant"
            case .personnel: "Personnel"
            case .guest: "Invité"
            }
        },
        role: { person in
            switch person.profile {
            case .student:
                return person.classes.isEmpty ? "Élève" : "Élève de " + person.classes.joined(separator: ", ")
            case .relative:
                guard !person.children.isEmpty else { return "Parent d'élève" }
                let named = person.children.enumerated().map { index, child in
                    let name = spokenName(first: child.firstName, last: child.lastName)
                    let classes = child.classes.isEmpty ? "" : " (" + child.classes.joined(separator: ", ") + ")"
                    return (index == 0 ? "" : frenchDe(name)) + name + classes
                }
                // "Parent de A (x), de B (y) et de C (z)": the first "de" elides too ("Parent d'Inès").
                let first = frenchDe(named[0]) + named[0]
                let rest = Array(named.dropFirst())
                guard let last = rest.last else { return "Parent " + first }
                return "Parent " + ([first] + rest.dropLast()).joined(separator: ", ") + " et " + last
            case .teacher:
                return person.classes.isEmpty ? "Enseignant" : "Enseignant · " + person.classes.joined(separator: ", ")
            case .personnel: return "Personnel de l'établissement"
            case .guest: return "Invité"
            }
        },
        loginLabel: "IDENTIFIANT",
        codeLabel: "CODE D'ACTIVATION",
        codeHint: "à saisir tel quel, en minuscules, sans espace — valable pour la première connexion seulement",
        activatedLabel: "COMPTE DÉJÀ ACTIVÉ",
        activatedBox: "Vous avez déjà choisi votre mot de passe : connectez-vous avec l'identifiant ci-dessus et ce mot de passe.",
        federatedLabel: "CONNEXION",
        federatedBox: { "Ce compte se connecte avec \($0) : pas de code d'activation, pas de mot de passe ENT à choisir." },
        qrCaption: "Adresse de l'ENT",
        intro: "L'ENT donne accès au cahier de textes, à l'emploi du temps, aux notes et à la messagerie de l'établissement. Cette fiche est personnelle : ne la confiez à personne.",
        firstConnectionTitle: "Première connexion",
        firstConnectionSteps: { url in [
            "Ouvrez \(url) dans un navigateur (ou scannez le code QR avec un téléphone).",
            "Saisissez votre identifiant et votre code d'activation, tels qu'imprimés ci-dessus.",
            "Choisissez votre mot de passe et saisissez-le deux fois.",
            "Indiquez votre adresse électronique ; vous pouvez aussi donner un numéro de téléphone portable (facultatif).",
            "Lisez et acceptez la charte d'utilisation de l'ENT : votre compte est activé.",
        ] },
        firstConnectionNote: "Le code d'activation ne sert qu'une fois. Gardez votre mot de passe pour vous : l'établissement ne vous le demandera jamais. Conservez cette fiche en lieu sûr ou détruisez-la après l'activation.",
        activatedTitle: "Mot de passe oublié ?",
        activatedSteps: { url in [
            "Ouvrez \(url) et cliquez sur « Mot de passe oublié » sous le formulaire de connexion.",
            "Saisissez votre identifiant : un lien pour choisir un nouveau mot de passe est envoyé à l'adresse électronique de votre compte.",
            "Vous n'avez plus accès à cette adresse ? Présentez-vous à l'accueil avec une pièce d'identité : un code de renouvellement vous sera remis.",
        ] },
        activatedNote: "Gardez votre mot de passe pour vous : l'établissement ne vous le demandera jamais.",
        federatedTitle: "Se connecter",
        federatedSteps: { url, service in [
            "Ouvrez \(url) dans un navigateur (ou scannez le code QR avec un téléphone).",
            "Choisissez « Se connecter avec \(service) ».",
            "Identifiez-vous avec votre compte \(service) : l'ENT vous reconnaît, sans code ni mot de passe propre à l'ENT.",
        ] },
        federatedNote: "En cas de difficulté pour vous connecter, adressez-vous à l'accueil de l'établissement.",
        firstConnectionShort: "Première connexion : ouvrez l'adresse ci-contre, saisissez l'identifiant et le code, choisissez un mot de passe (deux fois), indiquez votre courriel (téléphone facultatif), acceptez la charte.",
        activatedShort: "Compte déjà activé. Mot de passe oublié : lien « Mot de passe oublié » sur la page de connexion, ou un code de renouvellement à l'accueil.",
        federatedShort: { "Connexion avec \($0) : ouvrez l'adresse ci-contre et choisissez « Se connecter avec \($0) ». Pas de code d'activation." },
        dates: { data, printed in
            (data.map { "Données ENT du \($0)" } ?? "Données ENT : date inconnue") + " · fiche imprimée le \(printed)"
        },
        cutHere: "Découper ici : le haut est remis à la personne, le bas reste à l'établissement.",
        receiptTitle: "Récépissé de remise — à conserver par l'établissement",
        receiptAccount: { number, name, login in "Fiche n° \(number) — compte de \(name) (\(login))" },
        receiptHandedTo: { printed, handedTo in
            guard let handedTo else { return "Remise le ………………………… à ……………………………………………… · pièce d'identité vérifiée : ……………………" }
            let who = spokenName(first: handedTo.firstName, last: handedTo.lastName) + (handedTo.isParent ? " (parent)" : "")
            return "Remise le \(printed) à \(who) · pièce d'identité vérifiée : \(frenchDocument(handedTo.idCheck)) · par \(handedTo.staff)"
        },
        receiptSignature: "Signature de la personne :",
        idCheck: frenchDocument,
        day: { "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????")" },
        dayAndTime: { "\(two($0.day))/\(two($0.month))/\($0.year.map(String.init) ?? "????") à \(two($0.hour)):\(two($0.minute))" },
        mail: MailWording(
            subject: "Votre compte ENT",
            greeting: { "Bonjour \($0)," },
            body: { variant, school, url in
                let sheet: [String]
                switch variant {
                case .notActivated:
                    sheet = ["Vous trouverez en pièce jointe votre fiche de connexion à l'ENT de \(school) : votre identifiant et votre code d'activation, avec les étapes de la première connexion.",
                             "Ouvrez \(url), saisissez l'identifiant et le code tels qu'ils sont imprimés, puis choisissez votre mot de passe."]
                case .activated:
                    sheet = ["Votre compte ENT est déjà activé. Vous trouverez en pièce jointe un rappel de votre identifiant et la marche à suivre si vous avez oublié votre mot de passe.",
                             "Sur \(url), utilisez le lien « Mot de passe oublié » ; si vous n'avez plus accès à votre adresse électronique, présentez-vous à l'accueil avec une pièce d'identité."]
                case .federated(let service):
                    sheet = ["Vous trouverez en pièce jointe comment vous connecter à l'ENT de \(school) : avec votre compte \(service), sans code d'activation.",
                             "Ouvrez \(url) et choisissez « Se connecter avec \(service) »."]
                }
                return sheet + ["Ce message vous est personnel. Si vous n'êtes pas concerné, ignorez-le et signalez-le à l'établissement."]
            },
            signature: { "L'accueil — \($0)" },
            attachmentName: { "fiche-ENT-\($0).pdf" }))

    static func frenchDocument(_ check: IDCheck) -> String {
        switch check {
        case .cni: "carte nationale d'identité"
        case .passport: "passeport"
        case .residencePermit: "titre de séjour"
        case .drivingLicence: "permis de conduire"
        case .known: "personne connue de l'établissement"
        case .other: "autre document"
        }
    }

    /// "de " or "d'" before a name: French elides before a vowel or a mute h ("d'Inès", "d'Hugo", "de Zoé").
    static func frenchDe(_ name: String) -> String {
        guard let first = Folding.fold(String(name.prefix(1))).first else { return "de " }
        return "aeiouh".contains(first) ? "d'" : "de "
    }
}
