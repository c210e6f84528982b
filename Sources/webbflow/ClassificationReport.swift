import Foundation
import Pipeline

/// Formats classifications as an aligned table or JSON lines.
enum ClassificationReport {
    static func fields(_ c: Classification) -> [String: String] {
        let k = c.kind
        return [
            "file": c.name.fileName,
            "path": c.path,
            "instrument": k?.instrument ?? "",
            "exp_type": k?.exposureType ?? "",
            "detector": k?.detector ?? "",
            "suffix": c.name.suffix,
            "cutout": c.name.cutout ?? "",
            "optical_elements": k?.opticalElements ?? "",
            "verdict": c.verdict.stepName.map { "route:\($0)" } ?? "skip",
            "reason": c.verdict.reason,
            "skip_reason": { if case .skip(let r, _) = c.verdict { r.rawValue } else { "" } }(),
        ]
    }

    static func json(_ c: Classification) -> String {
        let data = try? JSONSerialization.data(withJSONObject: fields(c), options: [.sortedKeys, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func table(_ rows: [Classification]) -> String {
        let columns = ["file", "instrument", "exp_type", "suffix", "optical_elements", "verdict", "reason"]
        let headers = ["FILE", "INSTRUMENT", "EXP_TYPE", "SUFFIX", "ELEMENTS", "VERDICT", "REASON"]
        let cells = rows.map { row in
            columns.map { column in
                // A cut-out says so beside its suffix: its name is not a pipeline product's, though its content is.
                if column == "suffix", let tag = row.name.cutout { return "\(row.name.suffix) (cut-out \(tag))" }
                return fields(row)[column] ?? ""
            }
        }
        return TextTable.render(headers: headers, rows: cells)
    }
}

/// A plain aligned text table.
enum TextTable {
    static func render(headers: [String], rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count - 1 { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}
