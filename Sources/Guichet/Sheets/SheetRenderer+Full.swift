import Foundation
import PDF

/// The full sheet: A4 portrait at the desk, or the same layout scaled to an A5 half page (2 per page).
///
/// From the top: the school and the sheet's number; the person (name, then class or children); the handover box
/// (login, and the code, or why there is none; the ENT's address as a QR code); the steps; the dates; a cut line;
/// the receipt the school keeps (who got it, which document was checked, a signature line). Every size is
/// A4's multiplied by `s`, so the A5 half is the same page at 71 %.
extension SheetDrawer {
    func drawFull(_ sheet: Sheet, in cell: Rect) throws {
        let s = cell.width / SheetRenderer.a4Width
        let margin = 44 * s
        let left = cell.x + margin, width = cell.width - 2 * margin, right = left + width
        let gray = 0.38
        var y = cell.y + 38 * s

        // The school, and the number that ties the sheet to the journal.
        let numberWidth = 150 * s
        try put(
            settings.schoolName(for: sheet.person), Rect(x: left, y: y, width: width - numberWidth - 10 * s, height: 22 * s),
            TextStyle(size: 15 * s, bold: true, wraps: false, shrinkToFit: true, minimumSize: 8 * s))
        try put(
            text.number(sheet.stamp.number), Rect(x: right - numberWidth, y: y + 3 * s, width: numberWidth, height: 16 * s),
            TextStyle(
                family: .mono, size: 10.5 * s, bold: true, alignment: .right, wraps: false, shrinkToFit: true, minimumSize: 6 * s)
        )
        y += 22 * s
        try put(
            text.title(ent), Rect(x: left, y: y, width: width, height: 14 * s),
            TextStyle(size: 9.5 * s, wraps: false, shrinkToFit: true, minimumSize: 6 * s, gray: gray))
        y += 19 * s
        document.line(from: Point(x: left, y: y), to: Point(x: right, y: y), stroke: Stroke(width: 1.2 * s))
        y += 18 * s

        // Who it is for. A long name shrinks (down to half size) rather than overflow; the role line wraps on two.
        let person = sheet.person
        try putName(
            SheetText.registerName(first: person.firstName, last: person.lastName),
            Rect(x: left, y: y, width: width, height: 31 * s), size: 23 * s, minimum: 12 * s)
        y += 33 * s
        let role = try put(
            text.role(person), Rect(x: left, y: y, width: width, height: 32 * s),
            TextStyle(size: 12 * s, shrinkToFit: true, minimumSize: 7 * s, gray: 0.15))
        y += max(min(role.height, 32 * s), 15 * s) + 16 * s

        y = try handoverBox(sheet, x: left, y: y, width: width, s: s) + 20 * s
        let owner = SheetText.spokenName(first: person.firstName, last: person.lastName)
        let intro = try put(
            text.intro(ent) + " " + text.personal(sheet.handover, owner), Rect(x: left, y: y, width: width, height: 40 * s),
            TextStyle(size: 10.5 * s, shrinkToFit: true, minimumSize: 7 * s, gray: 0.2))
        y += intro.height + 20 * s

        // The steps for this variant, numbered, then a short note.
        let (title, steps, note) = stepsText(sheet.variant)
        try put(title, Rect(x: left, y: y, width: width, height: 18 * s), TextStyle(size: 13.5 * s, bold: true))
        y += 24 * s
        for (index, step) in steps.enumerated() {
            let bullet = Rect(x: left, y: y - 1 * s, width: 17 * s, height: 17 * s)
            document.rect(bullet, fill: 0.15, cornerRadius: 8.5 * s)
            try put(
                String(index + 1), Rect(x: bullet.x, y: bullet.y + 2.6 * s, width: bullet.width, height: 13 * s),
                TextStyle(size: 9.5 * s, bold: true, alignment: .center, gray: 1))
            let m = try put(step, Rect(x: left + 27 * s, y: y, width: width - 27 * s, height: 60 * s), TextStyle(size: 11.5 * s))
            y += max(m.height, 17 * s) + 11 * s
        }
        if case .activated = sheet.variant, !settings.previousENTs.isEmpty {
            let m = try put(
                text.carriedOver(settings.previousENTs, ent), Rect(x: left, y: y, width: width, height: 30 * s),
                TextStyle(size: 10.5 * s, bold: true, shrinkToFit: true, minimumSize: 7 * s))
            y += m.height + 8 * s
        }
        y += 6 * s
        try put(note, Rect(x: left, y: y, width: width, height: 40 * s), TextStyle(size: 9.5 * s, italic: true, gray: gray))

        // From the bottom up: on paper, the receipt below the cut line, the dates just above it; by e-mail, the dates
        // at the foot (no cut line, no receipt, no signature box).
        guard medium == .paper else {
            try put(
                datesLine(sheet.stamp), Rect(x: left, y: cell.maxY - 50 * s, width: width, height: 12 * s),
                TextStyle(size: 8.5 * s, alignment: .center, wraps: false, shrinkToFit: true, minimumSize: 5 * s, gray: gray))
            return
        }
        let receiptHeight = 122 * s
        let cutY = cell.maxY - receiptHeight
        try put(
            datesLine(sheet.stamp), Rect(x: left, y: cutY - 30 * s, width: width, height: 12 * s),
            TextStyle(size: 8.5 * s, alignment: .center, wraps: false, shrinkToFit: true, minimumSize: 5 * s, gray: gray))
        try cutLine(y: cutY, from: cell.x + 14 * s, to: cell.maxX - 14 * s, s: s)
        try receipt(sheet, x: left, y: cutY + 20 * s, width: width, s: s)
    }

