import Foundation
import PDF

/// The card of an 8-up page (105 × 74 mm): the same facts as the full sheet in small type, the steps in one
/// sentence, no receipt (a batch is one journal row; the cards are handed out by class).
extension SheetDrawer {
    func drawCard(_ sheet: Sheet, in cell: Rect) throws {
        let pad = 17.0
        let left = cell.x + pad, width = cell.width - 2 * pad, right = left + width
        let gray = 0.38
        var y = cell.y + 15

        let numberWidth = 78.0
        try put(
            settings.schoolName(for: sheet.person), Rect(x: left, y: y, width: width - numberWidth - 6, height: 10),
            TextStyle(size: 7.5, bold: true, wraps: false, shrinkToFit: true, minimumSize: 4.5))
        try put(
            text.number(sheet.stamp.number), Rect(x: right - numberWidth, y: y + 0.8, width: numberWidth, height: 9),
            TextStyle(family: .mono, size: 6.5, bold: true, alignment: .right, wraps: false, shrinkToFit: true, minimumSize: 4))
        y += 10
        try put(
            text.title(ent), Rect(x: left, y: y, width: width, height: 8),
            TextStyle(size: 5.5, wraps: false, shrinkToFit: true, minimumSize: 4, gray: gray))
        y += 10
        document.line(from: Point(x: left, y: y), to: Point(x: right, y: y), stroke: Stroke(width: 0.6))
        y += 5

        let person = sheet.person
        try putName(
            SheetText.registerName(first: person.firstName, last: person.lastName),
            Rect(x: left, y: y, width: width, height: 16), size: 12.5, minimum: 7.5)
        y += 17
        try put(
            text.role(person), Rect(x: left, y: y, width: width, height: 18),
            TextStyle(size: 7.5, shrinkToFit: true, minimumSize: 4.5, gray: 0.15))
        y += 21

        // The handover box: login and code (or the state) on the left, the ENT's QR code on the right.
        let boxHeight = 68.0, boxPad = 7.0, qrSide = 58.0
        document.rect(
            Rect(x: left, y: y, width: width, height: boxHeight), fill: 0.94,
            stroke: Stroke(width: 0.4, gray: 0.75), cornerRadius: 5)
        let column = width - 3 * boxPad - qrSide, cx = left + boxPad
        let label = TextStyle(size: 5.5, bold: true, gray: gray, letterSpacing: 0.4)
        if case .federated(let services) = sheet.variant {
            // No login to hand over: the services take its place.
            try put(text.federatedLabel, Rect(x: cx, y: y + boxPad, width: column, height: 7), label)
            try put(
                text.federatedServices(services), Rect(x: cx, y: y + boxPad + 8, width: column, height: 15),
                TextStyle(size: 10, bold: true, wraps: false, shrinkToFit: true, minimumSize: 5))
        } else {
            try put(text.loginLabel, Rect(x: cx, y: y + boxPad, width: column, height: 7), label)
            try put(
                person.login, Rect(x: cx, y: y + boxPad + 8, width: column, height: 15),
                TextStyle(family: .mono, size: 11, bold: true, wraps: false, shrinkToFit: true, minimumSize: 5))
        }
        let lower = y + boxPad + 27
        switch sheet.variant {
        case .notActivated(let code):
            try put(text.codeLabel, Rect(x: cx, y: lower, width: column, height: 7), label)
            try put(
                code, Rect(x: cx, y: lower + 8, width: column, height: 21),
                TextStyle(
                    family: .mono, size: 16, bold: true, wraps: false, shrinkToFit: true, minimumSize: 7, letterSpacing: 2.5))
        case .activated:
            try put(text.activatedLabel, Rect(x: cx, y: lower, width: column, height: 7), label)
            try put(
                text.activatedBox, Rect(x: cx, y: lower + 8, width: column, height: 24),
                TextStyle(size: 6.3, shrinkToFit: true, minimumSize: 4))
        case .federated(let services):
            try put(
                text.federatedBox(ent, services), Rect(x: cx, y: lower, width: column, height: 32),
                TextStyle(size: 6.3, shrinkToFit: true, minimumSize: 4))
        }
        let qrX = left + width - boxPad - qrSide + 3
        try document.qrCode(settings.entURL, in: Rect(x: qrX, y: y + 1, width: qrSide, height: qrSide))
        try put(
            settings.entURL, Rect(x: qrX - 16, y: y + qrSide - 0.5, width: qrSide + 16, height: 8),
            TextStyle(family: .mono, size: 5.5, bold: true, alignment: .center, wraps: false, shrinkToFit: true, minimumSize: 3.5)
        )
        y += boxHeight + 6

        // The steps in one sentence, then the dates at the foot of the card.
        let footY = cell.maxY - 14 - 7
        let short: String
        switch sheet.variant {
        case .notActivated: short = text.firstConnectionShort
        case .activated: short = text.activatedShort
        case .federated(let services): short = text.federatedShort(services)
        }
        try put(
            short, Rect(x: left, y: y, width: width, height: footY - y - 3),
            TextStyle(size: 6.4, shrinkToFit: true, minimumSize: 4))
        try put(
            datesLine(sheet.stamp), Rect(x: left, y: footY, width: width, height: 8),
            TextStyle(size: 5.3, alignment: .center, wraps: false, shrinkToFit: true, minimumSize: 3.5, gray: gray))
    }
}
