import FITS
import Foundation
import Pipeline

/// Test-only steps (no science step exists in this target): they exercise the daemon's machinery with real
/// products. `scicopy` copies SCI into `<TARGNAME>_<stem>_scicopy.fits` (so a hostile TARGNAME reaches the
/// product writer), `flaky` always fails as the system may (an I/O error), `refusing` rejects its input as a step
/// does, `pairsum` adds the SCI of a group's members.
enum TestSteps {
    static let registry = StepRegistry([SciCopyStep(), FlakyStep(), RefusingStep(), PairSumStep()])

    static let routing = RoutingTable(rules: [
        RoutingRule(step: "scicopy", instruments: ["NIRSPEC"], exposureTypes: ["NRS_IFU", "NRS_FIXEDSLIT"], suffixes: ["rate"]),
        RoutingRule(step: "flaky", instruments: ["NIRSPEC"], exposureTypes: ["NRS_MSASPEC"], suffixes: ["rate"]),
        RoutingRule(step: "refusing", instruments: ["NIRSPEC"], exposureTypes: ["NRS_BRIGHTOBJ"], suffixes: ["rate"]),
        RoutingRule(step: "pairsum", instruments: ["NIRSPEC"], exposureTypes: ["NRS_FIXEDSLIT"], suffixes: ["cal"]),
    ])
}

struct SciCopyStep: Step {
    let info = StepInfo(name: "scicopy", summary: "copies SCI (test step)", accepts: "NIRSpec rate", productSuffix: "scicopy",
                        statusKeyword: "S_SCICPY", parameters: [ParameterSpec("scale", default: .real(1), help: "factor"),
                                                                ParameterSpec("delay", default: .real(0), help: "seconds to take", range: 0...60)])

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        let input = inputs[0]
        var sci = try input.floatImage("SCI")
        let scale = Float(parameters.real("scale"))
        for i in sci.pixels.indices { sci.pixels[i] *= scale }
        context.progress(0.5, "scaled")
        try await Task.sleep(for: .milliseconds(Int(parameters.real("delay") * 1000)))
        var primary = input.primaryHeader
        primary.set(info.statusKeyword, .string("COMPLETE"))
        let name = "\(input.kind.targetName)_\(input.name.stem)_scicopy.fits"
        return [Product(fileName: name, hdus: [HDU(header: primary), HDU(name: "SCI", image: sci)], program: input.kind.program)]
    }
}

struct FlakyStep: Step {
    let info = StepInfo(name: "flaky", summary: "always fails (test step)", accepts: "NIRSpec MOS rate", productSuffix: "flaky",
                        statusKeyword: "S_FLAKY", parameters: [])

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        throw NSError(domain: NSPOSIXErrorDomain, code: Int(EIO), userInfo: [NSLocalizedDescriptionKey: "simulated transient trouble"])
    }
}

struct RefusingStep: Step {
    let info = StepInfo(name: "refusing", summary: "rejects its input (test step)", accepts: "NIRSpec BOTS rate", productSuffix: "refusing",
                        statusKeyword: "S_REFUSE", parameters: [])

    struct Refusal: Error, CustomStringConvertible { var description: String { "refusing needs exactly two inputs, got 1" } }

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        throw Refusal()
    }
}

/// Groups fixed-slit cal files by observation; complete with 3 members, runnable with 2.
struct PairSumStep: Step {
    let info = StepInfo(name: "pairsum", summary: "adds the SCI of a group (test step)", accepts: "NIRSpec FS cal",
                        productSuffix: "pairsum", statusKeyword: "S_PAIRSM", parameters: [])

    struct Rule: GroupingRule {
        func groupKey(for kind: ExposureKind, science: Header?) -> String? { "\(kind.program)-\(kind.observation)" }
        func isComplete(_ members: [ExposureKind]) -> Bool { members.count >= 3 }
        func isRunnable(_ members: [ExposureKind]) -> Bool { members.count >= 2 }
    }

    var grouping: (any GroupingRule)? { Rule() }

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        var sum = try inputs[0].floatImage("SCI")
        for input in inputs.dropFirst() {
            let sci = try input.floatImage("SCI")
            for i in sum.pixels.indices { sum.pixels[i] += sci.pixels[i] }
        }
        var primary = inputs[0].primaryHeader
        primary.set("NMEMBERS", .integer(inputs.count))
        let kind = inputs[0].kind
        return [Product(fileName: "jw\(kind.program)-o\(kind.observation)_pairsum.fits",
                        hdus: [HDU(header: primary), HDU(name: "SCI", image: sum)], program: kind.program)]
    }
}
