import FITS
import Foundation
import Pipeline

/// Test-only steps (no science step exists in this target): they exercise the daemon's machinery with real
/// products. `scicopy` copies SCI into `<TARGNAME>_<stem>_scicopy.fits` (so a hostile TARGNAME reaches the
/// product writer), `flaky` always fails as the system may (an I/O error), `refusing` rejects its input as a step
/// does, `pairsum` adds the SCI of a group's members.
enum TestSteps {
    static let registry = StepRegistry([SciCopyStep(), FlakyStep(), RefusingStep(), PairSumStep()])

    /// NIRSpec files of `types` with `suffix`.
    static func nirspec(_ types: Set<String>, _ suffix: String) -> [Route] {
        [Route(instruments: ["NIRSPEC"], exposureTypes: types, suffixes: [suffix])]
    }
}

struct SciCopyStep: TypedStep {
    struct Options: StepOptions {
        var scale = 1.0
        var delay = 0.0
        static let declarations: [OptionDeclaration<Self>] = [
            .number("scale", \.scale, help: "factor"), .number("delay", \.delay, help: "seconds to take", range: 0...60),
        ]
    }

    let manifest = StepManifest(
        name: "scicopy", summary: "copies SCI (test step)", routes: TestSteps.nirspec(["NRS_IFU", "NRS_FIXEDSLIT"], "rate"),
        productSuffix: "scicopy", statusKeyword: "S_SCICPY", options: Options.self)

    func run(_ inputs: [Exposure], options: Options, context: StepContext) async throws -> [Product] {
        let input = inputs[0]
        var sci = try input.floatImage("SCI")
        for i in sci.pixels.indices { sci.pixels[i] *= Float(options.scale) }
        context.progress(0.5, "scaled")
        try await Task.sleep(for: .milliseconds(Int(options.delay * 1000)))
        let primary = input.primaryHeader
        let name = "\(input.kind.targetName)_\(input.name.stem)_scicopy.fits"
        return [Product(fileName: name, hdus: [HDU(header: primary), HDU(name: "SCI", image: sci)], program: input.kind.program)]
    }
}

struct FlakyStep: Step {
    let manifest = StepManifest(
        name: "flaky", summary: "always fails (test step)", routes: TestSteps.nirspec(["NRS_MSASPEC"], "rate"),
        productSuffix: "flaky", statusKeyword: "S_FLAKY")

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        throw NSError(domain: NSPOSIXErrorDomain, code: Int(EIO), userInfo: [NSLocalizedDescriptionKey: "simulated transient trouble"])
    }
}

struct RefusingStep: Step {
    let manifest = StepManifest(
        name: "refusing", summary: "rejects its input (test step)", routes: TestSteps.nirspec(["NRS_BRIGHTOBJ"], "rate"),
        productSuffix: "refusing", statusKeyword: "S_REFUSE")

    struct Refusal: ClassifiedFailure, CustomStringConvertible {
        var failureKind: FailureKind { .invalidInput }
        var description: String { "refusing needs exactly two inputs, got 1" }
    }

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        throw Refusal()
    }
}

/// Groups fixed-slit cal files by observation; complete with 3 members, runnable with 2.
struct PairSumStep: Step {
    let manifest = StepManifest(
        name: "pairsum", summary: "adds the SCI of a group (test step)", routes: TestSteps.nirspec(["NRS_FIXEDSLIT"], "cal"),
        productSuffix: "pairsum", statusKeyword: "S_PAIRSM", grouping: Rule())

    struct Rule: GroupingRule {
        func groupKey(for kind: ExposureKind, science: Header?) -> String? { "\(kind.program)-\(kind.observation)" }
        func isComplete(_ members: [ExposureKind]) -> Bool { members.count >= 3 }
        func isRunnable(_ members: [ExposureKind]) -> Bool { members.count >= 2 }
    }

    func run(_ inputs: [Exposure], parameters: ParameterValues, context: StepContext) async throws -> [Product] {
        var sum = try inputs[0].floatImage("SCI")
        for input in inputs.dropFirst() {
            let sci = try input.floatImage("SCI")
            for i in sum.pixels.indices { sum.pixels[i] += sci.pixels[i] }
        }
        var primary = inputs[0].primaryHeader
        primary.set("NMEMBERS", .integer(inputs.count))
        let kind = inputs[0].kind
        return [
            Product(
                fileName: "jw\(kind.program)-o\(kind.observation)_pairsum.fits",
                hdus: [HDU(header: primary), HDU(name: "SCI", image: sum)], program: kind.program)
        ]
    }
}
