import FITS
import Foundation

/// Records in a product's primary header how it was made: its file name, the step's status keyword (COMPLETE
/// unless the step set it, for instance to SKIPPED), Webbflow version, step, every parameter value, the inputs with
/// their content hashes, the quick-look picture drawn beside it, and a HISTORY line.
public enum Provenance {
    /// Webbflow as the software of ASDF trees and their history entries.
    public static let software = ASDFSoftware(name: "webbflow", version: WebbflowVersion.current, author: "Webbflow")

    /// Stamps `header` and returns the HISTORY line it added, which the product's ASDF history repeats.
    @discardableResult
    public static func stamp(
        _ header: inout Header, fileName: String, step: StepManifest, parameters: ParameterValues,
        inputs: [Exposure], picture: String? = nil
    ) -> String {
        let now = ISO8601DateFormatter().string(from: Date())
        header.set("DATE", .string(String(now.prefix(19))), comment: "UTC date this file was written")
        header.set("FILENAME", .string(fileName), comment: "Name of the file")
        // A step without a status keyword (an external step may have none) leaves the header as it was.
        if !step.statusKeyword.isEmpty && header[step.statusKeyword] == nil {
            header.set(step.statusKeyword, .string("COMPLETE"), comment: "Webbflow \(step.name)")
        }
        header.addSection("Webbflow provenance")
        header.set("WBF_VER", .string(WebbflowVersion.current), comment: "Webbflow version")
        header.set("WBF_STEP", .string(step.name), comment: "Webbflow step that wrote this product")
        for (name, value) in parameters.ordered {
            header.set("WBF \(name.uppercased())", value.headerValue, comment: "step parameter \(name)")
        }
        for (index, input) in inputs.enumerated() {
            let hash = input.contentHash ?? "in-memory"
            header.set("WBFIN\(index + 1)", .string(input.name.fileName), comment: "input file")
            header.set("WBFHS\(index + 1)", .string(hash), comment: "input content hash (XXH3-128)")
        }
        if let picture { header.set("WBF_PICT", .string(picture), comment: "quick-look picture beside this file") }
        let settings = parameters.ordered.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
        let history = "Webbflow \(WebbflowVersion.current) step \(step.name) \(now): \(settings)"
        header.addHistory(history)
        return history
    }
}
