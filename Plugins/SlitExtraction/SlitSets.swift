import FITS
import Foundation
import Pipeline

/// The same slit (or, in a MOS observation, the same source) across the dithers and nods of one observation: what
/// one extraction fits together and one EXTRACT1D records.
struct SlitSet {
    /// SLTNAME, `source <SOURCEID>` for MOS, or `extension <EXTVER>` for a SCI without a slit name.
    var label: String
    var inputs: [Exposure] = []
    var slits: [SlitInput] = []
}

/// Splits multi-slit exposures (MultiSlitModel: one SCI/DQ/VAR_*/WAVELENGTH tuple per slit, EXTVER numbering them)
/// into slit sets in the order the first exposure lists them. A slit that cannot be read in one of the exposures
/// is left out whole (a set missing a dither would be extracted without saying so): it becomes a reason, not a
/// failure of the other slits.
enum SlitSets {
    static func group(_ exposures: [Exposure]) -> (sets: [SlitSet], skipped: [String]) {
        var sets: [SlitSet] = [], skipped: [String] = [], unreadable: Set<String> = []
        for exposure in exposures {
            for sci in exposure.hdus where sci.name == "SCI" {
                let label = label(of: sci.header, exposureType: exposure.kind.exposureType, version: sci.version)
                do {
                    let slit = try SlitInput(exposure, version: sci.version)
                    if let i = sets.firstIndex(where: { $0.label == label }) {
                        sets[i].inputs.append(exposure)
                        sets[i].slits.append(slit)
                    } else {
                        sets.append(SlitSet(label: label, inputs: [exposure], slits: [slit]))
                    }
                } catch {
                    skipped.append("\(label): \(error.description)")
                    unreadable.insert(label)
                }
            }
        }
        return (sets.filter { !unreadable.contains($0.label) }, skipped)
    }

    static func label(of science: Header, exposureType: String, version: Int) -> String {
        if exposureType == "NRS_MSASPEC", let source = science.integer("SOURCEID") { return "source \(source)" }
        if let name = science.string("SLTNAME")?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name.uppercased() }
        return "extension \(version)"
    }
}