    /// The grey box with the login, the code (or why there is none) and the QR code; returns its bottom edge.
    private func handoverBox(_ sheet: Sheet, x: Double, y: Double, width: Double, s: Double) throws -> Double {
        let height = 158 * s, pad = 18 * s, qrSide = 108 * s
        let box = Rect(x: x, y: y, width: width, height: height)
        document.rect(box, fill: 0.94, stroke: Stroke(width: 0.6 * s, gray: 0.75), cornerRadius: 9 * s)
        let column = width - 3 * pad - qrSide
        let cx = x + pad
        // Letter spacing kept under a tenth of the size: more, and text extraction (search, screen readers) reads letters.
        let label = TextStyle(size: 8 * s, bold: true, gray: 0.38, letterSpacing: 0.6 * s)
        if case .federated(let services) = sheet.variant {
            // No login to hand over: the services take its place.
            try put(text.federatedLabel, Rect(x: cx, y: y + pad, width: column, height: 11 * s), label)
            try put(
                text.federatedServices(services), Rect(x: cx, y: y + pad + 13 * s, width: column, height: 28 * s),
                TextStyle(size: 18 * s, bold: true, wraps: false, shrinkToFit: true, minimumSize: 8 * s))
        } else {
            try put(text.loginLabel, Rect(x: cx, y: y + pad, width: column, height: 11 * s), label)
            try put(
                sheet.person.login, Rect(x: cx, y: y + pad + 13 * s, width: column, height: 28 * s),
                TextStyle(family: .mono, size: 20 * s, bold: true, wraps: false, shrinkToFit: true, minimumSize: 8 * s))
        }
        let lower = y + pad + 56 * s
        switch sheet.variant {
        case .notActivated(let code):
            try put(text.codeLabel, Rect(x: cx, y: lower, width: column, height: 11 * s), label)
            try put(
                code, Rect(x: cx, y: lower + 13 * s, width: column, height: 40 * s),
                TextStyle(
                    family: .mono, size: 30 * s, bold: true, wraps: false, shrinkToFit: true, minimumSize: 12 * s,
                    letterSpacing: 5 * s))
            try put(
                text.codeHint, Rect(x: cx, y: lower + 55 * s, width: column, height: 22 * s),
                TextStyle(size: 7.5 * s, shrinkToFit: true, minimumSize: 5 * s, gray: 0.38))
        case .activated:
            try put(text.activatedLabel, Rect(x: cx, y: lower, width: column, height: 11 * s), label)
            try put(
                text.activatedBox, Rect(x: cx, y: lower + 15 * s, width: column, height: 50 * s),
                TextStyle(size: 11 * s, shrinkToFit: true, minimumSize: 6 * s))
        case .federated(let services):
            try put(
                text.federatedBox(ent, services), Rect(x: cx, y: lower, width: column, height: 65 * s),
                TextStyle(size: 11 * s, shrinkToFit: true, minimumSize: 6 * s))
        }
        let qrX = x + width - pad - qrSide
        try document.qrCode(settings.entURL, in: Rect(x: qrX, y: y + pad - 4 * s, width: qrSide, height: qrSide))
        try put(
            settings.entURL, Rect(x: qrX - 20 * s, y: y + pad + qrSide - 2 * s, width: qrSide + 40 * s, height: 12 * s),
            TextStyle(
                family: .mono, size: 8.5 * s, bold: true, alignment: .center, wraps: false, shrinkToFit: true, minimumSize: 4 * s)
        )
        try put(
            text.qrCaption(ent), Rect(x: qrX - 20 * s, y: y + pad + qrSide + 11 * s, width: qrSide + 40 * s, height: 11 * s),
            TextStyle(size: 7.5 * s, alignment: .center, wraps: false, shrinkToFit: true, minimumSize: 4 * s, gray: 0.38))
        return box.maxY
    }

    func stepsText(_ variant: Sheet.Variant) -> (String, [String], String) {
        switch variant {
        case .notActivated:
            (text.firstConnectionTitle, text.firstConnectionSteps(settings.entURL, ent), text.firstConnectionNote)
        case .activated:
            (text.activatedTitle, text.activatedSteps(settings.entURL, ent), text.activatedNote)
        case .federated(let services):
            (text.federatedTitle, text.federatedSteps(settings.entURL, ent, services), text.federatedNote)
        }
    }

    /// A dashed line across the cell with scissors and the instruction above it, at the left.
    private func cutLine(y: Double, from x0: Double, to x1: Double, s: Double) throws {
        document.line(
            from: Point(x: x0 + 20 * s, y: y), to: Point(x: x1, y: y),
            stroke: Stroke(width: 0.7 * s, gray: 0.45, dash: [5 * s, 3.5 * s]))
        try put("✂", Rect(x: x0, y: y - 8 * s, width: 18 * s, height: 16 * s), TextStyle(size: 12 * s, gray: 0.35))
        try put(
            text.cutHere, Rect(x: x0 + 24 * s, y: y - 12 * s, width: x1 - x0 - 24 * s, height: 10 * s),
            TextStyle(size: 7 * s, italic: true, wraps: false, shrinkToFit: true, minimumSize: 4 * s, gray: 0.45))
    }

    /// The part the school keeps: no code on it, only who got the sheet and how their identity was checked.
    private func receipt(_ sheet: Sheet, x: Double, y: Double, width: Double, s: Double) throws {
        var y = y
        try put(text.receiptTitle, Rect(x: x, y: y, width: width, height: 14 * s), TextStyle(size: 10 * s, bold: true))
        y += 17 * s
        let name = SheetText.registerName(first: sheet.person.firstName, last: sheet.person.lastName)
        let account = try put(
            text.receiptAccount(sheet.stamp.number, name, sheet.person.login), Rect(x: x, y: y, width: width, height: 22 * s),
            TextStyle(size: 9 * s, shrinkToFit: true, minimumSize: 5 * s))
        y += max(account.height, 12 * s) + 2 * s
        let printed = text.formattedDayAndTime(sheet.stamp.printedAt, in: settings.timeZone)
        let handed = try put(
            text.receiptHandedTo(printed, sheet.stamp.handedTo), Rect(x: x, y: y, width: width, height: 24 * s),
            TextStyle(size: 9 * s, shrinkToFit: true, minimumSize: 5 * s))
        y += max(handed.height, 12 * s) + 12 * s
        try put(text.receiptSignature, Rect(x: x, y: y, width: width / 2, height: 12 * s), TextStyle(size: 9 * s))
        document.line(
            from: Point(x: x + 150 * s, y: y + 11 * s), to: Point(x: x + width, y: y + 11 * s),
            stroke: Stroke(width: 0.5 * s, gray: 0.5, dash: [1 * s, 2 * s]))
    }
}
